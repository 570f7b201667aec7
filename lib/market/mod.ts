/**
 * Opens PaiiD's market data: Tradier when `TRADIER_TOKEN` is set, otherwise the replay of the
 * shipped history; `openMarketService` puts the KV cache in front (lib/market/cached.ts).
 *
 * ```ts
 * const market = openMarketService(config, cache);
 * const [aapl] = await market.quotes(["AAPL"]); // aapl.source: "tradier" | "replay"
 * ```
 *
 * @module
 */
import type { Cache } from "../cache.ts";
import type { Config } from "../config.ts";
import { CachedMarketData } from "./cached.ts";
import {
  createReplayMarketData,
  DEFAULT_REPLAY_EPOCH,
  DEFAULT_REPLAY_START,
} from "./replay/mod.ts";
import { createTradierMarketData } from "./tradier/mod.ts";
import type { MarketData } from "./types.ts";

/** The uncached source the configuration asks for. */
export function openMarketData(config: Config): MarketData {
  if (config.TRADIER_TOKEN) {
    return createTradierMarketData({
      token: config.TRADIER_TOKEN,
      baseUrl: config.TRADIER_BASE_URL,
      streamUrl: config.TRADIER_STREAM_URL,
      wsUrl: config.TRADIER_WS_URL,
    });
  }
  return createReplayMarketData({
    start: config.REPLAY_START,
    speed: config.REPLAY_SPEED,
    epoch: config.REPLAY_EPOCH,
    weekends: config.REPLAY_WEEKENDS,
  });
}

/**
 * The cache-key prefix for this configuration: two configurations that could answer the same
 * call differently (another Tradier host, another replay start or speed) never share entries.
 * Never contains the token.
 */
export function marketProvider(config: Config): string {
  if (config.TRADIER_TOKEN) return `tradier:${new URL(config.TRADIER_BASE_URL).host}`;
  return [
    "replay",
    config.REPLAY_START ?? DEFAULT_REPLAY_START,
    config.REPLAY_SPEED,
    config.REPLAY_EPOCH ?? DEFAULT_REPLAY_EPOCH,
    config.REPLAY_WEEKENDS ? "weekends" : "weekdays",
  ].join(":");
}

/**
 * The source for `config` behind `cache`: what `Services.market` holds. `source` defaults to what
 * the configuration picks; tests may pass their own.
 */
export function openMarketService(
  config: Config,
  cache: Cache,
  source: MarketData = openMarketData(config),
): CachedMarketData {
  return new CachedMarketData(source, cache, marketProvider(config));
}
