/**
 * The Broker seam on Alpaca paper trading, in single-account mode: one Alpaca account serves
 * every PaiiD user, so account(), positions() and history() are that account's, while orders
 * and fills belong to users through our `orders` and `trades` tables.
 *
 * Placing an order never makes two. The intent row is committed (pending_new) before anything
 * is sent, and Alpaca's `client_order_id` is that row's id: globally unique, so users whose own
 * keys happen to match can never collide in the shared account, and every resend of the same
 * intent carries the same key, which Alpaca refuses to use twice. After a timeout or 5xx the
 * order is looked up by that key before it is sent again, at most once more; whatever stays
 * unknown is left pending_new for `sync()` to settle.
 *
 * Option orders (issue 19) take the same path: one OCC contract with its position intent, or an
 * `mleg` order of 2–4 legs. What Alpaca would refuse about them (anything but a day order, stop
 * types, fractions) is refused before the intent row is written; their option columns and legs
 * are written with the row (option_rows.ts); the legs' fills arrive under the legs' own Alpaca
 * ids, resolved through their parent; expiry, exercise and assignment are booked from Alpaca's
 * option events (settlement.ts).
 *
 * @module
 */
import type { z } from "zod";
import type { Database } from "../../db/database.ts";
import type { Logger } from "../../log.ts";
import { type FillQuery, listFills } from "../fills_repo.ts";
import {
  attachLegs,
  findByClientOrderId,
  getOrderRow,
  insertOrder,
  listOrderRows,
  type NewOrder,
  type OrderRow,
  toOrder,
} from "../orders_repo.ts";
import {
  type Account,
  type Broker,
  BrokerUnavailableError,
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
import type { MarketData } from "../../market/types.ts";
import { replaceProblem } from "../checks.ts";
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
  type PlacementSteps,
  readFacts,
} from "../pipeline.ts";
import { closingOrder } from "../closing.ts";
import { strategyCloseOrder } from "../close_strategy.ts";
import { refusalMessage } from "../checks.ts";
import { assessOption, optionRefusalCode, orderLegs, requestUnderlying } from "../option_checks.ts";
import { optionQuotes } from "../option_quotes.ts";
import { getSettings } from "../../settings.ts";
import { parseOcc } from "../../options/occ.ts";
import { nyTime } from "../../shared/ny_time.ts";
import { AlpacaApiError, AlpacaHttp } from "./http.ts";
import { isAmbiguous, isDuplicateKey, refusal, replaceRefusal, unavailable } from "./errors.ts";
import {
  HISTORY_QUERY,
  isOptionRequest,
  optionOrderProblem,
  requestOf,
  toAccount,
  toLegFills,
  toOrderBody,
  toPortfolioHistory,
  toPosition,
  toReplaceBody,
} from "./map.ts";
import {
  bookSettlement,
  mlegRowsAwaitingFills,
  optionHoldings,
  type OptionOrderRow,
  saveOptionIntent,
} from "./option_rows.ts";
import { SETTLEMENT_TYPES, settlementTrades } from "./settlement.ts";
import {
  accountSchema,
  activitiesSchema,
  activityPageSchema,
  type AlpacaFillActivity,
  type AlpacaOrder,
  type AlpacaOtherActivity,
  orderSchema,
  ordersSchema,
  portfolioHistorySchema,
  positionSchema,
  positionsSchema,
  readFillPage,
} from "./schemas.ts";
import {
  applyAlpacaOrder,
  bookFill,
  deleteIntent,
  fillCursor,
  markRejected,
  markReplaced,
  neverReceivedRows,
  openAlpacaRows,
  rowsByBrokerOrderIds,
} from "./store.ts";

