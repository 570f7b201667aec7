/**
 * The order preview, for either broker: estimated cost, buying power after and every pre-trade
 * check, with nothing placed. Placement itself is `Broker.submit`, which runs the same checks
 * in the shared pipeline (lib/broker/pipeline.ts).
 *
 * @module
 */
import type { MarketData, MarketState, Quote } from "../market/types.ts";
import type { Database } from "../db/database.ts";
import { assess } from "./checks.ts";
import { readFacts } from "./pipeline.ts";
import { isOptionRequest } from "./option_checks.ts";
import { type OptionPreview, previewOptionOrder } from "./option_preview.ts";
import type { Broker, CheckResult, OrderRequest } from "./types.ts";

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
  /** Option orders: what the order is and risks (lib/broker/option_preview.ts). */
  option?: OptionPreview;
}

export async function previewOrder(
  deps: TradingDeps,
  userId: number,
  req: OrderRequest,
): Promise<Preview> {
  if (isOptionRequest(req)) return await previewOptionOrder(deps, userId, req);
  const { facts, quote, clock, account, positionQty } = await readFacts(deps, userId, req);
  const a = assess({ ...facts, request: req });
  return {
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    qty: a.qty,
    estimatedPrice: facts.price,
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
