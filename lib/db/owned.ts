/**
 * Reading and changing rows that belong to a user, always scoped by `user_id`: a row of another
 * user is indistinguishable from a missing one (callers answer 404). Domain modules (strategies,
 * trades, recommendations) build on these instead of writing unscoped `where id = $1`.
 *
 * @module
 */
import type { Queryable } from "./database.ts";

/** Tables whose rows belong to one user, with the columns a caller may change. */
export const OWNED_TABLES = {
  strategies: ["name", "config"],
  trades: ["symbol", "side", "quantity", "price"],
  ai_recommendations: ["symbol", "action", "confidence", "reasoning"],
} as const;

export type OwnedTable = keyof typeof OWNED_TABLES;

function check(table: OwnedTable): void {
  if (!Object.hasOwn(OWNED_TABLES, table)) throw new Error(`${table} is not a user-owned table`);
}

/** One of `userId`'s rows, or undefined (missing, or someone else's). */
export async function getOwned<T = Record<string, unknown>>(
  db: Queryable,
  table: OwnedTable,
  userId: number,
  id: number,
): Promise<T | undefined> {
  check(table);
  const [row] = await db.query<T>(`select * from ${table} where id = $1 and user_id = $2`, [
    id,
    userId,
  ]);
  return row;
}

/** `userId`'s rows, newest id first. */
export async function listOwned<T = Record<string, unknown>>(
  db: Queryable,
  table: OwnedTable,
  userId: number,
  limit = 100,
): Promise<T[]> {
  check(table);
  return await db.query<T>(
    `select * from ${table} where user_id = $1 order by id desc limit $2`,
    [userId, limit],
  );
}

/** Changes allowed columns of one of `userId`'s rows; false when it is not theirs. */
export async function updateOwned(
  db: Queryable,
  table: OwnedTable,
  userId: number,
  id: number,
  changes: Record<string, unknown>,
): Promise<boolean> {
  check(table);
  const allowed: readonly string[] = OWNED_TABLES[table];
  const columns = Object.keys(changes);
  if (columns.length === 0) return (await getOwned(db, table, userId, id)) !== undefined;
  for (const c of columns) {
    if (!allowed.includes(c)) throw new Error(`${table}.${c} may not be changed`);
  }
  const sets = columns.map((c, i) => `${c} = $${i + 3}`).join(", ");
  const rows = await db.query(
    `update ${table} set ${sets} where id = $1 and user_id = $2 returning id`,
    [id, userId, ...columns.map((c) => changes[c])],
  );
  return rows.length > 0;
}

/** Deletes one of `userId`'s rows; false when it is not theirs. */
export async function deleteOwned(
  db: Queryable,
  table: OwnedTable,
  userId: number,
  id: number,
): Promise<boolean> {
  check(table);
  const rows = await db.query(`delete from ${table} where id = $1 and user_id = $2 returning id`, [
    id,
    userId,
  ]);
  return rows.length > 0;
}
