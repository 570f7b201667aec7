/**
 * The checked-submit pipeline every Broker places orders through, in this order:
 *
 * 1. idempotency lookup: a key already used answers with its order (a retry), or 409 when it
 *    was used for another request (lib/broker/idempotency.ts);
 * 2. pre-trade checks (lib/broker/checks.ts) on the account as it stands;
 * 3. placement;
 * 4. snapshot: an equity point once the order filled.
 *
 * A broker supplies the steps' mechanics (`PlacementSteps`); the order and the rules are here.
 * Steps 2 and 3 are one call, `place`, because the paper broker must read the account, judge and
 * place under one account lock (two orders must not spend the same cash); Alpaca reads, judges
 * and then sends, and applies its own rules on top.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import type { MarketData } from "../market/types.ts";
import { getSettings } from "../settings.ts";
import {
  assess,
  type Assessment,
  type CheckInput,
  estimatePrice,
  refusalCode,
  refusalMessage,
} from "./checks.ts";
import { assertSameRequest } from "./idempotency.ts";
import { metrics } from "../metrics/mod.ts";
import { inSpan } from "../trace/span.ts";
import { findByClientOrderId, type OrderRow, toOrder } from "./orders_repo.ts";
import {
  type Broker,
  type Order,
  OrderRefusedError,
  type OrderRequest,
  type SubmitResult,
} from "./types.ts";

/** One order to place, with what its key stands for. */
export interface Intent {
  request: OrderRequest;
  /** lib/broker/idempotency.ts: stored with the order, compared on every reuse of its key. */
  fingerprint: string;
  /** Closes (part of) a position: reduces risk, so the 1–10,000 share size rule is waived. */
  closing?: boolean;
}

/** What the checks need beyond the order itself. */
export type CheckFacts = Omit<CheckInput, "request">;

/** Runs the checks on `facts`; throws `OrderRefusedError` when a rule refuses. */
export type Judge = (facts: CheckFacts) => Assessment;

export interface PlacementSteps {
  readonly db: Queryable;
  /** Brings an order found by its key up to date (Alpaca settles one still pending_new). */
  settle(row: OrderRow): Promise<OrderRow>;
  /**
   * Reads the facts, asks `judge`, and places the order when it passes. A concurrent twin with
   * the same key found at insert time is returned as `duplicate` (after `assertSameRequest`).
   */
  place(userId: number, intent: Intent, judge: Judge): Promise<SubmitResult>;
  /** Step 4 for a new order: an equity point when it filled; Alpaca keeps its own history. */
  snapshot(userId: number, order: Order): Promise<void>;
  /**
   * Set when `place` itself answers a used key with its order, before any judging (the paper
   * broker's insert finds the twin under the account lock): step 1 is then part of step 3, and
   * a new order saves the round trip of a lookup that almost always finds nothing.
   */
  readonly findsTwins?: boolean;
}

/**
 * Places `intent` through the four steps; see the module comment. Counted (placed, duplicate,
 * refused by rule: lib/metrics/) and traced as a `broker.submit` span.
 */
export function checkedSubmit(
  steps: PlacementSteps,
  userId: number,
  intent: Intent,
): Promise<SubmitResult> {
  const { request } = intent;
  const attributes = {
    "paiid.order.type": request.type,
    "paiid.order.side": request.side,
    "paiid.order.closing": intent.closing === true,
  };
  return inSpan("broker.submit", attributes, async () => {
    try {
      const placed = await submitSteps(steps, userId, intent);
      if (placed.duplicate) metrics.ordersDuplicate.labels().inc();
      else metrics.ordersPlaced.labels().inc();
      return placed;
    } catch (err) {
      if (err instanceof OrderRefusedError) metrics.ordersRefused.labels(err.code).inc();
      throw err;
    }
  });
}

async function submitSteps(
  steps: PlacementSteps,
  userId: number,
  intent: Intent,
): Promise<SubmitResult> {
  if (!steps.findsTwins) {
    const existing = await existingOrder(steps, userId, intent.request.clientOrderId, intent);
    if (existing) return existing;
  }
  const placed = await steps.place(userId, intent, judgeFor(intent));
  if (!placed.duplicate) await steps.snapshot(userId, placed.order);
  return placed;
}

/** Step 1 alone: the order `key` already made (checked against `intent`), or null. */
export async function existingOrder(
  steps: Pick<PlacementSteps, "db" | "settle">,
  userId: number,
  key: string,
  intent: Pick<Intent, "fingerprint">,
): Promise<SubmitResult | null> {
  const row = await findByClientOrderId(steps.db, userId, key);
  if (!row) return null;
  assertSameRequest(row, intent.fingerprint);
  return { order: toOrder(await steps.settle(row)), duplicate: true };
}

/** The judge for an intent: every rule, except the size rule for a closing order. */
export function judgeFor(intent: Pick<Intent, "request" | "closing">): Judge {
  return (facts) => {
    const a = assess({ ...facts, request: intent.request });
    const refusals = intent.closing ? a.refusals.filter((c) => c.rule !== "quantity") : a.refusals;
    if (refusals.length) {
      throw new OrderRefusedError(refusalMessage(refusals), refusalCode(refusals), a.checks);
    }
    return a;
  };
}

export interface FactSources {
  db: Queryable;
  market: MarketData;
  broker: Pick<Broker, "account" | "positions">;
}

/** The facts read fresh (the preview, and Alpaca before it sends), with the quote and clock. */
export async function readFacts(src: FactSources, userId: number, req: OrderRequest) {
  const [settings, [quote], clock, account, positions] = await Promise.all([
    getSettings(src.db, userId),
    src.market.quotes([req.symbol]),
    src.market.clock(),
    src.broker.account(userId),
    src.broker.positions(userId),
  ]);
  const price = estimatePrice(req, quote);
  if (price === null) throw noPrice(req);
  const positionQty = positions.find((p) => p.symbol === req.symbol)?.qty ?? 0;
  const facts: CheckFacts = {
    price,
    last: quote.last,
    settings,
    equity: account.equity,
    buyingPower: account.buyingPower,
    positionQty,
    dayPl: account.dayPl,
    marketOpen: clock.state === "open",
  };
  return { facts, quote, clock, account, positionQty };
}

export function noPrice(req: OrderRequest): OrderRefusedError {
  return new OrderRefusedError(
    `There is no ${req.side === "buy" ? "ask" : "bid"} for ${req.symbol} to price this order.`,
    "no_price",
  );
}
