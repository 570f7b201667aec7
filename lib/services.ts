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
  /** The app's version, from deno.json. */
  version: string;
}
