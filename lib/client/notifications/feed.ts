/**
 * The bell's list, as pure functions: new notifications merge in once, reads mark them, times
 * read as "3 min ago". The island holds the state; these decide it.
 */
/** A notification as the API and the stream deliver it (lib/notifications/repo.ts's shape). */
export interface StreamNotification {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** How many the panel keeps in memory (older ones are a page away). */
export const FEED_LIMIT = 50;

/** `n` at the top, unless it is there already (a reconnect may deliver it twice). */
export function mergeNotification(
  list: readonly StreamNotification[],
  n: StreamNotification,
): StreamNotification[] {
  if (list.some((x) => x.id === n.id)) return [...list];
  return [n, ...list].sort((a, b) => b.id - a.id).slice(0, FEED_LIMIT);
}

/** The list with `ids` (or, for null, every one) read at `at`. */
export function markRead(
  list: readonly StreamNotification[],
  ids: readonly number[] | null,
  at: string,
): StreamNotification[] {
  return list.map((n) =>
    !n.readAt && (ids === null || ids.includes(n.id)) ? { ...n, readAt: at } : n
  );
}

/** "just now", "5 min ago", "3 h ago", then the date. */
export function relativeTime(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString("en-US", { month: "short", day: "numeric" });
}

/** The badge text: nothing at zero, "99+" past 99. */
export function badgeText(unread: number | null): string {
  if (!unread) return "";
  return unread > 99 ? "99+" : String(unread);
}
