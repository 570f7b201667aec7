/**
 * Opens PaiiD's broker: Alpaca paper trading when `ALPACA_KEY_ID` is set (one Alpaca account
 * shared by every user, see alpaca/broker.ts), otherwise the built-in paper broker, whose matcher
 * follows live quotes to fill working orders.
 *
 * @module
 */
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { StreamHub } from "../market/stream_hub.ts";
import type { MarketData } from "../market/types.ts";
import { createAlpacaBroker } from "./alpaca/mod.ts";
import { PaperBroker } from "./paper/broker.ts";
import { PaperMatcher } from "./paper/matcher.ts";
import type { Broker } from "./types.ts";

export interface BrokerDeps {
  db: Database;
  market: MarketData;
  streams: StreamHub;
  log?: Logger;
}

export interface BrokerService {
  broker: Broker;
  /** Starts background work (the paper matcher); separate so tests can leave it off. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function openBroker(config: Config, deps: BrokerDeps): BrokerService {
  if (config.ALPACA_KEY_ID && config.ALPACA_SECRET_KEY) {
    // Alpaca fills its own orders; jobs/broker_sync.ts reconciles them into `trades` every minute.
    const broker = createAlpacaBroker({
      db: deps.db,
      keyId: config.ALPACA_KEY_ID,
      secretKey: config.ALPACA_SECRET_KEY,
      baseUrl: config.ALPACA_BASE_URL,
      market: deps.market,
      log: deps.log,
    });
    return { broker, start: () => Promise.resolve(), close: () => broker.close() };
  }
  const broker = new PaperBroker({ db: deps.db, market: deps.market, log: deps.log });
  let matcher: PaperMatcher | null = null;
  return {
    broker,
    async start() {
      matcher ??= new PaperMatcher(broker, deps.streams, deps.log);
      await matcher.start();
    },
    async close() {
      await matcher?.close();
      await broker.close();
    },
  };
}
