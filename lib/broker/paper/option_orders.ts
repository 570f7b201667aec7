/**
 * The paper broker's option orders: single contracts and multi-leg (`mleg`) orders, filled at
 * the chain's prices (lib/options/fills.ts: every leg at its own side of the market, a buy at
 * the ask and a sell at the bid; a limit order when the market crosses it; a market order at
 * once while the market is open, else at the open).
 *
 * As for stock, the order is inserted, checked (lib/broker/option_checks.ts) and, when its price
 * is there, filled in ONE transaction holding the account lock. A multi-leg order books every
 * leg in that transaction and then marks the order filled: all legs or none, since any failure
 * rolls the whole transaction back. Resting orders are tried by `match` from the broker's sync.
 *
 * This path is separate from the stock one so stock orders keep their round trips.
 *
 * @module
 */
import type { Database, Queryable } from "../../db/database.ts";
import type { MarketData } from "../../market/types.ts";
import { type LegQuote, optionFill } from "../../options/fills.ts";
import { OPTION_MULTIPLIER } from "../../options/occ.ts";
import { type Holdings, legProblems } from "../../options/structure.ts";
import { getSettings, type Settings } from "../../settings.ts";
import { startOfNyDay } from "../../shared/ny_time.ts";
import { refusalMessage } from "../checks.ts";
import { assertSameRequest } from "../idempotency.ts";
import {
  assessOption,
  type OptionAssessment,
  optionRefusalCode,
  orderLegs,
  requestUnderlying,
} from "../option_checks.ts";
import {
  attachLegs,
  findByClientOrderId,
  getOrderRow,
  type OrderRow,
  toOrder,
} from "../orders_repo.ts";
import type { Intent } from "../pipeline.ts";
import {
  type OrderLeg,
  OrderRefusedError,
  type OrderRequest,
  type PriceSource,
  type SubmitResult,
} from "../types.ts";
import {
  loadAccount,
  OPEN_BUYS,
  type OpenBuyRow,
  type PositionRow,
  quotesFor,
  reservedBy,
  value,
} from "./account.ts";
import { expiryOf } from "./day_orders.ts";
import { applyFill, applyLegFill } from "./ledger.ts";
import { type OptionQuote, optionQuotes } from "../option_quotes.ts";
import { insertAndRead } from "./placement_read.ts";

export interface OptionDeskOptions {
  db: Database;
  market: MarketData;
  now: () => number;
}

type Fill = NonNullable<ReturnType<typeof optionFill>>;

/** The request a stored option order stands for (to try it again later). */
export function requestOf(row: OrderRow): OrderRequest {
  return {
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    timeInForce: row.time_in_force,
    qty: Number(row.qty) - Number(row.filled_qty),
    ...(row.limit_price !== null ? { limitPrice: Number(row.limit_price) } : {}),
    clientOrderId: row.client_order_id,
    ...(row.order_class === "mleg"
      ? {
        orderClass: "mleg" as const,
        legs: (row.legs ?? []).map((l): OrderLeg => ({
          symbol: l.symbol,
          side: l.side,
          ratioQty: l.ratio_qty,
          positionIntent: l.position_intent,
        })),
      }
      : { positionIntent: row.position_intent ?? undefined }),
  };
}

function legQuotes(quotes: Map<string, OptionQuote>): LegQuote[] {
  return [...quotes.values()].map((q) => ({ symbol: q.symbol, bid: q.bid, ask: q.ask }));
}

/** No price for every leg: a market option order cannot be placed now. */
export function noOptionPrice(req: OrderRequest, quotes: Map<string, OptionQuote>) {
  const missing = orderLegs(req).filter((l) => {
    const q = quotes.get(l.symbol);
    return !q || !((l.side === "buy" ? q.ask : q.bid) ?? 0);
  }).map((l) => `${l.symbol} (no ${l.side === "buy" ? "ask" : "bid"})`);
  return new OrderRefusedError(
    `There is no price for ${missing.join(", ")} to fill this order at market: ` +
      "an option order fills all its legs or none. Send a limit order to wait for one.",
    "no_price",
    [],
    { legs: missing },
  );
}

export class PaperOptionDesk {
  readonly #db: Database;
  readonly #market: MarketData;
  readonly #now: () => number;

