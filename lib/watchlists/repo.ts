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

/** At most this many lists per user, and symbols per list: a watchlist, not a universe. */
export const MAX_LISTS = 20;
export const MAX_SYMBOLS = 100;

export class WatchlistLimitError extends Error {}

/** `userId`'s lists with their symbols in order, the default first, then by creation. */
export async function listWatchlists(db: Queryable, userId: number): Promise<Watchlist[]> {
  const rows = await db.query<{ id: number; name: string; is_default: boolean; symbols: string[] }>(
    `select w.id, w.name, w.is_default,
            coalesce(array_agg(s.symbol order by s.position) filter (where s.symbol is not null),
                     '{}') as symbols
       from watchlists w left join watchlist_symbols s on s.watchlist_id = w.id
      where w.user_id = $1
      group by w.id order by w.is_default desc, w.created_at, w.id`,
    [userId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    isDefault: r.is_default,
    symbols: r.symbols,
  }));
}

/** One of `userId`'s lists, or null (another user's list is null too). */
export async function getWatchlist(
  db: Queryable,
  userId: number,
  id: number,
): Promise<Watchlist | null> {
  return (await listWatchlists(db, userId)).find((w) => w.id === id) ?? null;
}

async function writeSymbols(tx: Queryable, listId: number, symbols: readonly string[]) {
  await tx.query("delete from watchlist_symbols where watchlist_id = $1", [listId]);
  if (symbols.length === 0) return;
  await tx.query(
    `insert into watchlist_symbols (watchlist_id, symbol, position)
     select $1, symbol, (ord - 1)::int from unnest($2::text[]) with ordinality as t(symbol, ord)`,
    [listId, [...symbols]],
  );
}

/** Creates a list; the user's first list becomes the default. */
export async function createWatchlist(
  tx: Queryable,
  userId: number,
  name: string,
  symbols: readonly string[] = [],
): Promise<Watchlist> {
  const [{ n }] = await tx.query<{ n: number }>(
    "select count(*)::int as n from watchlists where user_id = $1",
    [userId],
  );
  if (n >= MAX_LISTS) throw new WatchlistLimitError(`At most ${MAX_LISTS} watchlists.`);
  if (symbols.length > MAX_SYMBOLS) {
    throw new WatchlistLimitError(`At most ${MAX_SYMBOLS} symbols in a watchlist.`);
  }
  const [row] = await tx.query<{ id: number }>(
    "insert into watchlists (user_id, name, is_default) values ($1, $2, $3) returning id",
    [userId, name, n === 0],
  );
  await writeSymbols(tx, Number(row.id), symbols);
  return { id: Number(row.id), name, isDefault: n === 0, symbols: [...symbols] };
}

/** Renames and/or replaces the symbols (in the given order) of one of `userId`'s lists. */
export async function updateWatchlist(
  tx: Queryable,
  userId: number,
  id: number,
  change: { name?: string; symbols?: readonly string[] },
): Promise<Watchlist | null> {
  const list = await getWatchlist(tx, userId, id);
  if (!list) return null;
  if (change.symbols && change.symbols.length > MAX_SYMBOLS) {
    throw new WatchlistLimitError(`At most ${MAX_SYMBOLS} symbols in a watchlist.`);
  }
  if (change.name !== undefined) {
    await tx.query("update watchlists set name = $2 where id = $1", [id, change.name]);
  }
  if (change.symbols) await writeSymbols(tx, id, change.symbols);
  return {
    ...list,
    name: change.name ?? list.name,
    symbols: change.symbols ? [...change.symbols] : list.symbols,
  };
}

/** Deletes one of `userId`'s lists; false when there was none. */
export async function deleteWatchlist(db: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await db.query(
    "delete from watchlists where id = $1 and user_id = $2 returning id",
    [id, userId],
  );
  return rows.length > 0;
}
