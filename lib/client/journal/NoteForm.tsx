/**
 * The journal's note form: why, plan, emotion, lesson and tags, for a new note about an order,
 * a position or nothing in particular, or to edit one. Loaded on first use (LazyNoteForm), so
 * the screens that offer "Add note" do not carry it. The same rules as the API are checked
 * before sending; the API's answer has the last word.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import {
  EMOTIONS,
  type JournalEntry,
  MAX_TEXT,
  parseTags,
  saysSomething,
  TAG_RULE,
} from "../../shared/journal.ts";
import { type NoteLink, writeNote } from "./api.ts";

export interface NoteFormProps {
  csrfToken: string;
  /** What a new note is about; an edited note keeps its link. */
  link: NoteLink;
  title: string;
  /** Set to edit this entry instead of writing a new one. */
  entry?: JournalEntry;
  /** Prefix of the fields' ids, unique on the page. */
  idPrefix: string;
  onSaved(entry: JournalEntry): void;
  onCancel(): void;
}

const TEXTS = [
  ["why", "Why", "What made you take (or skip) it?"],
  ["plan", "Plan", "Entry, stop, target, size, when to get out"],
  ["lesson", "Lesson", "What to repeat or avoid next time"],
] as const;

export default function NoteForm(props: NoteFormProps) {
  const { entry, idPrefix: id } = props;
  const [text, setText] = useState({
    why: entry?.why ?? "",
    plan: entry?.plan ?? "",
    lesson: entry?.lesson ?? "",
  });
  const [emotion, setEmotion] = useState(entry?.emotion ?? null);
  const [tags, setTags] = useState(entry?.tags.join(" ") ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const first = useRef<HTMLTextAreaElement>(null);
  // The form opens where the user asked for it: typing can start at once.
  useEffect(() => first.current?.focus(), []);

  async function submit(e: Event) {
    e.preventDefault();
    if (saving) return;
    const parsed = parseTags(tags);
    if (!parsed.ok) return setProblem(parsed.message);
    const content = { ...text, emotion, tags: parsed.tags };
    if (!saysSomething(content)) {
      return setProblem("Write at least one of why, plan or lesson, or pick an emotion or a tag.");
    }
    setSaving(true);
    setProblem(null);
    const res = await writeNote(props.csrfToken, props.link, content, entry?.id);
    setSaving(false);
    if (!res.ok) {
      const detail = res.problem.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
      return setProblem(detail ? `${res.problem.message} ${detail}` : res.problem.message);
    }
    props.onSaved(res.data.entry);
  }

  return (
    <form
      class="journal-form"
      aria-labelledby={`${id}-title`}
      data-testid="journal-form"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !saving) {
          e.stopPropagation();
          props.onCancel();
        }
      }}
      noValidate
    >
      <h3 id={`${id}-title`} class="journal-form-title">{props.title}</h3>
      {TEXTS.map(([key, label, hint]) => (
        <label key={key} class="journal-field" for={`${id}-${key}`}>
          <span class="journal-label">{label}</span>
          <textarea
            id={`${id}-${key}`}
            rows={2}
            maxLength={MAX_TEXT}
            placeholder={hint}
            value={text[key]}
            data-testid={`journal-${key}`}
            ref={key === "why" ? first : undefined}
            onInput={(e) =>
              setText((t) => ({ ...t, [key]: e.currentTarget.value }))}
          />
        </label>
      ))}
      <label class="journal-field" for={`${id}-emotion`}>
        <span class="journal-label">Emotion</span>
        <select
          id={`${id}-emotion`}
          value={emotion ?? ""}
          data-testid="journal-emotion"
          onChange={(e) =>
            setEmotion(
              (EMOTIONS as readonly string[]).includes(e.currentTarget.value)
                ? e.currentTarget.value as typeof EMOTIONS[number]
                : null,
            )}
        >
          <option value="">Not said</option>
          {EMOTIONS.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      <label class="journal-field" for={`${id}-tags`}>
        <span class="journal-label">Tags</span>
        <input
          id={`${id}-tags`}
          value={tags}
          placeholder="breakout earnings"
          autocomplete="off"
          aria-describedby={`${id}-tags-hint`}
          data-testid="journal-tags"
          onInput={(e) => setTags(e.currentTarget.value)}
        />
        <span id={`${id}-tags-hint`} class="journal-hint">
          Up to 10, separated by spaces or commas. {TAG_RULE}
        </span>
      </label>
      {problem && <p class="journal-problem" role="alert">{problem}</p>}
      <div class="journal-form-actions">
        <button type="submit" class="button" disabled={saving} data-testid="journal-save">
          {saving ? "Saving…" : entry ? "Save changes" : "Save note"}
        </button>
        <button type="button" class="journal-btn" disabled={saving} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
