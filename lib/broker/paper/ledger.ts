/**
 * The paper ledger: what one fill does to a position, to cash and to realized P&L, in exact
 * decimals. Cash moves by the fill's notional (qty × price × multiplier: 1 for shares, 100 for
 * an option contract) rounded to the cent, as a real broker books it, and a position's cost
 * basis (USD) is the sum of those cents, so at every moment
 *
 *     cash + Σ cost basis = starting cash + Σ realized P&L        (to the cent)
 *
 * `nextPosition` is the arithmetic (pure, property-tested); `applyFill` books it in one
 * transaction: position, account, trade row and order together or not at all.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Queryable } from "../../db/database.ts";
import type { FillReason, OrderSide, PriceSource } from "../types.ts";
import type { OrderRow } from "../orders_repo.ts";

export const QTY_DP = 8;
export const PRICE_DP = 6;

export function cents(x: Decimal.Value): Decimal {
  return new Decimal(x).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export interface Holding {
  /** Signed shares; zero when flat. */
  qty: Decimal;
  /** Signed: what opening it cost (long) or raised (short, negative). */
  costBasis: Decimal;
}

export interface FillEffect {
  next: Holding;
  /** Cash paid (negative) or received (positive), in cents. */
  cashDelta: Decimal;
  /** P&L realized by the part of the fill that reduced the position. */
  realized: Decimal;
  /** |cashDelta|: the fill's notional. */
  notional: Decimal;
}

/**
 * The effect of buying or selling `qty` at `price` on `held`. A fill that crosses zero
 * (sell 15 of a 10-share long) closes the old side and opens the new one with the rest.
 * `multiplier` is the shares per unit of qty (100 for an option contract). A price of zero is
 * only for `settlement`: an option leaving the account at expiry (worthless, or exercised into
 * shares that carry the value); a trade is never booked at zero.
 */
export function nextPosition(
  held: Holding,
  side: OrderSide,
  qty: Decimal.Value,
  price: Decimal.Value,
  opts: { multiplier?: number; settlement?: boolean } = {},
): FillEffect {
  const q = new Decimal(qty);
  const p = new Decimal(price);
  const m = opts.multiplier ?? 1;
  if (!q.isFinite() || q.lte(0)) throw new RangeError("fill quantity must be positive");
  if (!p.isFinite() || p.lt(0) || (p.isZero() && !opts.settlement)) {
    throw new RangeError("fill price must be positive");
  }
  if (!Number.isInteger(m) || m < 1) throw new RangeError("multiplier must be a whole number ≥ 1");
  const sign = side === "buy" ? 1 : -1;
  const notional = cents(q.times(p).times(m));
  const cashDelta = notional.times(-sign);
  let { qty: hq, costBasis: hc } = held;
  let realized = new Decimal(0);

  const reducing = !hq.isZero() && Decimal.sign(hq) !== sign;
  if (!reducing) {
    return {
      next: { qty: hq.plus(q.times(sign)), costBasis: hc.plus(notional.times(sign)) },
      cashDelta,
      realized,
      notional,
    };
  }
  const closing = Decimal.min(q, hq.abs());
  // The closing part's share of the notional, in cents; the opening rest gets the remainder so
  // the two add up to exactly what moved in cash.
  const closingNotional = closing.eq(q) ? notional : cents(closing.times(p).times(m));
  const openingNotional = notional.minus(closingNotional);
  const removedCost = closing.eq(hq.abs()) ? hc : cents(hc.times(closing).div(hq.abs()));
  // Long: sold for closingNotional what cost removedCost. Short: bought back for
  // closingNotional what had raised -removedCost.
  realized = hq.gt(0)
    ? closingNotional.minus(removedCost)
    : removedCost.neg().minus(closingNotional);
  hq = hq.plus(closing.times(sign));
  hc = hc.minus(removedCost);
  const opening = q.minus(closing);
  if (opening.gt(0)) {
    hq = hq.plus(opening.times(sign));
    hc = hc.plus(openingNotional.times(sign));
  }
  return { next: { qty: hq, costBasis: hc }, cashDelta, realized, notional };
}

export interface BookFill {
  userId: number;
  orderId: string;
  symbol: string;
  side: OrderSide;
  qty: Decimal.Value;
  price: Decimal.Value;
  prices: PriceSource;
  /** Shares per unit of qty: 100 for an option contract. Absent = 1. */
  multiplier?: number;
  /**
   * The position as already read under this transaction's account lock (null: none held), so
   * it is not read again; left out, it is read here.
   */
  held?: { qty: string; cost_basis: string } | null;
  /** The equity point after the fill, written in the same statement (the pipeline's step 4). */
  snapshot?: (effect: FillEffect) => { equity: number; cash: number };
}

export interface Booked extends FillEffect {
  tradeId: number;
  /** The order's row after the fill. */
  order: OrderRow;
  qty: Decimal;
  price: Decimal;
}

/**
 * Books a fill: position, cash, realized P&L, the `trades` row, the order's fill fields and,
 * when `snapshot` is given, the equity point after it: one statement (a chain of data-modifying
 * CTEs), so a fill costs one round trip. Call it inside a transaction that holds the account
 * row's lock (`lockAccount`).
 */
export async function applyFill(tx: Queryable, f: BookFill): Promise<Booked> {
  const { row, ...booked } = await book(tx, f, { kind: "order" });
  return { ...booked, order: row! };
}

/**
 * Books one leg of a multi-leg order: like `applyFill`, but the leg's own fill fields
 * (`order_legs`) are set instead of the order's; the caller marks the order filled once every
 * leg is booked, in the same transaction, so the legs fill together or not at all.
 */
