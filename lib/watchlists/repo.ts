/**
 * Watchlists, minimal: each user has at most one default list, which onboarding creates. The
 * watchlists issue extends this (several lists, renaming, ordering from the UI).
 */
import type { Queryable } from "../db/database.ts";

export interface Watchlist {
  id: number;
  name: string;
  isDefault: boolean;
  symbols: string[];
}

/** The user's default list, or null when there is none yet. */
export async function getDefaultWatchlist(
  db: Queryable,
  userId: number,
): Promise<Watchlist | null> {
  const [list] = await db.query<{ id: number; name: string }>(
    "select id, name from watchlists where user_id = $1 and is_default",
    [userId],
  );
  if (!list) return null;
  const rows = await db.query<{ symbol: string }>(
    "select symbol from watchlist_symbols where watchlist_id = $1 order by position",
    [list.id],
  );
  return {
    id: Number(list.id),
    name: list.name,
    isDefault: true,
    symbols: rows.map((r) => r.symbol),
  };
}

/**
 * Makes `symbols` (canonical, distinct) the default list's content, creating the list when the
 * user has none; returns it. Run it in a transaction (`db.transaction`) so the list is never
 * seen half replaced.
 */
export async function setDefaultWatchlist(
  tx: Queryable,
  userId: number,
  symbols: string[],
  name = "My watchlist",
): Promise<Watchlist> {
  await tx.query(
    `insert into watchlists (user_id, name, is_default) values ($1, $2, true)
       on conflict (user_id) where is_default do nothing`,
    [userId, name],
  );
  const [list] = await tx.query<{ id: number; name: string }>(
    "select id, name from watchlists where user_id = $1 and is_default",
    [userId],
  );
  await tx.query("delete from watchlist_symbols where watchlist_id = $1", [list.id]);
  for (const [position, symbol] of symbols.entries()) {
    await tx.query(
      "insert into watchlist_symbols (watchlist_id, symbol, position) values ($1, $2, $3)",
      [list.id, symbol, position],
    );
  }
  return { id: Number(list.id), name: list.name, isDefault: true, symbols: [...symbols] };
}
