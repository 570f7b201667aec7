/**
 * The window event the Strategy Builder sends when it saves a strategy version, so that other
 * islands on the page (the Deployments section) list it without a reload.
 */

/** Event name; the detail is a `SavedStrategy`. */
export const STRATEGY_SAVED_EVENT = "paiid:strategy-saved";

export interface SavedStrategy {
  id: number;
  name: string;
  /** The version just saved (the latest). */
  version: number;
}

/** `list` with `saved` in it: an existing entry is updated in place, a new one goes first. */
export function withSaved<T extends SavedStrategy>(list: T[], saved: SavedStrategy): T[] {
  const i = list.findIndex((s) => s.id === saved.id);
  if (i < 0) return [{ ...saved } as T, ...list];
  return list.map((s, k) => k === i ? { ...s, name: saved.name, version: saved.version } : s);
}

/** Tells the page's islands that `saved` was just saved. */
export function announceSaved(saved: SavedStrategy): void {
  dispatchEvent(new CustomEvent<SavedStrategy>(STRATEGY_SAVED_EVENT, { detail: saved }));
}
