/**
 * Placing an order as the API does it, for either broker: the preview (estimated cost, buying
 * power after, every pre-trade check, nothing placed) and the placement. The paper broker runs
 * the checks itself, under the account lock; for Alpaca they run here first, and Alpaca then
 * applies its own buying-power and position rules.
 *
 * @module
 */
import type { MarketData, MarketState, Quote } from "../market/types.ts";
import { getSettings } from "../settings.ts";
import type { Database } from "../db/database.ts";
import { assess, estimatePrice, refusalCode, refusalMessage } from "./checks.ts";
import { findByClientOrderId } from "./orders_repo.ts";
import {
  type Broker,
  type CheckResult,
  OrderRefusedError,
  type OrderRequest,
  type SubmitResult,
} from "./types.ts";

export interface TradingDeps {
  db: Database;
  market: MarketData;
  broker: Broker;
}

export interface Preview {
  symbol: string;
  side: OrderRequest["side"];
  type: OrderRequest["type"];
  /** Shares (estimated for a dollar amount). */
  qty: number;
  estimatedPrice: number;
  estimatedCost: number;
  buyingPower: number;
  buyingPowerAfter: number;
  positionQty: number;
  positionQtyAfter: number;
  marketState: MarketState;
  marketOpen: boolean;
  quote: Pick<Quote, "bid" | "ask" | "last" | "timestamp" | "source" | "replayDate">;
  checks: CheckResult[];
  /** True when a check refuses: placing it now would answer 422. */
  refused: boolean;
  source: Broker["kind"];
}

export async function previewOrder(
  deps: TradingDeps,
  userId: number,
  req: OrderRequest,
): Promise<Preview> {
  const [settings, [quote], clock, account, positions] = await Promise.all([
    getSettings(deps.db, userId),
    deps.market.quotes([req.symbol]),
    deps.market.clock(),
    deps.broker.account(userId),
    deps.broker.positions(userId),
  ]);
  const price = estimatePrice(req, quote);
  if (price === null) {
    throw new OrderRefusedError(
      `There is no ${req.side === "buy" ? "ask" : "bid"} for ${req.symbol} to price this order.`,
      "no_price",
    );
  }
  const positionQty = positions.find((p) => p.symbol === req.symbol)?.qty ?? 0;
  const a = assess({
    request: req,
    price,
    last: quote.last,
    settings,
    equity: account.equity,
    buyingPower: account.buyingPower,
    positionQty,
    dayPl: account.dayPl,
    marketOpen: clock.state === "open",
  });
  return {
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    qty: a.qty,
    estimatedPrice: price,
    estimatedCost: a.cost,
    buyingPower: account.buyingPower,
    buyingPowerAfter: a.buyingPowerAfter,
    positionQty,
    positionQtyAfter: a.positionQtyAfter,
    marketState: clock.state,
    marketOpen: clock.state === "open",
    quote: {
      bid: quote.bid,
      ask: quote.ask,
      last: quote.last,
      timestamp: quote.timestamp,
      source: quote.source,
      ...(quote.replayDate ? { replayDate: quote.replayDate } : {}),
    },
    checks: a.checks,
    refused: a.refusals.length > 0,
    source: deps.broker.kind,
  };
}

export async function placeOrder(
  deps: TradingDeps,
  userId: number,
  req: OrderRequest,
): Promise<SubmitResult> {
  if (deps.broker.kind === "paper") return await deps.broker.submit(userId, req);
  // A retry of an order Alpaca already has must reach the broker's reconciliation, not be
  // refused here because the first attempt changed the account.
  if (!(await findByClientOrderId(deps.db, userId, req.clientOrderId))) {
    const p = await previewOrder(deps, userId, req);
    const refusals = p.checks.filter((c) => !c.ok && c.severity === "refuse");
    if (refusals.length) {
      throw new OrderRefusedError(refusalMessage(refusals), refusalCode(refusals), p.checks);
    }
    const result = await deps.broker.submit(userId, req);
    return { ...result, checks: p.checks };
  }
  return await deps.broker.submit(userId, req);
}
