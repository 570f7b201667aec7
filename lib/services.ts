/**
 * The app's seams, opened once at start-up and handed to every request. Each seam has an
 * embedded default and a real implementation chosen by configuration (see lib/config.ts).
 */
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { Cache } from "./cache.ts";
import type { Logger } from "./log.ts";

export interface Services {
  config: Config;
  log: Logger;
  db: Database;
  kv: Deno.Kv;
  cache: Cache;
  /** The app's version, from deno.json. */
  version: string;
}
