/**
 * The health report behind `GET /api/health`: for each seam its mode, whether it answers, and
 * how fast. The database is essential (the report is "down" without it); the rest degrade.
 */
import { type Seam, seamModes } from "./config.ts";
import type { Services } from "./services.ts";
import type { AlertEngineStats } from "./alerts/engine.ts";

export type ServiceState = "up" | "down";

export interface ServiceHealth {
  mode: string;
  state: ServiceState;
  latency_ms: number | null;
  detail?: string;
}

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  timestamp: string;
  version: string;
  services: Record<Seam, ServiceHealth>;
  /** This instance's alert engine: symbols followed, quotes judged, firings won and lost. */
  alerts: AlertEngineStats;
}

const PROBE_TIMEOUT_MS = 2_000;

async function probe(mode: string, check: () => Promise<unknown>): Promise<ServiceHealth> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { mode, state: "up", latency_ms: round(performance.now() - started) };
  } catch (err) {
    return {
      mode,
      state: "down",
      latency_ms: round(performance.now() - started),
      // The message only: driver errors can carry connection details, never credentials here.
      detail: (err as Error).message.slice(0, 200),
    };
  } finally {
    clearTimeout(timer);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export async function checkHealth(services: Services): Promise<HealthReport> {
  const modes = seamModes(services.config);
  const [database, kv, market, broker, analyst] = await Promise.all([
    probe(modes.database, () => services.db.ping()),
    probe(modes.kv, () => services.kv.get(["health", "probe"])),
    // Through the cache (5 s), so health checks do not spend the upstream's rate limit; a
    // stale answer means the upstream is failing.
    probe(modes.market_data, async () => {
      const clock = await services.market.clock();
      if (clock.stale) throw new Error("the upstream is failing; serving cached data");
    }),
    probe(modes.broker, () => services.broker.ping()),
    probe(modes.analyst, () => services.analyst.ping()),
  ]);
  const report: Record<Seam, ServiceHealth> = {
    "database": database,
    "kv": kv,
    "market_data": market,
    "broker": broker,
    "analyst": analyst,
  };
  const status = database.state === "down"
    ? "down"
    : Object.values(report).some((s) => s.state === "down")
    ? "degraded"
    : "ok";
  return {
    status,
    timestamp: new Date().toISOString(),
    version: services.version,
    services: report,
    alerts: services.alerts.stats(),
  };
}
