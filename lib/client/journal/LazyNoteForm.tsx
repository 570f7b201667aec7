/**
 * The note form where a screen offers "Add note": its code loads on the first click, so Active
 * Positions and Today's orders carry only this loader until then.
 */
import { useLazyComponent } from "../lazy.ts";
import type { NoteFormProps } from "./NoteForm.tsx";

export default function LazyNoteForm(props: NoteFormProps) {
  const { Component, failed } = useLazyComponent<NoteFormProps>(() => import("./NoteForm.tsx"));
  if (Component) return <Component {...props} />;
  return (
    <p class="journal-loading" role="status">
      {failed ? "The note form could not load; reload the page." : "Opening the note…"}
    </p>
  );
}