  constructor(opts: OptionDeskOptions) {
    this.#db = opts.db;
    this.#market = opts.market;
    this.#now = opts.now;
  }

  /** Checks and places an option order, filling it now when the market gives its price. */
  async place(userId: number, intent: Intent): Promise<SubmitResult> {
    const req = intent.request;
    if (req.orderClass !== "mleg" && req.positionIntent === undefined) {
      throw new OrderRefusedError(
        `An option order says whether it opens or closes: positionIntent is required for ${req.symbol}.`,
        "invalid_order",
      );
    }
    if ((req.type !== "market" && req.type !== "limit") || req.notional !== undefined) {
      throw new OrderRefusedError(
        "Option orders are market or limit orders for whole contracts.",
        "invalid_order",
      );
    }
    const legs = orderLegs(req);
    // The legs are stored before the checks run (one statement with the order), and order_legs
    // takes each contract once and 4 legs at most: malformed legs are refused before that.
    const malformed = req.orderClass === "mleg" ? legProblems(legs) : [];
    if (malformed.length) {
      const message = malformed.map((p) => p.message).join(" ");
      throw new OrderRefusedError(message, "invalid_option_structure", [
        { rule: "option_structure", ok: false, severity: "refuse", message },
      ]);
    }
    const [quotes, clock] = await Promise.all([
      optionQuotes(this.#market, legs.map((l) => l.symbol)),
      this.#market.clock(),
    ]);
    const open = clock.state === "open";
    if (req.type === "market" && optionFill(req, legQuotes(quotes)) === null) {
      // A retry of an order placed while there was a price still answers with that order.
      const twin = await findByClientOrderId(this.#db, userId, req.clientOrderId);
      if (twin) {
        assertSameRequest(twin, intent.fingerprint);
        return { order: toOrder(twin), duplicate: true };
      }
      throw noOptionPrice(req, quotes);
    }
    const nowMs = this.#now();
    const expiry = expiryOf(clock);
    const result = await this.#db.transaction(async (tx) => {
      const acct = await loadAccount(
        tx,
        userId,
        async () => (await getSettings(tx, userId)).startingCash,
        { lock: true },
      );
      const placed = await insertAndRead(
        tx,
        {
          userId,
          broker: "paper",
          request: req,
          status: req.type === "market" && !open ? "accepted" : "new",
          expiresSession: req.timeInForce === "day" ? expiry.date : null,
          expiresSessionNo: req.timeInForce === "day" ? expiry.session : null,
          fingerprint: intent.fingerprint,
        },
        startOfNyDay(nowMs),
        [],
        { option: true },
      );
      if (!placed.row) {
        const twin = (await findByClientOrderId(tx, userId, req.clientOrderId))!;
        assertSameRequest(twin, intent.fingerprint);
        return { order: twin, duplicate: true, checks: [] };
      }
      const row = placed.row;
      const marks = await quotesFor(this.#market, placed.positions.map((p) => p.symbol));
      const reserved = reservedBy(placed.openBuys, marks, placed.positions);
      const last = placed.lastEquity ?? Number(acct.starting_cash);
      const v = value(acct, placed.positions, marks, reserved, last, this.#market.source, nowMs);
      const promised = await promisedToClose(tx, userId, row.id);
      const a = assessOption({
        request: req,
        quotes,
        held: holdings(placed.positions, promised, req, v.account.buyingPower, quotes),
        settings: placed.settings,
        equity: v.account.equity,
        buyingPower: v.account.buyingPower,
        dayPl: v.account.dayPl,
        marketOpen: open,
      });
      const refusals = intent.closing
        ? a.refusals.filter((c) => c.rule !== "quantity")
        : a.refusals;
      if (refusals.length) {
        const underlying = requestUnderlying(req);
        const pledged = -(promised.get(underlying) ?? 0);
        // The shares are held, so "hold 100 shares" alone would puzzle: say where they went.
        const why = pledged > 0 && refusals.some((c) => c.rule === "option_level")
          ? ` ${pledged} of your ${underlying} shares are promised to open sell orders: they ` +
            "cover no call."
          : "";
        throw new OrderRefusedError(
          refusalMessage(refusals) + why,
          optionRefusalCode(refusals),
          a.checks,
        );
      }
      row.legs = legs.map((l, leg) => ({
        leg,
        symbol: l.symbol,
        side: l.side,
        ratio_qty: l.ratioQty,
        position_intent: l.positionIntent,
        filled_qty: "0",
        filled_avg_price: null,
      }));
      const fill = open ? optionFill(req, legQuotes(quotes)) : null;
      const order = fill ? await this.#book(tx, row, fill, sourceOf(quotes)) : row;
      return { order, duplicate: false, checks: a.checks };
    });
    return { order: toOrder(result.order), duplicate: result.duplicate, checks: result.checks };
  }

  /**
   * Tries a working option order (from the broker's sync): fills it when the chain's prices let
   * it, or cancels it when the account can no longer take it (its closing legs are no longer
   * held, its buying power is gone). Holds the account lock.
   */
  async match(row: OrderRow, open: boolean): Promise<"filled" | "canceled" | null> {
    if (!open) return null;
    const req = requestOf(row);
    const quotes = await optionQuotes(this.#market, orderLegs(req).map((l) => l.symbol));
    const fill = optionFill(req, legQuotes(quotes));
    if (!fill) return null;
    return await this.#db.transaction(async (tx) => {
      const acct = await loadAccount(tx, row.user_id, 0, { lock: true });
      const current = await getOrderRow(tx, row.user_id, row.id, { lock: true });
      if (!["accepted", "new", "partially_filled"].includes(current.status)) return null;
      const refusal = await this.#fillTimeRefusal(tx, acct, current, quotes);
      if (refusal) {
        await tx.query(
          `update orders set status = 'canceled', reason = $2, canceled_at = now(),
             updated_at = now() where id = $1`,
          [row.id, refusal.slice(0, 500)],
        );
        return "canceled";
      }
      await this.#book(tx, current, fill, sourceOf(quotes));
      return "filled";
    });
  }

  /** The rules an order that waited must still pass when its price comes. */
  async #fillTimeRefusal(
    tx: Queryable,
    acct: Awaited<ReturnType<typeof loadAccount>>,
    row: OrderRow,
    quotes: Map<string, OptionQuote>,
  ): Promise<string | null> {
    const positions = await tx.query<PositionRow>(
      `select symbol, qty, cost_basis, realized_pl, opened_at, multiplier from paper_positions
       where user_id = $1 order by symbol`,
      [row.user_id],
    );
    const openBuys = await tx.query<OpenBuyRow>(`${OPEN_BUYS} and id <> $2`, [
      row.user_id,
      row.id,
    ]);
    const settings = await getSettings(tx, row.user_id);
    const marks = await quotesFor(this.#market, positions.map((p) => p.symbol));
    const v = value(
      acct,
      positions,
      marks,
      reservedBy(openBuys, marks, positions),
      Number(acct.starting_cash),
      this.#market.source,
      this.#now(),
    );
    const req = requestOf(row);
    const promised = await promisedToClose(tx, row.user_id, row.id);
    const a = assessOption({
      request: req,
      quotes,
      held: holdings(positions, promised, req, v.account.buyingPower, quotes),
      settings,
      equity: v.account.equity,
      buyingPower: v.account.buyingPower,
      dayPl: 0,
      marketOpen: true,
    });
    const binding = a.refusals.filter((c) =>
      c.rule === "option_structure" || c.rule === "option_level" || c.rule === "buying_power"
    );
    return binding.length
      ? `Canceled at fill time: ${binding.map((c) => c.message).join(" ")}`
      : null;
  }

  /** Books every leg, then the order: one transaction, so all legs fill or none. */
  async #book(tx: Queryable, row: OrderRow, fill: Fill, prices: PriceSource): Promise<OrderRow> {
    const units = Number(row.qty) - Number(row.filled_qty);
    if (row.order_class !== "mleg") {
      const booked = await applyFill(tx, {
        userId: row.user_id,
        orderId: row.id,
        symbol: row.symbol,
        side: row.side,
        qty: units,
        price: fill.fills[0].price,
        prices,
        multiplier: OPTION_MULTIPLIER,
      });
      return booked.order;
    }
    for (const [leg, f] of fill.fills.entries()) {
      await applyLegFill(tx, {
        userId: row.user_id,
        orderId: row.id,
        symbol: f.symbol,
        side: f.side,
        qty: units * f.ratioQty,
        price: f.price,
        prices,
        multiplier: OPTION_MULTIPLIER,
      }, leg);
    }
    // The order's price is what its side says: paid for a debit ("buy"), received for a credit
    // ("sell"). When the legs filled the other way (a market close of a spread that now costs
    // money though it was opened for a debit, or a debit limit met at a credit), the side
    // follows the money, so the stored price is never negative and reads the right way.
    const side = fill.net > 0 ? "buy" : fill.net < 0 ? "sell" : row.side;
    const [updated] = await tx.query<OrderRow>(
      `update orders set status = 'filled', filled_qty = qty, filled_avg_price = $2,
         filled_at = now(), prices = $3, side = $4, updated_at = now()
       where id = $1 returning *`,
      [row.id, Math.abs(fill.net), prices, side],
    );
    return (await attachLegs(tx, [updated]))[0];
  }
}

