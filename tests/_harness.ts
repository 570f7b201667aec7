/**
 * The real app for integration tests: real routes, real island bundle, a real database (a
 * migrated in-memory PGlite, or a database of its own on the server in TEST_DATABASE_URL, as
 * `appTestDatabase` in lib/db/testing.ts picks) and a real Deno KV file. Each call gets its own,
 * empty; `close` removes it (the PGlite is emptied and kept for the file's next test).
 */
import { Hono } from "hono";
import manifest from "../fresh.gen.ts";
import { createApp } from "../lib/app.ts";
import type { AppEnv } from "../lib/state.ts";
import { type Config, loadConfig } from "../lib/config.ts";
import type { Bundle } from "../lib/fresh/bundle.ts";
import { loadBundle } from "../lib/fresh/load.ts";
import { loadStaticFiles } from "../lib/fresh/static.ts";
import { createLogger } from "../lib/log.ts";
import { buildServices, closeServices, kvLocation } from "../lib/server.ts";
import type { Services } from "../lib/services.ts";
import type { StreamHubOptions } from "../lib/market/stream_hub.ts";
import type { MarketData } from "../lib/market/types.ts";
import { openDatabase } from "../lib/db/mod.ts";
import { appTestDatabase, createServerDatabase, leaseTestPglite } from "../lib/db/testing.ts";

/** For scripts that open apps under test: see lib/db/testing.ts. */
export { closeTestPglitePool } from "../lib/db/testing.ts";

let bundle: Promise<Bundle> | undefined;

export interface TestApp {
  app: Hono<AppEnv>;
  services: Services;
  /** Log lines the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Seams a test may replace with its own (still real) implementation. */
export interface TestAppOptions {
  /**
   * The uncached market-data source (default: what the configuration picks, as in production);
   * the app still puts the KV cache and the stream hub in front of it.
   */
  market?: (config: Config) => MarketData;
  streams?: StreamHubOptions;
  /** Start the paper matcher (fills working orders on streamed quotes). Default off. */
  matcher?: boolean;
  /** Start the alert engine (follows the symbols of active alerts on the stream). Default off. */
  alerts?: boolean;
  /** The rate limiter's clock (ms since the epoch): pin it to keep a run in one window. */
  now?: () => number;
}

export async function openTestApp(
  env: Record<string, string> = {},
  opts: TestAppOptions = {},
): Promise<TestApp> {
  const dataDir = await Deno.makeTempDir({ prefix: "paiid-test-" });
  const database = appTestDatabase() === "postgres"
    ? await createServerDatabase({ migrated: true })
    : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: "debug",
    // Test-only: bcrypt at cost 4 keeps sign-ups fast (production is always 12; tests/_auth.ts).
    DENO_ENV: "test",
    AUTH_TEST_BCRYPT_COST: "4",
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const log = createLogger(config.LOG_LEVEL, (line) => logs.push(JSON.parse(line)));
  // A migrated PGlite from the process's pool (emptied between tests): initdb on every test
  // would cost seconds each, and even loading the template about one.
  const db = database
    ? await openDatabase({ url: database.url, dataDir, poolSize: 4 })
    : await leaseTestPglite();
  const kv = await Deno.openKv(kvLocation(config));
  const services = buildServices({ config, log, db, kv }, {
    market: opts.market?.(config),
    streams: opts.streams,
  });
  if (opts.matcher) await services.brokerService.start();
  if (opts.alerts) await services.alerts.start();
  bundle ??= loadBundle({ manifest });
  const app = createApp({
    services,
    manifest,
    bundle: await bundle,
    staticFiles: await loadStaticFiles(new URL("../static", import.meta.url).pathname),
    now: opts.now,
  });
  return {
    app,
    services,
    logs,
    async close() {
      await closeServices(services).catch(() => {});
      await database?.drop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * A second app instance beside `t`, as a load balancer would run it: the same database and the
 * same KV file, but its own KV handle, caches, stream hub and broker service. Tests of "every
 * instance within a second" use it. `close` leaves the database to `t`.
 */
export async function openPeerApp(
  t: TestApp,
  opts: Pick<TestAppOptions, "alerts" | "market"> = {},
): Promise<TestApp> {
  const { config, db } = t.services;
  const logs: Record<string, unknown>[] = [];
  const log = createLogger(config.LOG_LEVEL, (line) => logs.push(JSON.parse(line)));
  const kv = await Deno.openKv(kvLocation(config));
  const services = buildServices({ config, log, db, kv }, { market: opts.market?.(config) });
  if (opts.alerts) await services.alerts.start();
  bundle ??= loadBundle({ manifest });
  const app = createApp({
    services,
    manifest,
    bundle: await bundle,
    staticFiles: await loadStaticFiles(new URL("../static", import.meta.url).pathname),
  });
  return {
    app,
    services,
    logs,
    async close() {
      await services.backtests.close();
      await services.alerts.close();
      await services.notifications.close();
      services.identities.close();
      services.halts.close();
      await services.brokerService.close();
      await services.streams.close();
      await services.market.close();
      await services.rateLimiter.close();
      kv.close();
    },
  };
}