export async function applyLegFill(
  tx: Queryable,
  f: Omit<BookFill, "snapshot">,
  leg: number,
): Promise<FillEffect & { tradeId: number }> {
  const { row: _, ...booked } = await book(tx, f, { kind: "leg", leg });
  return booked;
}

/** A fill that no order made: an option's settlement at expiry (lib/broker/paper/expiry.ts). */
export interface Settlement {
  userId: number;
  symbol: string;
  side: OrderSide;
  qty: Decimal.Value;
  /** Zero when the option expires worthless or goes into shares. */
  price: Decimal.Value;
  multiplier: number;
  reason: Exclude<FillReason, "trade">;
  note: string;
}

export async function applySettlement(
  tx: Queryable,
  f: Settlement,
): Promise<FillEffect & { tradeId: number }> {
  const { row: _, ...booked } = await book(
    tx,
    { ...f, orderId: null, prices: null },
    { kind: "none" },
  );
  return booked;
}

type Target = { kind: "order" } | { kind: "leg"; leg: number } | { kind: "none" };

interface Entry extends Omit<BookFill, "orderId" | "prices"> {
  orderId: string | null;
  prices: PriceSource | null;
  reason?: FillReason;
  note?: string;
}

async function book(
  tx: Queryable,
  f: Entry,
  target: Target,
): Promise<FillEffect & { tradeId: number; row: OrderRow | null; qty: Decimal; price: Decimal }> {
  const multiplier = f.multiplier ?? 1;
  const qty = new Decimal(f.qty).toDecimalPlaces(QTY_DP, Decimal.ROUND_DOWN);
  const price = new Decimal(f.price).toDecimalPlaces(PRICE_DP, Decimal.ROUND_HALF_UP);
  const [row] = f.held !== undefined
    ? (f.held ? [f.held] : [])
    : await tx.query<{ qty: string; cost_basis: string }>(
      "select qty, cost_basis from paper_positions where user_id = $1 and symbol = $2",
      [f.userId, f.symbol],
    );
  const held: Holding = row
    ? { qty: new Decimal(row.qty), costBasis: new Decimal(row.cost_basis) }
    : { qty: new Decimal(0), costBasis: new Decimal(0) };
  const effect = nextPosition(held, f.side, qty, price, {
    multiplier,
    settlement: target.kind === "none",
  });
  const { next } = effect;

  // $1 user, $2 symbol, $3 order, $4 side, $5 qty, $6 price, $7 notional, $8 realized,
  // $9 cash delta, $10 prices, $11 multiplier, $12 reason, $13 note, then the position's next
  // qty and cost basis ($14, $15) unless it closes, then the snapshot's equity and cash when
  // asked for, then the leg index for a leg.
  const params: unknown[] = [
    f.userId,
    f.symbol,
    f.orderId,
    f.side,
    qty.toFixed(),
    price.toFixed(),
    effect.notional.toFixed(2),
    effect.realized.toFixed(2),
    effect.cashDelta.toFixed(2),
    f.prices,
    multiplier,
    f.reason ?? "trade",
    f.note ?? null,
  ];
  let position: string;
  if (next.qty.isZero()) {
    position = "delete from paper_positions where user_id = $1 and symbol = $2";
  } else if (row) {
    // A position that flipped side starts afresh: its opened_at is now.
    const flipped = Decimal.sign(next.qty) !== Decimal.sign(held.qty);
    position = `update paper_positions set qty = $14, cost_basis = $15,
        realized_pl = realized_pl + $8::numeric, updated_at = now()${
      flipped ? ", opened_at = now()" : ""
    }
      where user_id = $1 and symbol = $2`;
  } else {
    position = `insert into paper_positions (user_id, symbol, qty, cost_basis, multiplier)
      values ($1, $2, $14, $15, $11)`;
  }
  if (!next.qty.isZero()) params.push(next.qty.toFixed(), next.costBasis.toFixed(2));
  let snapshot = "";
  if (f.snapshot) {
    const point = f.snapshot(effect);
    params.push(point.equity.toFixed(2), point.cash.toFixed(2));
    const n = params.length;
    snapshot = `, snap as (
      insert into equity_snapshots (user_id, at, equity, cash) values ($1, now(), $${n - 1}, $${n})
      on conflict do nothing)`;
  }
  let tail: string;
  if (target.kind === "order") {
    tail = `update orders set status = 'filled', filled_qty = $5, filled_avg_price = $6,
       filled_at = now(), prices = $10, updated_at = now()
     where id = $3 returning *, (select id from trade) as trade_id`;
  } else if (target.kind === "leg") {
    params.push(target.leg);
    tail = `update order_legs set filled_qty = $5, filled_avg_price = $6
     where order_id = $3 and leg = $${params.length}
     returning (select id from trade) as trade_id, $10::text as prices`;
  } else {
    // Every parameter is referenced, or Postgres cannot type it.
    tail = "select id as trade_id, $10::text as prices from trade";
  }
  const [out] = await tx.query<OrderRow & { trade_id: number }>(
    `with pos as (${position}),
     acct as (
       update paper_accounts set cash = cash + $9::numeric, realized_pl = realized_pl + $8::numeric,
         updated_at = now()
       where user_id = $1),
     trade as (
       insert into trades (user_id, symbol, side, quantity, price, order_id, broker, notional,
         realized_pl, multiplier, reason, note)
       values ($1, $2, $4, $5, $6, $3, 'paper', $7, $8, $11, $12, $13) returning id)${snapshot}
     ${tail}`,
    params,
  );
  if (!out) throw new Error(`booking a fill of ${f.symbol} found no ${target.kind} to update`);
  const { trade_id: tradeId, ...rest } = out;
  if (target.kind !== "order") delete (rest as Partial<OrderRow>).prices;
  return {
    ...effect,
    tradeId,
    row: target.kind === "order" ? rest as OrderRow : null,
    qty,
    price,
  };
}