function sourceOf(quotes: Map<string, OptionQuote>): PriceSource {
  return quotes.values().next().value?.source ?? "replay";
}

/**
 * What open orders (other than `except`) already promise away: contracts per OCC symbol to
 * closing orders, and shares per stock symbol to sells (shares a resting sell will take cannot
 * cover a call).
 */
export async function promisedToClose(
  q: Queryable,
  userId: number,
  except: string,
): Promise<Map<string, number>> {
  const rows = await q.query<{ symbol: string; side: "buy" | "sell"; n: string }>(
    `select symbol, side, sum(n)::text as n from (
       select o.symbol, o.side, o.qty - o.filled_qty as n from orders o
        where o.user_id = $1 and o.broker = 'paper' and o.asset_class = 'us_option'
          and o.order_class = 'simple' and o.id <> $2
          and o.position_intent in ('sell_to_close', 'buy_to_close')
          and o.status in ('accepted', 'new', 'partially_filled')
       union all
       select l.symbol, l.side, (o.qty - o.filled_qty) * l.ratio_qty from order_legs l
         join orders o on o.id = l.order_id
        where o.user_id = $1 and o.broker = 'paper' and o.id <> $2
          and l.position_intent in ('sell_to_close', 'buy_to_close')
          and o.status in ('accepted', 'new', 'partially_filled')
       union all
       select o.symbol, o.side, o.qty - o.filled_qty from orders o
        where o.user_id = $1 and o.broker = 'paper' and o.asset_class = 'us_equity'
          and o.side = 'sell' and o.qty is not null and o.id <> $2
          and o.status in ('accepted', 'new', 'partially_filled')
     ) p group by symbol, side`,
    [userId, except],
  );
  const out = new Map<string, number>();
  // A promised sale takes from a long (−), a promised purchase from a short (+).
  for (const r of rows) {
    out.set(r.symbol, (out.get(r.symbol) ?? 0) + (r.side === "sell" ? -1 : 1) * Number(r.n));
  }
  return out;
}

