/**
 * Start-up: read the configuration, open every seam, bundle the islands, serve, and close it all
 * again on SIGINT/SIGTERM. `main.ts` calls `start`; tests build the same app with `openServices`.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Config, ConfigError, loadConfig, seamModes } from "./config.ts";
import { createLogger, type Logger } from "./log.ts";
import { describeDatabase, openDatabase } from "./db/mod.ts";
import { Cache } from "./cache.ts";
import { openMarketService } from "./market/mod.ts";
import { StreamHub, type StreamHubOptions } from "./market/stream_hub.ts";
import type { MarketData } from "./market/types.ts";
import type { Database } from "./db/database.ts";
import { openBroker } from "./broker/mod.ts";
import { createApp } from "./app.ts";
import { authKeys } from "./auth/context.ts";
import { loadBundle } from "./fresh/load.ts";
import { serveWithHeaderDeadline } from "./http/header_deadline.ts";
import type { RequestHead } from "./http/direct_response.ts";
import { loadStaticFiles } from "./fresh/static.ts";
import type { FreshConfig, Manifest } from "./fresh/types.ts";
import { openAnalyst } from "./ai/mod.ts";
import { IdentityCache } from "./auth/identity_cache.ts";
import { RateLimiter } from "./auth/rate_limit.ts";
import { TradingHalts } from "./broker/halt.ts";
import { haltingBroker } from "./broker/halting_broker.ts";
import { briefExtras } from "./morning/extras.ts";
import type { Services } from "./services.ts";
import { VERSION } from "./version.ts";
import { registerJobs } from "../jobs/mod.ts";
import { AlertEngine } from "./alerts/engine.ts";
import { NotificationCenter } from "./notifications/center.ts";
import { BacktestJobs } from "./backtest/jobs.ts";
import { openBarSource } from "./backtest/bars.ts";

/** Where Deno KV lives: `DENO_KV_PATH`, Deno Deploy's managed KV, or a file under DATA_DIR. */

/**
 * The quote stream's GETs (routes/api/stream.ts): answered by the header-deadline front on the
 * client's own connection, since relaying every frame costs more than everything else it does.
 */
export function isEventStreamRequest(req: RequestHead): boolean {
  return req.method === "GET" && /^\/api\/stream\/quotes(\?|$)/.test(req.target);
}

export function kvLocation(config: Config): string | undefined {
  if (config.DENO_KV_PATH) return config.DENO_KV_PATH;
  if (Deno.env.get("DENO_DEPLOYMENT_ID")) return undefined;
  return join(config.DATA_DIR, "kv.sqlite");
}

export async function openServices(config: Config, log: Logger): Promise<Services> {
  await Deno.mkdir(config.DATA_DIR, { recursive: true });
  const db = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    prepare: config.DATABASE_PREPARE,
  });
  let kv: Deno.Kv;
  try {
    kv = await Deno.openKv(kvLocation(config));
  } catch (err) {
    await db.close();
    throw err;
  }
  return buildServices({ config, log, db, kv });
}

/** What a test may put in place of the configured market data (still a real implementation). */
export interface ServiceOverrides {
  /** The uncached market-data source; the KV cache and the stream hub still go in front. */
  market?: MarketData;
  streams?: StreamHubOptions;
}

/**
 * The seams on top of an open database and KV: the cache, market data behind it, the stream
 * hub and the broker. The app and the test harness build them here, so they cannot drift.
 */
