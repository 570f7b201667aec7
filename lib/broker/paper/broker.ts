/**
 * The built-in paper broker (the default `Broker`): each user's account lives in Postgres and
 * fills against `MarketData` — market orders at the ask (buys) or bid (sells), working orders
 * when the quote crosses their price (lib/broker/paper/triggers.ts), checked on every streamed
 * quote (`PaperMatcher`) and by the cron job (`sync`).
 *
 * Nothing is lost and nothing is placed twice: an order is inserted, checked against the
 * user's limits and (if it can) filled in ONE transaction that holds the user's account lock;
 * its `client_order_id` is unique per user, so a retried submission finds the first order.
 * A refused order rolls back and leaves nothing behind.
 *
 * @module
 */
import type { Database, Queryable } from "../../db/database.ts";
import type { Logger } from "../../log.ts";
import type { MarketData, Quote } from "../../market/types.ts";
import { getSettings, type Settings } from "../../settings.ts";
import { closingOrder } from "../closing.ts";
import { estimatePrice, replaceProblem } from "../checks.ts";
import { strategyCloseOrder } from "../close_strategy.ts";
import {
  assertSameRequest,
  closeFingerprint,
  closeStrategyFingerprint,
  orderFingerprint,
  replaceFingerprint,
} from "../idempotency.ts";
import {
  checkedSubmit,
  existingOrder,
  type Intent,
  type Judge,
  judgeFor,
  noPrice,
  type PlacementSteps,
} from "../pipeline.ts";
import { type FillQuery, listFills } from "../fills_repo.ts";
import {
  attachLegs,
  findByClientOrderId,
  getOrderRow,
  listOrderRows,
  type OrderRow,
  toOrder,
} from "../orders_repo.ts";
import {
  type Broker,
  type ClosePositionRequest,
  type CloseStrategyRequest,
  type Fill,
  type HistoryRange,
  IdempotencyKeyReusedError,
  isOpenStatus,
  type Order,
  OrderNotFoundError,
  type OrderQuery,
  OrderRefusedError,
  type OrderRequest,
  OrderStateError,
  type PortfolioHistory,
  type Position,
  type ReplaceRequest,
  type SubmitResult,
  type SyncReport,
} from "../types.ts";
import {
  afterFill,
  lastEquity,
  loadAccount,
  loadPositions,
  lockAccount,
  type PositionRow,
  quotesFor,
  reservedBy,
  reservedForOpenBuys,
  type Valuation,
  value,
  writeSnapshot,
} from "./account.ts";
import { applyFill, type Booked, type BookFill } from "./ledger.ts";
import { insertAndRead } from "./placement_read.ts";
import { startOfNyDay } from "../../shared/ny_time.ts";
import { evaluate, type WorkingOrder } from "./triggers.ts";
import { historyFromSnapshots } from "./history.ts";
import { PaperOptionDesk } from "./option_orders.ts";
import { type ExpiryReport, settleExpiredOptions } from "./expiry.ts";
import { shareSaleRefusal } from "./share_cover.ts";
import { parseOcc } from "../../options/occ.ts";
import { underlyingOf } from "../../options/underlying.ts";
import { buyingPowerAtFill, buyRefusal, readAtFill } from "./fill_time.ts";
import { isOptionRequest } from "../option_checks.ts";
import { dayOrderOver, expiryOf } from "./day_orders.ts";
import { sharesWithUnit } from "../../shared/money.ts";

export { dayOrderOver, type Expiry, expiryOf } from "./day_orders.ts";

export interface PaperBrokerOptions {
  db: Database;
  market: MarketData;
  log?: Logger;
  now?: () => number;
}

export function working(row: OrderRow): WorkingOrder {
  const n = (v: string | null) => v === null ? null : Number(v);
  return {
    side: row.side,
    type: row.type,
    limitPrice: n(row.limit_price),
    stopPrice: n(row.stop_price),
    trailPrice: n(row.trail_price),
    trailPercent: n(row.trail_percent),
    hwm: n(row.hwm),
    triggered: row.triggered_at !== null,
  };
}