export interface AlpacaBrokerOptions {
  db: Database;
  keyId: string;
  secretKey: string;
  /** Trading API host, e.g. `https://paper-api.alpaca.markets`. */
  baseUrl: string;
  /**
   * The market data the pre-trade checks price orders with (the app always passes it). Without
   * it only Alpaca's own rules apply: the transport tests use that to reach Alpaca's refusals.
   */
  market?: MarketData;
  log?: Logger;
  /** Per HTTP attempt. Default 10 s. */
  timeoutMs?: number;
  now?: () => Date;
  /** Tests: first retry backoff of idempotent requests. Default 200 ms. */
  backoffBaseMs?: number;
}

/**
 * How long an intent row Alpaca has never heard of may be an answer still on its way: well
 * beyond the slowest placement (two POSTs and two lookups with their timeouts and retries).
 */
const NEVER_RECEIVED_AFTER_MS = 10 * 60_000;
/** How long such a row is still looked up, in case Alpaca's lookup lagged its order book. */
const NEVER_RECEIVED_RECHECK_MS = 24 * 60 * 60_000;
/** Fills are read from this long before the order they belong to: clocks differ. */
const FILL_OVERLAP_MS = 5 * 60_000;
const FILL_PAGE = 100;
const NEVER_RECEIVED = "Alpaca never received this order; it was not placed.";

type Lookup = { found: AlpacaOrder } | { missing: true } | { unknown: unknown };

export class AlpacaBroker implements Broker {
  readonly kind = "alpaca" as const;
  /** Alpaca marks positions itself. */
  readonly priceSource = "alpaca" as const;
  readonly #db: Database;
  readonly #http: AlpacaHttp;
  readonly #log?: Logger;
  readonly #now: () => Date;
  readonly #unreadable = new Set<string>();
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #market?: MarketData;
  /** The shared checked-submit pipeline's steps on Alpaca (lib/broker/pipeline.ts). */
  readonly #steps: PlacementSteps;