export function buildServices(
  base: { config: Config; log: Logger; db: Database; kv: Deno.Kv },
  overrides: ServiceOverrides = {},
): Services {
  const { config, log, db, kv } = base;
  const cache = new Cache(kv);
  const market = openMarketService(config, cache, overrides.market);
  const streams = new StreamHub(market, { log, ...overrides.streams });
  const brokerService = openBroker(config, { db, market, streams, log });
  const halts = new TradingHalts(db, kv);
  const notifications = new NotificationCenter(db, { log });
  const services: Omit<Services, "analyst"> = {
    config,
    log,
    db,
    kv,
    cache,
    market,
    streams,
    broker: haltingBroker(brokerService.broker, halts),
    halts,
    brokerService,
    identities: new IdentityCache(kv),
    rateLimiter: new RateLimiter(kv),
    alerts: new AlertEngine({ db, kv, market, streams, notifications, log }),
    notifications,
    backtests: new BacktestJobs({
      db,
      kv,
      log,
      bars: (history) => openBarSource(config, market, history),
      onNotified: () => notifications.kick(),
    }),
    version: VERSION,
  };
  const full: Services = Object.assign(services, { analyst: openAnalyst(services) });
  full.morningExtras = briefExtras(full);
  return full;
}

export async function closeServices(services: Services): Promise<void> {
  await services.backtests.close();
  await services.alerts.close();
  await services.notifications.close();
  services.identities.close();
  services.halts.close();
  await services.brokerService.close();
  await services.streams.close();
  await services.market.close();
  // Its last counts go to KV before KV closes.
  await services.rateLimiter.close();
  services.kv.close();
  await services.db.close();
}

/** The start-up line: which implementation each seam uses, with no secret in it. */
export function describeSeams(config: Config): string {
  const modes = seamModes(config);
  return [
    `database: ${describeDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR })}`,
    `kv: ${kvLocation(config) ?? "Deno Deploy KV"}`,
    `market data: ${modes.market_data}`,
    `broker: ${modes.broker}`,
    `analyst: ${modes.analyst}`,
  ].join(" · ");
}

export async function start(manifest: Manifest, freshConfig: FreshConfig = {}): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      Deno.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const root = fileURLToPath(new URL("./", manifest.baseUrl));
  let services: Services;
  try {
    services = await openServices(config, log);
  } catch (err) {
    // A database already open elsewhere, or a server that refuses: one line that says which,
    // not a stack trace.
    log.error("PaiiD could not start", { error: err instanceof Error ? err.message : String(err) });
    Deno.exit(1);
  }
  // Load (or, outside production, generate and warn about) the JWT secret now, not on the first
  // request, so the warning shows at start-up.
  await authKeys(services);
  const [bundle, staticFiles] = await Promise.all([
    loadBundle({
      manifest,
      snapshotDir: join(root, freshConfig.snapshotDir ?? "_fresh"),
      onInfo: (message) => log.info(message),
    }),
    loadStaticFiles(join(root, freshConfig.staticDir ?? "static")),
  ]);
  const app = createApp({ services, manifest, bundle, staticFiles });

  await services.brokerService.start();
  await services.alerts.start();
  services.backtests.start();
  registerJobs(services);
  const onListen = ({ hostname, port }: Deno.NetAddr) => {
    const host = hostname === "0.0.0.0" ? "localhost" : hostname;
    log.info(`PaiiD ${VERSION} listening on http://${host}:${port}`, {
      url: `http://${host}:${port}`,
    });
    log.info(describeSeams(config));
  };
  const { PORT: port, HOST: hostname, HEADER_TIMEOUT_MS: headerTimeoutMs } = config;
  // Deno.serve never times out a client that stops mid-headers, so a front does (see
  // lib/http/header_deadline.ts). On Deno Deploy the platform's own proxy faces clients.
  const server = headerTimeoutMs > 0 && !Deno.env.get("DENO_DEPLOYMENT_ID")
    ? serveWithHeaderDeadline(
      { hostname, port, headerTimeoutMs, onListen, direct: isEventStreamRequest },
      app.fetch,
    )
    : Deno.serve({ port, hostname, onListen }, app.fetch);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down");
    // Live streams never finish on their own; ending them lets shutdown's drain complete.
    await services.brokerService.close();
    await services.alerts.close();
    await services.streams.close();
    await server.shutdown();
    await closeServices(services);
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(signal, stop);
    } catch {
      // Some platforms (Windows for SIGTERM, Deno Deploy) do not deliver these signals.
    }
  }
  await server.finished;
}
