/**
 * The trading journal in Postgres (`journal_entries`), always scoped by user: another user's
 * entry, order or fill reads as missing. Entries are listed newest first and paged by id
 * (keyset: the next page is `id < before`), so a page never repeats or skips an entry while new
 * ones are written.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import type { Emotion, JournalEntry, JournalLink, JournalPage } from "../shared/journal.ts";
import type { EntryChange, JournalFilter, NewEntry } from "./schemas.ts";

/** The order or fill an entry names is not the caller's (or does not exist). */
export class LinkNotFoundError extends Error {
  constructor(readonly what: "order" | "fill") {
    super(`No such ${what}.`);
  }
}

/** The symbol sent with an order or fill is not that order's or fill's. */
export class LinkMismatchError extends Error {}

interface EntryRow {
  id: number;
  symbol: string | null;
  order_id: string | null;
  trade_id: number | null;
  why: string;
  plan: string;
  lesson: string;
  emotion: Emotion | null;
  tags: string[];
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  "id, symbol, order_id, trade_id, why, plan, lesson, emotion, tags, created_at, updated_at";

function linkOf(r: EntryRow): JournalLink {
  if (r.trade_id !== null) return "fill";
  if (r.order_id !== null) return "order";
  return r.symbol !== null ? "position" : "none";
}

function toEntry(r: EntryRow): JournalEntry {
  return {
    id: Number(r.id),
    link: linkOf(r),
    symbol: r.symbol,
    orderId: r.order_id,
    fillId: r.trade_id === null ? null : String(r.trade_id),
    why: r.why,
    plan: r.plan,
    emotion: r.emotion,
    lesson: r.lesson,
    tags: r.tags,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

interface Link {
  symbol: string | null;
  orderId: string | null;
  tradeId: number | null;
}

/** Where an entry points, read from the caller's own order or fill. */
async function resolveLink(
  q: Queryable,
  userId: number,
  input: Pick<NewEntry, "orderId" | "fillId" | "symbol">,
): Promise<Link> {
  let link: Link = { symbol: input.symbol ?? null, orderId: null, tradeId: null };
  if (input.fillId !== undefined) {
    const [fill] = await q.query<{ symbol: string; order_id: string | null }>(
      "select symbol, order_id from trades where id = $1 and user_id = $2",
      [input.fillId, userId],
    );
    if (!fill) throw new LinkNotFoundError("fill");
    link = { symbol: fill.symbol, orderId: fill.order_id, tradeId: input.fillId };
  } else if (input.orderId !== undefined) {
    const [order] = await q.query<{ symbol: string }>(
      "select symbol from orders where id = $1 and user_id = $2",
      [input.orderId, userId],
    );
    if (!order) throw new LinkNotFoundError("order");
    link = { symbol: order.symbol, orderId: input.orderId, tradeId: null };
  }
  if (input.symbol !== undefined && input.symbol !== link.symbol) {
    throw new LinkMismatchError(
      `That ${
        input.fillId !== undefined ? "fill" : "order"
      } is in ${link.symbol}, not ${input.symbol}.`,
    );
  }
  return link;
}

export async function createEntry(
  q: Queryable,
  userId: number,
  input: NewEntry,
): Promise<JournalEntry> {
  const link = await resolveLink(q, userId, input);
  const [row] = await q.query<EntryRow>(
    `insert into journal_entries
       (user_id, symbol, order_id, trade_id, why, plan, lesson, emotion, tags)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[]) returning ${COLUMNS}`,
    [
      userId,
      link.symbol,
      link.orderId,
      link.tradeId,
      input.why,
      input.plan,
      input.lesson,
      input.emotion,
      input.tags,
    ],
  );
  return toEntry(row);
}

export async function getEntry(
  q: Queryable,
  userId: number,
  id: number,
): Promise<JournalEntry | null> {
  const [row] = await q.query<EntryRow>(
    `select ${COLUMNS} from journal_entries where id = $1 and user_id = $2`,
    [id, userId],
  );
  return row ? toEntry(row) : null;
}

/** The filter as SQL over `journal_entries`, `$1` being the user; returns its parameters too. */
function where(userId: number, f: JournalFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [userId];
  const parts = ["user_id = $1"];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    parts.push(clause(`$${params.length}`));
  };
  if (f.symbol !== undefined) add((p) => `symbol = ${p}`, f.symbol);
  if (f.tag !== undefined) add((p) => `tags @> array[${p}::text]`, f.tag);
  if (f.emotion !== undefined) add((p) => `emotion = ${p}`, f.emotion);
  if (f.from !== undefined) add((p) => `created_at >= ${p}`, f.from);
  if (f.to !== undefined) add((p) => `created_at < ${p}`, f.to);
  if (f.orderId !== undefined) add((p) => `order_id = ${p}::uuid`, f.orderId);
  if (f.fillId !== undefined) add((p) => `trade_id = ${p}`, f.fillId);
  return { sql: parts.join(" and "), params };
}

/** One page of the caller's entries matching `filter`, newest first. */
export async function listEntries(
  q: Queryable,
  userId: number,
  filter: JournalFilter,
  page: { before?: number; limit: number },
): Promise<JournalPage> {
  const w = where(userId, filter);
  const params = [...w.params];
  let sql = `select ${COLUMNS} from journal_entries where ${w.sql}`;
  if (page.before !== undefined) {
    params.push(page.before);
    sql += ` and id < $${params.length}`;
  }
  // One more than asked tells whether there is a next page without a count.
  params.push(page.limit + 1);
  sql += ` order by id desc limit $${params.length}`;
  const rows = await q.query<EntryRow>(sql, params);
  const entries = rows.slice(0, page.limit).map(toEntry);
  return {
    entries,
    nextCursor: rows.length > page.limit ? entries[entries.length - 1].id : null,
  };
}

/** Every entry of the caller's matching `filter`, oldest first (the export). */
export async function allEntries(
  q: Queryable,
  userId: number,
  filter: JournalFilter,
): Promise<JournalEntry[]> {
  const w = where(userId, filter);
  const rows = await q.query<EntryRow>(
    `select ${COLUMNS} from journal_entries where ${w.sql} order by id`,
    w.params,
  );
  return rows.map(toEntry);
}

/** Applies `change` to one of the caller's entries; null when it is not theirs. */
export async function updateEntry(
  q: Queryable,
  userId: number,
  id: number,
  change: EntryChange,
): Promise<JournalEntry | null> {
  const columns = (["why", "plan", "lesson", "emotion", "tags"] as const).filter((c) =>
    change[c] !== undefined
  );
  const sets = columns.map((c, i) => `${c} = $${i + 3}${c === "tags" ? "::text[]" : ""}`);
  const [row] = await q.query<EntryRow>(
    `update journal_entries set ${[...sets, "updated_at = now()"].join(", ")}
      where id = $1 and user_id = $2 returning ${COLUMNS}`,
    [id, userId, ...columns.map((c) => change[c])],
  );
  return row ? toEntry(row) : null;
}

/** Deletes one of the caller's entries; false when there was none of theirs. */
export async function deleteEntry(q: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await q.query(
    "delete from journal_entries where id = $1 and user_id = $2 returning id",
    [id, userId],
  );
  return rows.length > 0;
}