  constructor(opts: AlpacaBrokerOptions) {
    this.#db = opts.db;
    this.#market = opts.market;
    this.#steps = {
      db: this.#db,
      settle: (row) => this.#settlePending(row),
      place: (userId, intent, judge) => this.#judgeAndPlace(userId, intent, judge),
      // Alpaca keeps the account's history itself.
      snapshot: () => Promise.resolve(),
    };
    this.#log = opts.log;
    this.#now = opts.now ?? (() => new Date());
    this.#http = new AlpacaHttp({
      keyId: opts.keyId,
      secretKey: opts.secretKey,
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs,
      backoffBaseMs: opts.backoffBaseMs,
      log: opts.log,
    });
  }

  /** Alpaca answers when its account can be read. */
  async ping(): Promise<void> {
    await this.account(0);
  }

  /** Alpaca keeps the account's history itself. */
  snapshotAll(): Promise<number> {
    return Promise.resolve(0);
  }

  async account(_userId: number): Promise<Account> {
    const [account, positions] = await this.#read(() =>
      Promise.all([
        this.#joined("/v2/account", accountSchema),
        this.#joined("/v2/positions", positionsSchema),
      ])
    );
    const unrealized = positions.reduce((sum, p) => sum + Number(p.unrealized_pl ?? 0), 0);
    return toAccount(account, unrealized, this.#now());
  }

  async positions(_userId: number): Promise<Position[]> {
    const positions = await this.#read(() => this.#joined("/v2/positions", positionsSchema));
    return positions.map(toPosition).sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  /**
   * A GET that callers asking at the same moment share: a preview reads the account and the
   * positions together, and every user's screen reads the same shared account. Only requests
   * in flight are shared, so nothing is ever served stale.
   */
  #joined<T extends z.ZodType>(path: string, schema: T): Promise<z.output<T>> {
    const pending = this.#inFlight.get(path);
    if (pending) return pending as Promise<z.output<T>>;
    const request = this.#http.get(path, schema).finally(() => this.#inFlight.delete(path));
    this.#inFlight.set(path, request);
    return request;
  }

  async history(_userId: number, range: HistoryRange): Promise<PortfolioHistory> {
    const h = await this.#read(() =>
      this.#http.get("/v2/account/portfolio/history", portfolioHistorySchema, {
        query: HISTORY_QUERY[range],
      })
    );
    return toPortfolioHistory(range, h);
  }

  // ---- Orders --------------------------------------------------------------------------------

  submit(userId: number, req: OrderRequest): Promise<SubmitResult> {
    return checkedSubmit(this.#steps, userId, { request: req, fingerprint: orderFingerprint(req) });
  }

  /** The pipeline's checks and placement: judged on a fresh read, then sent. */
  async #judgeAndPlace(userId: number, intent: Intent, judge: Judge): Promise<SubmitResult> {
    const req = intent.request;
    const problem = optionOrderProblem(req);
    if (problem) throw new OrderRefusedError(problem, "invalid_order");
    const checks = !this.#market
      ? []
      : isOptionRequest(req)
      ? await this.#judgeOption(userId, req, intent.closing ?? false)
      : judge(
        (await readFacts({ db: this.#db, market: this.#market, broker: this }, userId, req))
          .facts,
      ).checks;
    // The intent is committed before any request, so a crash mid-flight leaves a row to settle.
    const row = await this.#insertIntent({
      userId,
      broker: "alpaca",
      request: req,
      status: "pending_new",
      fingerprint: intent.fingerprint,
    });
    if (!row) {
      const twin = await findByClientOrderId(this.#db, userId, req.clientOrderId);
      if (!twin) throw new BrokerUnavailableError("The order could not be recorded; try again.");
      assertSameRequest(twin, intent.fingerprint);
      return { order: await this.#toOrder(twin), duplicate: true };
    }
    return { ...await this.#place(row, req), checks };
  }

  /**
   * The option rules (lib/broker/option_checks.ts) on the chain's quotes and Alpaca's account, as
   * the preview reads them; a closing order is spared the size rule, as stock closes are.
   */
  async #judgeOption(userId: number, req: OrderRequest, closing: boolean) {
    const market = this.#market!;
    const legs = orderLegs(req);
    const [settings, quotes, clock, account, positions] = await Promise.all([
      getSettings(this.#db, userId),
      optionQuotes(market, legs.map((l) => l.symbol)),
      market.clock(),
      this.account(userId),
      this.positions(userId),
    ]);
    const options: Record<string, number> = {};
    for (const p of positions) if (p.option) options[p.symbol] = p.qty;
    const underlyingPrice = quotes.values().next().value?.underlyingPrice ?? undefined;
    const a = assessOption({
      request: req,
      quotes,
      held: {
        sharesHeld: positions.find((p) => p.symbol === requestUnderlying(req))?.qty ?? 0,
        cash: account.buyingPower,
        options,
        ...(underlyingPrice ? { underlyingPrice } : {}),
      },
      settings,
      equity: account.equity,
      buyingPower: account.buyingPower,
      dayPl: account.dayPl,
      marketOpen: clock.state === "open",
    });
    const refusals = closing ? a.refusals.filter((c) => c.rule !== "quantity") : a.refusals;
    if (refusals.length) {
      throw new OrderRefusedError(
        refusalMessage(refusals),
        optionRefusalCode(refusals),
        a.checks,
      );
    }
    return a.checks;
  }

  /** The intent row; an option order's columns and legs go in the same transaction. */
  async #insertIntent(o: NewOrder): Promise<OrderRow | null> {
    if (!isOptionRequest(o.request)) return await insertOrder(this.#db, o);
    return await this.#db.transaction(async (tx) => {
      const row = await insertOrder(tx, o);
      if (!row) return null;
      await saveOptionIntent(tx, row.id, o.request);
      const [marked] = await tx.query<OrderRow>("select * from orders where id = $1", [row.id]);
      return marked;
    });
  }

  /** The seam's order for a row, with its option fields and legs. */
  async #toOrder(row: OrderRow): Promise<Order> {
    return toOrder((await attachLegs(this.#db, [row]))[0]);
  }

  /** Sends the intent `row`; at most two POSTs, never a second order. */
  async #place(row: OrderRow, req: OrderRequest): Promise<SubmitResult> {
    const body = toOrderBody(req, row.id);
    for (let post = 1; post <= 2; post++) {
      let sent: AlpacaOrder;
      try {
        sent = await this.#http.post("/v2/orders", orderSchema, { body });
      } catch (err) {
        if (isDuplicateKey(err)) {
          // The key is this row's own id: an earlier POST of this very intent landed. Within
          // this call (post 2) that is the first success; otherwise a retry found it.
          const found = await this.#lookup(row.id);
          if ("found" in found) {
            const settled = await applyAlpacaOrder(this.#db, row.id, found.found);
            return { order: await this.#toOrder(settled), duplicate: post === 1 };
          }
          return this.#leavePending(row, "duplicate key but not found", found);
        }
        if (isAmbiguous(err)) {
          this.#log?.warn("alpaca order outcome unknown; looking it up", {
            orderId: row.id,
            post,
            error: (err as Error).message,
          });
          const found = await this.#lookup(row.id);
          if ("found" in found) {
            const settled = await applyAlpacaOrder(this.#db, row.id, found.found);
            return { order: await this.#toOrder(settled), duplicate: false };
          }
          if ("missing" in found && post < 2) continue;
          return this.#leavePending(row, "still unknown after lookup", found);
        }
        if (post > 1) {
          // The first POST's fate was unknown: it may have landed after all, and Alpaca may have
          // checked buying power before the key. Only sync() may decide it never arrived.
          const late = await this.#lookup(row.id);
          if ("found" in late) {
            return {
              order: await this.#toOrder(await applyAlpacaOrder(this.#db, row.id, late.found)),
              duplicate: false,
            };
          }
          return this.#leavePending(row, "resend refused; the first send may have landed", late);
        }
        await deleteIntent(this.#db, row.id);
        throw refusal(err);
      }
      const settled = await applyAlpacaOrder(this.#db, row.id, sent);
      this.#log?.info("alpaca order placed", {
        orderId: row.id,
        brokerOrderId: sent.id,
        status: settled.status,
      });
      return { order: await this.#toOrder(settled), duplicate: false };
    }
    return this.#leavePending(row, "unreachable", { missing: true });
  }

  async #leavePending(row: OrderRow, why: string, lookup: Lookup): Promise<SubmitResult> {
    this.#logPending(row, why, lookup);
    return { order: await this.#toOrder(row), duplicate: false };
  }

  #logPending(row: OrderRow, why: string, lookup: Lookup): void {
    this.#log?.warn("alpaca order left pending_new for sync", {
      orderId: row.id,
      why,
      error: "unknown" in lookup ? String((lookup.unknown as Error)?.message) : undefined,
    });
  }

  /** GET by client id (with the client's retries): found, definitely missing, or unknown. */
  async #lookup(clientOrderId: string): Promise<Lookup> {
    try {
      const found = await this.#http.get("/v2/orders:by_client_order_id", orderSchema, {
        query: { client_order_id: clientOrderId },
      });
      return { found };
    } catch (err) {
      if (err instanceof AlpacaApiError && err.status === 404) return { missing: true };
      return { unknown: err };
    }
  }

  /** One order by Alpaca's id, an mleg with its legs (`nested`, §5.4). */
  #getOrder(brokerOrderId: string): Promise<AlpacaOrder> {
    return this.#http.get(`/v2/orders/${brokerOrderId}`, orderSchema, { query: { nested: true } });
  }

  /** Alpaca's current view of `row`, when it can be had; the stored row otherwise. */
  async #refresh(row: OrderRow): Promise<OrderRow> {
    try {
      if (row.broker_order_id) {
        const o = await this.#getOrder(row.broker_order_id);
        return await applyAlpacaOrder(this.#db, row.id, o);
      }
      const found = await this.#lookup(row.id);
      if ("found" in found) return await applyAlpacaOrder(this.#db, row.id, found.found);
    } catch (err) {
      this.#log?.warn("alpaca order refresh failed", {
        orderId: row.id,
        error: (err as Error).message,
      });
    }
    return row;
  }

  async #settlePending(row: OrderRow): Promise<OrderRow> {
    return row.broker === "alpaca" && row.status === "pending_new" ? await this.#refresh(row) : row;
  }

  async #ownRow(userId: number, id: string): Promise<OrderRow> {
    const row = await getOrderRow(this.#db, userId, id);
    if (row.broker !== "alpaca") throw new OrderNotFoundError(`No order ${id}.`);
    return row;
  }

  async order(userId: number, id: string): Promise<Order> {
    const row = await this.#ownRow(userId, id);
    return await this.#toOrder(isOpenStatus(row.status) ? await this.#refresh(row) : row);
  }

  async orders(userId: number, query?: OrderQuery): Promise<Order[]> {
    return (await listOrderRows(this.#db, userId, "alpaca", query)).map(toOrder);
  }

  /** The row with its Alpaca id, resolving a pending_new one by client id first. */
  async #placedRow(userId: number, id: string): Promise<OrderRow & { broker_order_id: string }> {
    let row = await this.#ownRow(userId, id);
    if (!row.broker_order_id) row = await this.#refresh(row);
    if (!row.broker_order_id) {
      throw new OrderStateError(
        row.status === "pending_new"
          ? "The order is still being placed; try again in a moment."
          : `The order is ${row.status}.`,
        row.status,
      );
    }
    return row as OrderRow & { broker_order_id: string };
  }

  async cancel(userId: number, id: string): Promise<Order> {
    const row = await this.#placedRow(userId, id);
    const path = `/v2/orders/${row.broker_order_id}`;
    try {
      await this.#http.delete(path, null);
    } catch (err) {
      if (err instanceof AlpacaApiError && err.status === 422) {
        const now = await this.#refresh(row);
        // A retried DELETE meets 422 when the first one landed: the cancel is done.
        if (now.status === "canceled" || now.status === "pending_cancel") {
          return await this.#toOrder(now);
        }
        throw new OrderStateError(
          `The order is ${now.status}; it can no longer be canceled.`,
          now.status,
        );
      }
      if (err instanceof AlpacaApiError && err.status === 404) {
        throw new OrderNotFoundError(`No order ${id}.`);
      }
      throw unavailable(err);
    }
    // 204 accepts the cancel; the order moves to canceled asynchronously (§5.10).
    let o = await this.#read(() => this.#getOrder(row.broker_order_id));
    for (let i = 0; i < 5 && o.status === "pending_cancel"; i++) {
      await delay(100 * (i + 1));
      o = await this.#read(() => this.#getOrder(row.broker_order_id));
    }
    return await this.#toOrder(await applyAlpacaOrder(this.#db, row.id, o));
  }

  async replace(userId: number, id: string, change: ReplaceRequest): Promise<Order> {
    const old = await this.#placedRow(userId, id);
    if (!isOpenStatus(old.status)) {
      throw new OrderStateError(`The order is ${old.status}; it can no longer be replaced.`);
    }
    const problem = replaceProblem(
      { type: old.type, notional: old.notional, trailPercent: old.trail_percent },
      change,
    );
    if (problem) throw new OrderRefusedError(problem, "invalid_order");
    const option = old as OptionOrderRow;
    if (option.order_class === "mleg") {
      throw new OrderRefusedError(
        "PaiiD does not change a multi-leg order at Alpaca; cancel it and place a new one.",
        "invalid_order",
      );
    }
    const key = change.clientOrderId ?? crypto.randomUUID();
    const asked: OrderRequest = {
      ...requestOf(old, change, key),
      ...(option.position_intent ? { positionIntent: option.position_intent } : {}),
    };
    const refused = optionOrderProblem(asked);
    if (refused) throw new OrderRefusedError(refused, "invalid_order");
    const fingerprint = replaceFingerprint(old.id, change);
    const fresh = await this.#insertIntent({
      userId,
      broker: "alpaca",
      request: asked,
      status: "pending_new",
      replaces: old.id,
      fingerprint,
    });
    if (!fresh) {
      const twin = await findByClientOrderId(this.#db, userId, key);
      if (!twin) throw new BrokerUnavailableError("The order could not be recorded; try again.");
      if (twin.replaces !== old.id) throw new IdempotencyKeyReusedError(key, twin.id);
      assertSameRequest(twin, fingerprint);
      return await this.#toOrder(await this.#settlePending(twin));
    }
    let placed: AlpacaOrder;
    try {
      placed = await this.#http.patch(`/v2/orders/${old.broker_order_id}`, orderSchema, {
        body: toReplaceBody(change, fresh.id),
      });
    } catch (err) {
      if (isAmbiguous(err)) {
        const found = await this.#lookup(fresh.id);
        if (!("found" in found)) {
          // The replace may still land: the row stays pending_new for sync() to settle.
          this.#logPending(fresh, "replace outcome unknown", found);
          throw new BrokerUnavailableError(
            "Alpaca did not answer the replace; the order list will show its outcome shortly.",
          );
        }
        placed = found.found;
      } else {
        await deleteIntent(this.#db, fresh.id);
        throw replaceRefusal(err, id);
      }
    }
    const next = await applyAlpacaOrder(this.#db, fresh.id, placed);
    let oldStatus: "replaced" | "pending_replace" = "pending_replace";
    try {
      const was = await this.#getOrder(old.broker_order_id);
      // Its fills since the last sync must be on its row before the row stops being synced.
      await applyAlpacaOrder(this.#db, old.id, was);
      if (was.status === "replaced") oldStatus = "replaced";
    } catch {
      // The sync job will see the old order's final status.
    }
    await markReplaced(this.#db, old.id, fresh.id, oldStatus);
    return await this.#toOrder(next);
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
    let position;
    try {
      position = await this.#http.get(
        `/v2/positions/${encodeURIComponent(symbol)}`,
        positionSchema,
      );
    } catch (err) {
      if (err instanceof AlpacaApiError && err.status === 404) {
        throw new OrderNotFoundError(`No position in ${symbol}.`);
      }
      throw unavailable(err);
    }
    const qty = Math.abs(Number(position.qty));
    const held = position.side === "short" ? -qty : qty;
    // Options close in whole contracts with their closing intent (closing.ts).
    const request = closingOrder(position.symbol, held, req);
    return await checkedSubmit(this.#steps, userId, { request, fingerprint, closing: true });
  }

  /** Closes 2–4 option positions as one market mleg order (lib/broker/close_strategy.ts). */
  async closeStrategy(userId: number, req: CloseStrategyRequest): Promise<SubmitResult> {
    const fingerprint = closeStrategyFingerprint(req.symbols);
    const existing = await existingOrder(this.#steps, userId, req.clientOrderId, { fingerprint });
    if (existing) return existing;
    const positions = await this.positions(userId);
    const missing = req.symbols.filter((s) => !positions.some((p) => p.symbol === s));
    if (missing.length) throw new OrderNotFoundError(`No position in ${missing.join(", ")}.`);
    const held = req.symbols.map((s) => positions.find((p) => p.symbol === s)!);
    const request = strategyCloseOrder(
      held.map((p) => ({ symbol: p.symbol, qty: p.qty, costBasis: p.costBasis })),
      req.clientOrderId,
    );
    return await checkedSubmit(this.#steps, userId, { request, fingerprint, closing: true });
  }

  fills(userId: number, query?: FillQuery): Promise<Fill[]> {
    return listFills(this.#db, userId, "alpaca", query);
  }

  // ---- Reconciliation ------------------------------------------------------------------------

  /** Settles every open Alpaca order of every user, then books new fills exactly once. */
  async sync(): Promise<SyncReport> {
    const report: SyncReport = { checked: 0, filled: 0, expired: 0, updated: 0, errors: 0 };
    const since = new Date(this.#now().getTime() - NEVER_RECEIVED_RECHECK_MS);
    const rows = [
      ...await openAlpacaRows(this.#db),
      ...await neverReceivedRows(this.#db, NEVER_RECEIVED, since),
    ];
    const listed = await this.#openOrders(rows);
    for (const row of rows) {
      report.checked++;
      try {
        await this.#syncOrder(row, report, listed);
      } catch (err) {
        report.errors++;
        this.#log?.warn("alpaca sync of an order failed", {
          orderId: row.id,
          error: (err as Error).message,
        });
      }
    }
    try {
      const booked = await this.#bookFills();
      if (booked) this.#log?.info("alpaca fills booked", { fills: booked });
    } catch (err) {
      report.errors++;
      this.#log?.warn("alpaca fill sync failed", { error: (err as Error).message });
    }
    try {
      const settled = await this.#bookSettlements();
      if (settled) this.#log?.info("alpaca option settlements booked", { fills: settled });
    } catch (err) {
      report.errors++;
      this.#log?.warn("alpaca option settlement sync failed", { error: (err as Error).message });
    }
    return report;
  }

  /**
   * Alpaca's open orders in one request, when more than one of `rows` would otherwise each need
   * its own (all share the account's 200 requests a minute). An order missing from the list has
   * closed (or the list was cut at its limit) and is read by id. Empty when the list fails.
   */
  async #openOrders(rows: OrderRow[]): Promise<Map<string, AlpacaOrder>> {
    if (rows.filter((r) => r.broker_order_id).length < 2) return new Map();
    try {
      const open = await this.#http.get("/v2/orders", ordersSchema, {
        // Nested, so an mleg order comes with its legs instead of beside them (§5.3).
        query: { status: "open", limit: 500, direction: "asc", nested: true },
      });
      return new Map(open.map((o) => [o.id, o]));
    } catch (err) {
      this.#log?.warn("alpaca open orders list failed", { error: (err as Error).message });
      return new Map();
    }
  }

  async #syncOrder(
    row: OrderRow,
    report: SyncReport,
    listed: Map<string, AlpacaOrder>,
  ): Promise<void> {
    let o: AlpacaOrder;
    if (row.broker_order_id) {
      o = listed.get(row.broker_order_id) ?? await this.#getOrder(row.broker_order_id);
    } else {
      const found = await this.#lookup(row.id);
      if ("unknown" in found) throw found.unknown;
      if ("missing" in found) {
        const age = this.#now().getTime() - row.created_at.getTime();
        if (row.status === "pending_new" && age > NEVER_RECEIVED_AFTER_MS) {
          await markRejected(this.#db, row.id, NEVER_RECEIVED);
          report.updated++;
        }
        return;
      }
      o = found.found;
    }
    const next = await applyAlpacaOrder(this.#db, row.id, o);
    if (next.status !== row.status || next.filled_qty !== row.filled_qty) {
      report.updated++;
      if (next.status === "filled") report.filled++;
      if (next.status === "expired") report.expired++;
    }
  }

  /** Pages FILL activities oldest first, from the oldest order with fills still to book. */
  async #bookFills(): Promise<number> {
    const cursor = await fillCursor(this.#db, FILL_OVERLAP_MS);
    if (!cursor) return 0;
    const after = cursor.toISOString().slice(0, 19) + "Z";
    let pageToken: string | undefined;
    let booked = 0;
    const legOwners = new Map<string, OrderRow>();
    for (let page = 0; page < 1000; page++) {
      const page = await this.#http.get("/v2/account/activities/FILL", activityPageSchema, {
        query: { direction: "asc", page_size: FILL_PAGE, after, page_token: pageToken },
      });
      const fills = this.#readFills(page);
      const orders = await rowsByBrokerOrderIds(this.#db, [
        ...new Set(fills.map((f) => f.order_id)),
      ]);
      await this.#addLegOwners(fills, orders, legOwners);
      for (const f of fills) {
        const order = orders.get(f.order_id);
        if (order && await bookFill(this.#db, f, order)) booked++;
      }
      if (page.length < FILL_PAGE) break;
      pageToken = page[page.length - 1].id;
    }
    return booked;
  }

  /**
   * Finds the rows of option fills that name an mleg leg's own order id: each mleg order whose
   * fills are not all booked is read once (with its legs) and its legs' ids mapped to its row.
   * Adds them to `orders`; `owners` keeps what this pass already learned.
   */
  async #addLegOwners(
    fills: AlpacaFillActivity[],
    orders: Map<string, OrderRow>,
    owners: Map<string, OrderRow>,
  ): Promise<void> {
    const unknown = fills.filter((f) => !orders.has(f.order_id) && parseOcc(f.symbol));
    const missing = unknown.filter((f) => !owners.has(f.order_id));
    if (missing.length) {
      const underlyings = [...new Set(missing.map((f) => parseOcc(f.symbol)!.underlying))];
      for (const row of await mlegRowsAwaitingFills(this.#db, underlyings)) {
        if ([...owners.values()].some((r) => r.id === row.id)) continue;
        const o = await this.#getOrder(row.broker_order_id!);
        await applyAlpacaOrder(this.#db, row.id, o);
        for (const leg of toLegFills(o) ?? []) owners.set(leg.brokerOrderId, row);
      }
    }
    for (const f of unknown) {
      const owner = owners.get(f.order_id);
      if (owner) orders.set(f.order_id, owner);
    }
  }

  /**
   * Books Alpaca's option events at expiry (settlement.ts) for the contracts PaiiD users hold
   * that have reached their expiration day; nothing is asked of Alpaca before one has.
   */
  async #bookSettlements(): Promise<number> {
    const holdings = await optionHoldings(this.#db);
    // Expirations are New York days.
    const today = nyTime(this.#now().getTime()).date;
    const due = holdings
      .map((h) => parseOcc(h.symbol)?.expiration)
      .filter((d): d is string => d !== undefined && d <= today)
      .sort();
    if (!due.length) return 0;
    // From the day before the first one due: activity dates are New York's, the cursor UTC.
    const after = new Date(Date.parse(`${due[0]}T00:00:00Z`) - 86_400_000)
      .toISOString().slice(0, 10);
    const events: AlpacaOtherActivity[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const list = await this.#http.get("/v2/account/activities", activitiesSchema, {
        query: {
          activity_types: SETTLEMENT_TYPES.join(","),
          direction: "asc",
          page_size: FILL_PAGE,
          after,
          page_token: pageToken,
        },
      });
      events.push(...list.filter((a): a is AlpacaOtherActivity => a.activity_type !== "FILL"));
      if (list.length < FILL_PAGE) break;
      pageToken = list[list.length - 1].id;
    }
    let booked = 0;
    for (const group of settlementTrades(events, holdings)) {
      await this.#db.transaction(async (tx) => {
        for (const t of group) if (await bookSettlement(tx, t)) booked++;
      });
    }
    return booked;
  }

  /** The page's FILLs; an unreadable entry is logged once and skipped. */
  #readFills(page: { id: string }[]): AlpacaFillActivity[] {
    const { fills, unreadable } = readFillPage(page);
    for (const u of unreadable) {
      if (this.#unreadable.has(u.id)) continue;
      this.#unreadable.add(u.id);
      this.#log?.warn("alpaca activity skipped: unexpected shape", {
        activityId: u.id,
        error: u.error,
      });
    }
    return fills;
  }

  /** Reads fail as BrokerUnavailableError: nothing happened, try again later. */
  async #read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw unavailable(err);
    }
  }

  close(): Promise<void> {
    this.#http.close();
    return Promise.resolve();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
