/**
 * Tradier as PaiiD's MarketData (Tradier Brokerage API, market data and streaming:
 * documentation.tradier.com; tests/fakes/tradier.ts reproduces the behaviour relied on here).
 *
 * ```ts
 * const market = createTradierMarketData({ token: config.TRADIER_TOKEN, baseUrl: config.TRADIER_BASE_URL });
 * const [aapl] = await market.quotes(["AAPL"]);
 * ```
 *
 * @module
 */
import type { MarketData } from "../types.ts";
import { type TradierClientOptions, TradierMarketData } from "./client.ts";

export { DEFAULT_STREAM_URL, DEFAULT_WS_URL, TradierMarketData } from "./client.ts";
export type { TradierClientOptions } from "./client.ts";

/**
 * A Tradier-backed MarketData. `baseUrl` includes `/v1`; `streamUrl`/`wsUrl` default to
 * Tradier's production streaming hosts. Tuning options beyond these (backoff, transport) are
 * in TradierClientOptions.
 */
export function createTradierMarketData(
  opts: {
    token: string;
    baseUrl: string;
    streamUrl?: string;
    wsUrl?: string;
    timeoutMs?: number;
    maxRetries?: number;
    fetch?: typeof fetch;
  } & Partial<TradierClientOptions>,
): MarketData {
  return new TradierMarketData(opts);
}
