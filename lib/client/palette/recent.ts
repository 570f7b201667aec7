/**
 * The palette's recent items, kept in this browser's localStorage (they are a convenience, not
 * a record): the last few places opened from it, newest first. Only navigation is remembered;
 * an action is never repeated from a list.
 */
import type { Command } from "./commands.ts";

export const RECENT_KEY = "paiid:palette:recent";
export const RECENT_MAX = 5;

interface Stored {
  id: string;
  title: string;
  href: string;
}

/** The stored list as commands; anything unreadable or not a same-site path is dropped. */
export function loadRecent(storage: Pick<Storage, "getItem"> | undefined): Command[] {
  let raw: unknown;
  try {
    raw = JSON.parse(storage?.getItem(RECENT_KEY) ?? "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.filter((r): r is Stored =>
    typeof r?.id === "string" && typeof r.title === "string" && typeof r.href === "string" &&
    r.href.startsWith("/") && !r.href.startsWith("//")
  ).slice(0, RECENT_MAX).map((r) => ({
    id: r.id,
    title: r.title,
    group: "Recent",
    run: { kind: "go", href: r.href },
  }));
}

/** Puts `command` first in the stored list (once), when it is navigation. */
export function rememberRecent(storage: Storage | undefined, command: Command): void {
  if (!storage || command.run.kind !== "go") return;
  const item: Stored = { id: command.id, title: command.title, href: command.run.href };
  const rest = loadRecent(storage).filter((c) => c.id !== item.id).map((c) => ({
    id: c.id,
    title: c.title,
    href: (c.run as { href: string }).href,
  }));
  try {
    storage.setItem(RECENT_KEY, JSON.stringify([item, ...rest].slice(0, RECENT_MAX)));
  } catch {
    // A full or disabled storage only loses the convenience.
  }
}
