/**
 * The app's seams, opened once at start-up and handed to every request. Each seam has an
 * embedded default and a real implementation chosen by configuration (see lib/config.ts).
 */
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { Cache } from "./cache.ts";
import type { Logger } from "./log.ts";
import type { MarketData } from "./market/types.ts";
import type { StreamHub } from "./market/stream_hub.ts";
import type { Broker } from "./broker/types.ts";
import type { BrokerService } from "./broker/mod.ts";
import type { Analyst } from "./ai/types.ts";
import type { IdentityCache } from "./auth/identity_cache.ts";
import type { RateLimiter } from "./auth/rate_limit.ts";
import type { TradingHalts } from "./broker/halt.ts";
import type { AlertEngine } from "./alerts/engine.ts";
import type { NotificationCenter } from "./notifications/center.ts";
import type { BacktestJobs } from "./backtest/jobs.ts";
import type { BriefExtras } from "./morning/build.ts";

export interface Services {
  config: Config;
  log: Logger;
  db: Database;
  kv: Deno.Kv;
  cache: Cache;
  /** Market data (Tradier or replay) behind the KV cache: lib/market/mod.ts. */
  market: MarketData;
  /** Live quotes shared by every streaming client: one upstream subscription per symbol. */
  streams: StreamHub;
  /**
   * Orders, positions and the account: the built-in paper broker or Alpaca (lib/broker/),
   * behind the kill switch (lib/broker/halting_broker.ts).
   */
  broker: Broker;
  /** The kill switch: halted accounts, followed across instances within a second. */
  halts: TradingHalts;
  /** The broker's background work (the paper matcher), started by `start` and closed last. */
  brokerService: BrokerService;
  /** Live sessions and API tokens in memory; `revoked()` after any revocation (lib/auth/). */
  identities: IdentityCache;
  /** Request counts per minute in memory, reconciled with KV in the background (lib/auth/). */
  rateLimiter: RateLimiter;
  /** The AI analyst: Claude with ANTHROPIC_API_KEY, the offline analyst otherwise (lib/ai/). */
  analyst: Analyst;
  /** Price alerts evaluated on the live stream and by the minute job (lib/alerts/). */
  alerts: AlertEngine;
  /** Delivers new notifications to their users' open connections (lib/notifications/). */
  notifications: NotificationCenter;
  /** Backtest runs: queued on KV, run by any instance, stored in Postgres (lib/backtest/). */
  backtests: BacktestJobs;
  /** The app's version, from deno.json. */
  version: string;
  /**
   * Sections of the morning brief other modules fill (today's recommendations, proposals):
   * lib/morning/build.ts. Unset, the brief says they are not available.
   */
  morningExtras?: BriefExtras;
}
