/**
 * The command palette (Ctrl/⌘+K) and the help panel (`?`) on every signed-in page. Only this key
 * listener loads with the page; the palette, the help and the fuzzy matcher arrive with a dynamic
 * import on the first shortcut, so a page pays a few hundred bytes for them until then.
 */
import { useEffect, useState } from "preact/hooks";
import type { ComponentType } from "preact";
import { type Shortcut, shortcutOf } from "../lib/client/palette/keys.ts";
import type { OverlayProps } from "../lib/client/palette/Overlay.tsx";

export interface CommandPaletteProps {
  csrfToken: string;
  /** The stage the page belongs to, for the contextual help. */
  stage?: string;
}

export default function CommandPalette(props: CommandPaletteProps) {
  const [mode, setMode] = useState<Shortcut | null>(null);
  const [Overlay, setOverlay] = useState<ComponentType<OverlayProps> | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const which = shortcutOf(e);
      if (!which) return;
      e.preventDefault();
      setMode((m) => (m === which ? null : which));
    };
    globalThis.addEventListener("keydown", onKey);
    // Says the shortcuts are live: until this island hydrates a key press does nothing, and a
    // script (or a browser test) driving the page can wait for this instead of guessing.
    document.documentElement.dataset.palette = "ready";
    return () => {
      globalThis.removeEventListener("keydown", onKey);
      delete document.documentElement.dataset.palette;
    };
  }, []);

  useEffect(() => {
    if (!mode || Overlay) return;
    import("../lib/client/palette/Overlay.tsx")
      .then((mod) => setOverlay(() => mod.default))
      .catch(() => setFailed(true));
  }, [mode]);

  if (!mode) return null;
  if (!Overlay) {
    return (
      <p class="palette-loading" role="status">
        {failed ? "The palette could not load; reload the page." : "Loading…"}
      </p>
    );
  }
  return (
    <Overlay
      mode={mode}
      csrfToken={props.csrfToken}
      stage={props.stage}
      onMode={setMode}
      onClose={() => setMode(null)}
    />
  );
}