export class PaperBroker implements Broker {
  readonly kind = "paper" as const;
  readonly db: Database;
  readonly market: MarketData;
  readonly log?: Logger;
  readonly now: () => number;
  /** Called with a symbol when an order on it starts working (the matcher subscribes). */
  onWorking?: (symbol: string) => void;
  /** The shared checked-submit pipeline's steps on the paper ledger (lib/broker/pipeline.ts). */
  readonly #steps: PlacementSteps;
  /** Per user, the symbols held when the last order was placed (`#place`'s quote hint). */
  readonly #heldHint = new Map<number, string[]>();
  /** Orders whose equity point was written with their fill: the snapshot step is done. */
  readonly #snapshotted = new WeakSet<Order>();
  readonly #options: PaperOptionDesk;

  constructor(opts: PaperBrokerOptions) {
    this.db = opts.db;
    this.market = opts.market;
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.#options = new PaperOptionDesk({ db: this.db, market: this.market, now: this.now });
    this.#steps = {
      db: this.db,
      settle: (row) => Promise.resolve(row),
      // Option orders take their own path (option_orders.ts): the stock path stays as lean.
      place: async (userId, intent, judge) => {
        if (!isOptionRequest(intent.request)) return this.#place(userId, intent, judge, null);
        const placed = await this.#options.place(userId, intent);
        if (!placed.duplicate && isOpenStatus(placed.order.status)) {
          this.onWorking?.(quotedSymbolOf(placed.order.symbol));
        }
        return placed;
      },
      snapshot: (userId, order) => this.#snapshotAfter(userId, order),
      findsTwins: true,
    };
  }

  async #valuation(q: Queryable, userId: number, settings: Settings, lock = false) {
    const acct = await loadAccount(q, userId, settings.startingCash, { lock });
    const rows = await loadPositions(q, userId);
    return { acct, rows };
  }

  async #valued(userId: number): Promise<Valuation> {
    const settings = await getSettings(this.db, userId);
    const { acct, rows } = await this.#valuation(this.db, userId, settings);
    const quotes = await quotesFor(this.market, rows.map((r) => r.symbol));
    const reserved = await reservedForOpenBuys(this.db, userId, quotes, rows);
    const nowMs = this.now();
    const last = await lastEquity(this.db, acct, nowMs);
    return value(acct, rows, quotes, reserved, last, this.market.source, nowMs);
  }

  get priceSource() {
    return this.market.source;
  }

  /** The paper broker is tables in the database: it answers when they do. */
  async ping(): Promise<void> {
    await this.db.query("select 1 from paper_accounts limit 1");
  }

  async account(userId: number) {
    return (await this.#valued(userId)).account;
  }

  async positions(userId: number): Promise<Position[]> {
    return (await this.#valued(userId)).positions;
  }

  submit(userId: number, req: OrderRequest): Promise<SubmitResult> {
    return checkedSubmit(this.#steps, userId, { request: req, fingerprint: orderFingerprint(req) });
  }

  /**
   * Judges and places `intent` (replacing `replaces` when given) in one transaction that holds
   * the account lock, so the checks see the account the order will change.
   */
  async #place(
    userId: number,
    intent: Intent,
    judge: Judge,
    replaces: OrderRow | null,
  ): Promise<SubmitResult> {
    const req = intent.request;
    // The symbols held at this user's last order, as a hint: quoted before the lock is taken.
    // One held now but not in the hint is quoted under the lock (below).
    const hint = this.#heldHint.get(userId) ?? [];
    const quotes = await quotesFor(this.market, [req.symbol, ...hint]);
    const quote = quotes.get(req.symbol)!;
    const clock = await this.market.clock();
    const open = clock.state === "open";
    const price = estimatePrice(req, quote);
    if (price === null) {
      // A retry of an order placed while there was a price still answers with that order.
      const twin = await existingOrder(this.#steps, userId, req.clientOrderId, intent);
      if (twin) return twin;
      throw noPrice(req);
    }
    const nowMs = this.now();
    const snapshotted = { done: false };

    const result = await this.db.transaction(async (tx) => {
      const acct = await loadAccount(
        tx,
        userId,
        async () => (await getSettings(tx, userId)).startingCash,
        { lock: true },
      );
      if (replaces) {
        const old = await getOrderRow(tx, userId, replaces.id, { lock: true });
        if (!isOpenStatus(old.status)) {
          throw new OrderStateError(`Order ${old.id} is ${old.status}; it cannot be replaced.`);
        }
      }
      const placed = await insertAndRead(
        tx,
        {
          userId,
          broker: "paper",
          request: req,
          status: req.type === "market" && !open ? "accepted" : "new",
          expiresSession: req.timeInForce === "day" ? expiryOf(clock).date : null,
          expiresSessionNo: req.timeInForce === "day" ? expiryOf(clock).session : null,
          replaces: replaces?.id ?? null,
          hwm: req.type === "trailing_stop" ? quote.last ?? price : null,
          fingerprint: intent.fingerprint,
        },
        startOfNyDay(nowMs),
        replaces ? [replaces.id] : [],
      );
      const { row, settings } = placed;
      if (!row) {
        const twin = (await findByClientOrderId(tx, userId, req.clientOrderId))!;
        assertSameRequest(twin, intent.fingerprint);
        return { order: twin, duplicate: true, checks: [] };
      }
      const rows = placed.positions;
      this.#heldHint.set(userId, rows.map((r) => r.symbol));
      // A holding opened since the quotes were fetched (a concurrent fill) needs its price too.
      const unquoted = rows.map((r) => r.symbol).filter((s) => !quotes.has(s));
      if (unquoted.length) {
        for (const [s, q] of await quotesFor(this.market, unquoted)) quotes.set(s, q);
      }
      // The new order is not among the open buys read (the reads do not see the insert).
      const reserved = reservedBy(placed.openBuys, quotes, rows);
      const last = placed.lastEquity ?? Number(acct.starting_cash);
      const v = value(acct, rows, quotes, reserved, last, this.market.source, nowMs);
      const position = rows.find((r) => r.symbol === req.symbol) ?? null;
      const positionQty = Number(position?.qty ?? 0);
      const promised = req.side === "sell" ? placed.promised : 0;
      const a = judge({
        price,
        last: quote.last,
        settings,
        equity: v.account.equity,
        buyingPower: v.account.buyingPower,
        positionQty: positionQty > 0 ? Math.max(0, positionQty - promised) : positionQty,
        dayPl: v.account.dayPl,
        marketOpen: open,
      });
      const uncovers = shareSaleRefusal(
        req,
        rows,
        positionQty > 0 ? Math.max(0, positionQty - promised) : positionQty,
        a.qty,
        a.checks,
      );
      if (uncovers) throw uncovers;
      if (replaces) {
        await tx.query(
          `update orders set status = 'replaced', replaced_by = $2, replaced_at = now(),
             updated_at = now() where id = $1`,
          [replaces.id, row.id],
        );
      }
      // The checks above ran under the same lock and at this price: no fill-time re-check.
      const filled = await this.#tryFill(tx, row, quote, open, {
        qty: a.qty,
        assessed: true,
        held: position,
        // The equity point after the fill, valued from what is already known: written with the
        // fill, it costs no round trip of its own.
        snapshot: (fill) => {
          snapshotted.done = true;
          const now = afterFill(acct, rows, { symbol: req.symbol, ...fill });
          const after = value(
            now.acct,
            now.rows,
            quotes,
            reserved,
            last,
            this.market.source,
            nowMs,
          );
          return { equity: after.account.equity, cash: after.account.cash };
        },
      });
      return { order: filled?.row ?? row, duplicate: false, checks: a.checks };
    });
    const order = toOrder(result.order);
    if (snapshotted.done) this.#snapshotted.add(order);
    if (!result.duplicate && isOpenStatus(order.status)) {
      this.onWorking?.(quotedSymbolOf(order.symbol));
    }
    return { order, duplicate: result.duplicate, checks: result.checks };
  }

  /**
   * Fills `row` if the quote lets it (updating a trailing stop's mark or a stop-limit's trigger
   * otherwise); returns the updated row and what the fill booked, or null when nothing changed.
   * Holds the account lock. `assessed`: the pre-trade checks just ran in this transaction.
   */
  async #tryFill(
    tx: Queryable,
    row: OrderRow,
    quote: Quote,
    open: boolean,
    opts: {
      qty?: number;
      assessed?: boolean;
      held?: PositionRow | null;
      snapshot?: BookFill["snapshot"];
    } = {},
  ): Promise<{ row: OrderRow; booked?: Booked } | null> {
    const qty = opts.qty;
    const d = evaluate(working(row), quote, open);
    if (d.hwm !== undefined || d.triggered) {
      await tx.query(
        `update orders set hwm = coalesce($2, hwm),
           triggered_at = case when $3 then coalesce(triggered_at, now()) else triggered_at end,
           updated_at = now() where id = $1`,
        [row.id, d.hwm ?? null, d.triggered ?? false],
      );
    }
    if (d.fill === undefined) {
      if (d.hwm === undefined && !d.triggered) return null;
      return { row: await getOrderRow(tx, row.user_id, row.id) };
    }
    const shares = row.qty !== null
      ? Number(row.qty) - Number(row.filled_qty)
      : qty ?? Math.floor(Number(row.notional) / d.fill * 1e8) / 1e8;
    if (!(shares > 0)) {
      await this.#finish(
        tx,
        row.id,
        "canceled",
        "The dollar amount buys less than 0.00000001 shares.",
      );
      return { row: await getOrderRow(tx, row.user_id, row.id) };
    }
    const refusal = opts.assessed
      ? null
      : await this.#fillTimeRefusal(tx, row, shares, d.fill, quote);
    if (refusal) {
      await this.#finish(tx, row.id, "canceled", refusal);
      return { row: await getOrderRow(tx, row.user_id, row.id) };
    }
    const booked = await applyFill(tx, {
      userId: row.user_id,
      orderId: row.id,
      symbol: row.symbol,
      side: row.side,
      qty: shares,
      price: d.fill,
      prices: quote.source,
      held: opts.held,
      snapshot: opts.snapshot,
    });
    return { row: booked.order, booked };
  }

  /**
   * A working order may find, when its price comes, that the account can no longer take it: a
   * buy is judged against buying power (fill_time.ts), a sell against short selling being off.
   */
  async #fillTimeRefusal(
    tx: Queryable,
    row: OrderRow,
    shares: number,
    price: number,
    quote: Quote,
  ): Promise<string | null> {
    const at = await readAtFill(tx, row.user_id, row.id);
    const pos = at.positions.find((p) => p.symbol === row.symbol && Number(p.multiplier) === 1);
    const held = Number(pos?.qty ?? 0);
    // Covering a short costs no buying power: the cash it pays was counted against buying power
    // at the short's mark all along. Only the shares bought past the cover (a long) need it.
    const opening = row.side === "buy" ? shares - Math.max(0, -held) : 0;
    if (opening > 1e-9) {
      const buyingPower = await buyingPowerAtFill(this.market, at, quote, this.now());
      return buyRefusal(opening * price, buyingPower, Number(at.acct.cash));
    }
    if (row.side === "sell" && shares > held + 1e-9) {
      const settings = await getSettings(tx, row.user_id);
      if (!settings.allowShortSelling) {
        return `Canceled at fill time: selling ${
          sharesWithUnit(shares)
        } would go short (you hold ${held}) and short selling is off.`;
      }
    }
    return null;
  }

  async #finish(tx: Queryable, id: string, status: "canceled" | "expired", reason: string) {
    const column = status === "canceled" ? "canceled_at" : "expired_at";
    await tx.query(
      `update orders set status = $2, reason = $3, ${column} = now(), updated_at = now()
       where id = $1`,
      [id, status, reason],
    );
  }

  /** The pipeline's snapshot step: done with the fill at placement, else a fresh valuation. */
  async #snapshotAfter(userId: number, order: Order): Promise<void> {
    if (this.#snapshotted.has(order) || order.filledQty === 0) return;
    await this.#snapshot(userId);
  }

  async #snapshot(userId: number): Promise<void> {
    try {
      const { account } = await this.#valued(userId);
      await writeSnapshot(this.db, userId, account.equity, account.cash);
    } catch (err) {
      // The fill is booked; a missing history point is not worth failing the order for.
      this.log?.warn("equity snapshot failed", { userId, error: String(err) });
    }
  }

  async order(userId: number, id: string): Promise<Order> {
    return toOrder(await getOrderRow(this.db, userId, id));
  }

  async orders(userId: number, query?: OrderQuery): Promise<Order[]> {
    return (await listOrderRows(this.db, userId, "paper", query)).map(toOrder);
  }

  async cancel(userId: number, id: string): Promise<Order> {
    const row = await this.db.transaction(async (tx) => {
      await lockAccount(tx, userId);
      const row = await getOrderRow(tx, userId, id, { lock: true });
      if (!isOpenStatus(row.status)) {
        throw new OrderStateError(
          `Order ${id} is ${row.status}; only open orders can be canceled.`,
          row.status,
        );
      }
      await this.#finish(tx, id, "canceled", "Canceled by you.");
      return await getOrderRow(tx, userId, id);
    });
    return toOrder(row);
  }

  async replace(userId: number, id: string, change: ReplaceRequest): Promise<Order> {
    const old = await getOrderRow(this.db, userId, id);
    if (!isOpenStatus(old.status)) {
      throw new OrderStateError(`Order ${id} is ${old.status}; it cannot be replaced.`, old.status);
    }
    const o = toOrder(old);
    if (o.assetClass === "us_option") {
      throw new OrderRefusedError(
        "Option orders cannot be replaced: cancel this one and send a new order.",
        "invalid_order",
      );
    }
    const problem = replaceProblem(o, change);
    if (problem) throw new OrderRefusedError(problem, "invalid_order");
    const req: OrderRequest = {
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      timeInForce: change.timeInForce ?? o.timeInForce,
      ...(o.notional !== null
        ? { notional: o.notional }
        : { qty: change.qty ?? (o.qty! - o.filledQty) }),
      ...(o.limitPrice !== null || change.limitPrice !== undefined
        ? { limitPrice: change.limitPrice ?? o.limitPrice! }
        : {}),
      ...(o.stopPrice !== null || change.stopPrice !== undefined
        ? { stopPrice: change.stopPrice ?? o.stopPrice! }
        : {}),
      ...(o.trailPrice !== null ? { trailPrice: change.trail ?? o.trailPrice } : {}),
      ...(o.trailPercent !== null ? { trailPercent: change.trail ?? o.trailPercent } : {}),
      clientOrderId: change.clientOrderId ?? crypto.randomUUID(),
    };
    const intent = { request: req, fingerprint: replaceFingerprint(id, change) };
    const existing = await findByClientOrderId(this.db, userId, req.clientOrderId);
    if (existing) {
      if (existing.replaces !== id) {
        throw new IdempotencyKeyReusedError(req.clientOrderId, existing.id);
      }
      assertSameRequest(existing, intent.fingerprint);
      return toOrder(existing);
    }
    const placed = await this.#place(userId, intent, judgeFor(intent), old);
    if (!placed.duplicate) await this.#steps.snapshot(userId, placed.order);
    return placed.order;
  }

  async closePosition(
    userId: number,
    symbol: string,
    req: ClosePositionRequest,
  ): Promise<SubmitResult> {
    // A retried close finds its first order even though the position may be gone by now.
    const fingerprint = closeFingerprint(symbol, req);
    const existing = await existingOrder(this.#steps, userId, req.clientOrderId, { fingerprint });
    if (existing) return existing;
    const [pos] = await this.db.query<{ qty: string }>(
      "select qty from paper_positions where user_id = $1 and symbol = $2",
      [userId, symbol],
    );
    if (!pos) throw new OrderNotFoundError(`You hold no ${symbol}.`);
    const request = closingOrder(symbol, Number(pos.qty), req);
    return await checkedSubmit(this.#steps, userId, { request, fingerprint, closing: true });
  }

  async closeStrategy(userId: number, req: CloseStrategyRequest): Promise<SubmitResult> {
    const fingerprint = closeStrategyFingerprint(req.symbols);
    const existing = await existingOrder(this.#steps, userId, req.clientOrderId, { fingerprint });
    if (existing) return existing;
    const rows = await this.db.query<{ symbol: string; qty: string; cost_basis: string }>(
      `select symbol, qty, cost_basis from paper_positions
       where user_id = $1 and symbol = any($2::text[]) and multiplier <> 1`,
      [userId, req.symbols],
    );
    const missing = req.symbols.filter((s) => !rows.some((r) => r.symbol === s));
    if (missing.length) throw new OrderNotFoundError(`You hold no ${missing.join(", ")}.`);
    const held = req.symbols.map((s) => rows.find((r) => r.symbol === s)!);
    const request = strategyCloseOrder(
      held.map((r) => ({ symbol: r.symbol, qty: Number(r.qty), costBasis: Number(r.cost_basis) })),
      req.clientOrderId,
    );
    return await checkedSubmit(this.#steps, userId, { request, fingerprint, closing: true });
  }

  fills(userId: number, query?: FillQuery): Promise<Fill[]> {
    return listFills(this.db, userId, "paper", query);
  }

  async history(userId: number, range: HistoryRange): Promise<PortfolioHistory> {
    const { account } = await this.#valued(userId);
    return await historyFromSnapshots(this.db, userId, range, account, this.now());
  }

  /**
   * One pass over every working paper order: settles option positions whose expiration day has
   * closed (expiry.ts), fills those whose price has come, moves trailing marks, and expires day
   * orders whose session has closed. The cron job runs it every minute.
   */
  async sync(): Promise<SyncReport> {
    const report: SyncReport = { checked: 0, filled: 0, expired: 0, updated: 0, errors: 0 };
    // Options whose expiration day has closed settle first (also in replay sessions, which only
    // this sync follows), so no order works on a contract that is gone.
    const expiry = await this.settleExpiries().catch((err) => {
      this.log?.error("paper sync: option expiry failed", { error: String(err) });
      report.errors++;
      return null;
    });
    if (expiry) {
      report.settled = expiry.settled;
      report.updated += expiry.canceled;
    }
    const rows = await this.db.query<OrderRow>(
      `select * from orders where broker = 'paper' and status in ('accepted', 'new', 'partially_filled')
       order by created_at`,
    );
    if (rows.length === 0) return report;
    const clock = await this.market.clock();
    const now = expiryOf(clock);
    const live: OrderRow[] = [];
    for (const row of rows) {
      if (dayOrderOver(row, now)) {
        await this.db.transaction(async (tx) => {
          const current = await getOrderRow(tx, row.user_id, row.id, { lock: true });
          if (!isOpenStatus(current.status)) return;
          await this.#finish(
            tx,
            row.id,
            "expired",
            `A day order: the ${row.expires_session} session closed.`,
          );
          report.expired++;
        });
      } else live.push(row);
    }
    const options = live.filter((r) => r.asset_class === "us_option");
    const stocks = live.filter((r) => r.asset_class !== "us_option");
    for (const row of options) {
      report.checked++;
      const full = (await attachLegs(this.db, [row]))[0];
      const outcome = await this.#options.match(full, clock.state === "open").catch((err) => {
        this.log?.error("paper sync: option order failed", { orderId: row.id, error: String(err) });
        report.errors++;
        return null;
      });
      if (outcome === "filled") {
        report.filled++;
        await this.#snapshot(row.user_id);
      } else if (outcome === "canceled") report.updated++;
    }
    const quotes = await quotesFor(this.market, stocks.map((r) => r.symbol)).catch((err) => {
      this.log?.warn("paper sync: quotes unavailable", { error: String(err) });
      report.errors++;
      return new Map<string, Quote>();
    });
    for (const row of stocks) {
      const quote = quotes.get(row.symbol);
      if (!quote) continue;
      report.checked++;
      const outcome = await this.matchOne(row, quote, clock.state === "open").catch((err) => {
        this.log?.error("paper sync: order failed", { orderId: row.id, error: String(err) });
        report.errors++;
        return null;
      });
      if (outcome === "filled") report.filled++;
      else if (outcome === "updated") report.updated++;
    }
    return report;
  }

  /**
   * Settles the option positions whose expiration day has closed (expiry.ts) and writes an
   * equity point for each user settled, so the history shows the step when it happens rather
   * than at the next 15-minute sample.
   */
  async settleExpiries(): Promise<ExpiryReport> {
    const report = await settleExpiredOptions(this);
    for (const userId of report.users) await this.#snapshot(userId);
    return report;
  }

  /** Tries one working order against `quote` under its owner's account lock. */
  async matchOne(
    row: OrderRow,
    quote: Quote,
    open: boolean,
  ): Promise<"filled" | "updated" | "canceled" | null> {
    // Option orders are priced from their chains, never from a stock quote (an mleg order's
    // symbol is its underlying): the sync tries them.
    if (row.asset_class === "us_option") return null;
    // Most quotes change nothing: decide without a transaction first.
    const d = evaluate(working(row), quote, open);
    if (d.fill === undefined && d.hwm === undefined && !d.triggered) return null;
    const outcome = await this.db.transaction(async (tx) => {
      await lockAccount(tx, row.user_id);
      const current = await getOrderRow(tx, row.user_id, row.id, { lock: true });
      if (!isOpenStatus(current.status)) return null;
      const after = (await this.#tryFill(tx, current, quote, open))?.row;
      if (!after) return null;
      return after.status === "filled"
        ? "filled"
        : after.status === "canceled"
        ? "canceled"
        : "updated";
    });
    if (outcome === "filled") await this.#snapshot(row.user_id);
    return outcome;
  }

  /** Symbols with working paper orders (the matcher follows their quotes). */
  async workingSymbols(): Promise<string[]> {
    const rows = await this.db.query<{ symbol: string }>(
      `select distinct symbol from orders where broker = 'paper'
         and status in ('accepted', 'new', 'partially_filled')`,
    );
    return [...new Set(rows.map((r) => quotedSymbolOf(r.symbol)))];
  }

  /**
   * Tries the working option orders on `underlying` (single contracts and multi-leg orders)
   * against their chains, priced now: in replay the chain model follows the underlying's quote,
   * so a quote of the underlying is when an option order's price may have come. Returns how many
   * such orders were working (the matcher stops following an underlying with none).
   */
  async matchOptionOrders(underlying: string, open: boolean): Promise<number> {
    // Filtered here, not in SQL: a root need not start with its underlying (BRKB for BRK.B).
    const rows = (await this.db.query<OrderRow>(
      `select * from orders where broker = 'paper' and asset_class = 'us_option'
         and status in ('accepted', 'new', 'partially_filled') order by created_at`,
    )).filter((r) => quotedSymbolOf(r.symbol) === underlying);
    if (rows.length === 0 || !open) return rows.length;
    for (const row of await attachLegs(this.db, rows)) {
      // One order's failure (logged) leaves the others to be tried, as the sync does.
      const outcome = await this.#options.match(row, open).catch((err) => {
        this.log?.error("paper matcher: option order failed", {
          orderId: row.id,
          error: String(err),
        });
        return null;
      });
      if (outcome === "filled") await this.#snapshot(row.user_id);
    }
    return rows.length;
  }

  /** Writes an equity point for every paper account (the cron job's history samples). */
  async snapshotAll(): Promise<number> {
    const users = await this.db.query<{ user_id: number }>("select user_id from paper_accounts");
    for (const u of users) await this.#snapshot(u.user_id);
    return users.length;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The symbol whose quotes move an order's price: a stock's own, an option contract's underlying
 * (a multi-leg order's symbol already is its underlying's root).
 */
function quotedSymbolOf(symbol: string): string {
  const contract = parseOcc(symbol);
  return underlyingOf(contract ? contract.underlying : symbol);
}
