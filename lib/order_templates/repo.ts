/**
 * Order templates in Postgres (`order_templates`), scoped by user: another user's template reads
 * as missing. Names are unique per user regardless of case; at most `MAX_TEMPLATES` each. Writes
 * take a lock on the user's row, so two saves at once can neither both take the last place nor
 * both take one name.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import { MAX_TEMPLATES, type OrderTemplate } from "../shared/order_template.ts";
import type { OrderSide, OrderType, TimeInForce } from "../broker/types.ts";
import type { NewTemplate } from "./schemas.ts";

export class TemplateLimitError extends Error {}
export class TemplateNameTakenError extends Error {}

interface TemplateRow {
  id: number;
  name: string;
  symbol: string | null;
  side: OrderSide;
  type: OrderType;
  time_in_force: TimeInForce;
  qty: string | null;
  notional: string | null;
  trail_price: string | null;
  trail_percent: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = "id, name, symbol, side, type, time_in_force, qty, notional, trail_price, " +
  "trail_percent, created_at, updated_at";

const num = (x: string | null) => (x === null ? null : Number(x));

function toTemplate(r: TemplateRow): OrderTemplate {
  return {
    id: Number(r.id),
    name: r.name,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    timeInForce: r.time_in_force,
    qty: num(r.qty),
    notional: num(r.notional),
    trailPrice: num(r.trail_price),
    trailPercent: num(r.trail_percent),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** A template's values in column order, from `name` to `trail_percent`. */
function values(t: NewTemplate): unknown[] {
  return [
    t.name,
    t.symbol,
    t.side,
    t.type,
    t.timeInForce,
    t.qty,
    t.notional,
    t.trailPrice,
    t.trailPercent,
  ];
}

/**
 * Serialises one user's template writes, so the count and the name check hold until commit.
 * `no key update` leaves alone the key-share locks other tables' foreign keys take on the row.
 */
async function lockUser(tx: Queryable, userId: number): Promise<void> {
  await tx.query("select id from users where id = $1 for no key update", [userId]);
}

/** By name, case-insensitively. */
export async function listTemplates(q: Queryable, userId: number): Promise<OrderTemplate[]> {
  const rows = await q.query<TemplateRow>(
    `select ${COLUMNS} from order_templates where user_id = $1 order by lower(name), id`,
    [userId],
  );
  return rows.map(toTemplate);
}

export async function getTemplate(
  q: Queryable,
  userId: number,
  id: number,
): Promise<OrderTemplate | null> {
  const [row] = await q.query<TemplateRow>(
    `select ${COLUMNS} from order_templates where id = $1 and user_id = $2`,
    [id, userId],
  );
  return row ? toTemplate(row) : null;
}

/** Run it in a transaction: the limit is counted under a lock on the user's row. */
export async function createTemplate(
  tx: Queryable,
  userId: number,
  t: NewTemplate,
): Promise<OrderTemplate> {
  await lockUser(tx, userId);
  const [{ n }] = await tx.query<{ n: number }>(
    "select count(*)::int as n from order_templates where user_id = $1",
    [userId],
  );
  if (n >= MAX_TEMPLATES) throw new TemplateLimitError(`At most ${MAX_TEMPLATES} templates.`);
  const [clash] = await tx.query(
    "select 1 from order_templates where user_id = $1 and lower(name) = lower($2)",
    [userId, t.name],
  );
  if (clash) throw new TemplateNameTakenError(`A template named "${t.name}" exists already.`);
  const [row] = await tx.query<TemplateRow>(
    `insert into order_templates (user_id, name, symbol, side, type, time_in_force, qty,
       notional, trail_price, trail_percent)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${COLUMNS}`,
    [userId, ...values(t)],
  );
  return toTemplate(row);
}

/**
 * Replaces one of the caller's templates with `t` (the route merges a PATCH into the stored
 * template first); null when it is not theirs. Run it in a transaction.
 */
export async function replaceTemplate(
  tx: Queryable,
  userId: number,
  id: number,
  t: NewTemplate,
): Promise<OrderTemplate | null> {
  await lockUser(tx, userId);
  const [clash] = await tx.query(
    "select 1 from order_templates where user_id = $1 and lower(name) = lower($2) and id <> $3",
    [userId, t.name, id],
  );
  if (clash) throw new TemplateNameTakenError(`A template named "${t.name}" exists already.`);
  const [row] = await tx.query<TemplateRow>(
    `update order_templates set name = $3, symbol = $4, side = $5, type = $6,
       time_in_force = $7, qty = $8, notional = $9, trail_price = $10, trail_percent = $11,
       updated_at = now()
     where id = $1 and user_id = $2 returning ${COLUMNS}`,
    [id, userId, ...values(t)],
  );
  return row ? toTemplate(row) : null;
}

export async function deleteTemplate(q: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await q.query(
    "delete from order_templates where id = $1 and user_id = $2 returning id",
    [id, userId],
  );
  return rows.length > 0;
}
