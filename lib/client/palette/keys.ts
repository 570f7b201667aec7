/**
 * The global shortcuts' one rule, loaded on every signed-in page (so it stays a few lines):
 * Ctrl/⌘+K opens the command palette from anywhere, even a text box, and `?` opens the help
 * panel, but never while the user is typing in a field.
 */

export type Shortcut = "palette" | "help";

/** The bits of a keydown event the rule reads (a `KeyboardEvent` has them all). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

/** True when `target` takes typed text: an input, a textarea, a select or contenteditable. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el || typeof el.tagName !== "string") return false;
  const tag = el.tagName.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable === true) return true;
  if (tag !== "INPUT") return false;
  // Buttons and boxes take no text, so `?` on a focused checkbox still opens the help.
  return !["button", "checkbox", "radio", "submit", "reset", "range", "color"].includes(
    (el.type ?? "text").toLowerCase(),
  );
}

/** Which shortcut a keydown is, or null for any other key. */
export function shortcutOf(e: KeyLike): Shortcut | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") return "palette";
  if (e.key === "?" && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target)) {
    return "help";
  }
  return null;
}