/**
 * What the checks see as held: shares of the underlying not promised to open sells, free cash,
 * contracts free to close, and (`covers`) the contracts that cover: a long promised to a sale
 * may be gone soon, a short promised to a purchase is there until that purchase fills.
 */
function holdings(
  positions: PositionRow[],
  promised: Map<string, number>,
  req: OrderRequest,
  buyingPower: number,
  quotes: Map<string, OptionQuote>,
): Holdings {
  const underlying = requestUnderlying(req);
  const options: Record<string, number> = {};
  const covers: Record<string, number> = {};
  for (const p of positions) {
    if (Number(p.multiplier) === 1) continue;
    const held = Number(p.qty);
    const free = held + (promised.get(p.symbol) ?? 0);
    // Promises never turn a long into a short on paper: what is left to close, on its side.
    options[p.symbol] = held > 0 ? Math.max(0, free) : Math.min(0, free);
    covers[p.symbol] = held > 0 ? options[p.symbol] : held;
  }
  const shares = Number(positions.find((p) => p.symbol === underlying)?.qty ?? 0);
  const price = [...quotes.values()].find((q) => q.underlyingPrice !== null)?.underlyingPrice;
  return {
    sharesHeld: shares > 0 ? Math.max(0, shares + (promised.get(underlying) ?? 0)) : shares,
    cash: buyingPower,
    options,
    covers,
    ...(price ? { underlyingPrice: price } : {}),
  };
}

export type { OptionAssessment, Settings };
