import { deepEqual, equal, ok } from "node:assert/strict";
import { withTestDatabases } from "../lib/db/testing.ts";
import { ScriptedMarketData } from "../lib/market/testing.ts";
import { PaperBroker } from "../lib/broker/paper/broker.ts";
import { hitRateLimit, WINDOW_MS } from "../lib/auth/rate_limit.ts";
import { createLogger } from "../lib/log.ts";
import { updateSettings } from "../lib/settings.ts";
import { type CronRegister, type JobServices, registerJobs } from "./mod.ts";
import { RATE_LIMIT_CLEANUP_SCHEDULE } from "./rate_limit_cleanup.ts";
import { BROKER_SYNC_SCHEDULE, EQUITY_SNAPSHOT_SCHEDULE } from "./broker_sync.ts";
import { StreamHub } from "../lib/market/stream_hub.ts";
import { AlertEngine } from "../lib/alerts/engine.ts";
import { createAlert } from "../lib/alerts/repo.ts";
import { ALERTS_SCHEDULE, NOTIFICATION_PURGE_SCHEDULE } from "./alerts.ts";
import { SCHEDULED_SCANS_SCHEDULE } from "./scans.ts";
import { PROPOSAL_EXPIRY_SCHEDULE } from "./proposals.ts";
import { RECOMMENDATION_SCORING_SCHEDULE } from "./recommendations.ts";
import { MORNING_BRIEFS_SCHEDULE } from "./morning.ts";
import { DEPLOYMENTS_SCHEDULE } from "./deployments.ts";
import { OPS_RETENTION_SCHEDULE } from "./ops_retention.ts";
import { jobCatalogue } from "./catalogue.ts";
import { nextRun } from "../lib/scheduler/cron.ts";
import { latestRuns } from "../lib/scheduler/runs.ts";
import type { TradingHalts } from "../lib/broker/halt.ts";
import type { BacktestJobs } from "../lib/backtest/jobs.ts";
import type { Analyst } from "../lib/ai/types.ts";

interface Registered {
  name: string;
  schedule: string;
  handler: () => Promise<void>;
}

function record(services: JobServices): Registered[] {
  const registered: Registered[] = [];
  const cron: CronRegister = (name, schedule, handler) => {
    registered.push({ name, schedule, handler });
  };
  registerJobs(services, cron);
  return registered;
}

Deno.test("registerJobs registers each job once, under its name, on its schedule", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    // Registration only reads the services when a job runs, so no broker is needed here.
    const registered = record({ kv, log: createLogger("silent") } as JobServices);
    deepEqual(registered.map(({ name, schedule }) => [name, schedule]), [
      ["rate limit cleanup", RATE_LIMIT_CLEANUP_SCHEDULE],
      ["broker sync", BROKER_SYNC_SCHEDULE],
      ["equity snapshots", EQUITY_SNAPSHOT_SCHEDULE],
      ["alerts", ALERTS_SCHEDULE],
      ["notification purge", NOTIFICATION_PURGE_SCHEDULE],
      ["scheduled scans", SCHEDULED_SCANS_SCHEDULE],
      ["proposal expiry", PROPOSAL_EXPIRY_SCHEDULE],
      ["recommendation scoring", RECOMMENDATION_SCORING_SCHEDULE],
      ["morning briefs", MORNING_BRIEFS_SCHEDULE],
      ["strategy deployments", DEPLOYMENTS_SCHEDULE],
      ["ops retention", OPS_RETENTION_SCHEDULE],
    ]);
    // Deno.cron takes five fields: a typo here would only show at deploy time. Each schedule
    // also reads with the scheduler's parser (GET /api/scheduler shows its next run).
    for (const { name, schedule } of registered) {
      equal(schedule.split(" ").length, 5, `${name}: ${schedule}`);
      ok(nextRun(schedule, new Date()), `${name}: ${schedule} never runs`);
    }
    // The scheduler API's catalogue is the same list.
    deepEqual(
      jobCatalogue({ kv, log: createLogger("silent") } as JobServices).map((j) => j.name),
      registered.map((r) => r.name),
    );
  } finally {
    kv.close();
  }
});

withTestDatabases("each registered handler runs its job and logs what it did", async (db) => {
  const kv = await Deno.openKv(":memory:");
  const market = new ScriptedMarketData();
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("debug", (line) => lines.push(JSON.parse(line)));
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const [u] = await db.query<{ id: number }>(
      "insert into users (username, email, password_hash) values ('c', 'c@x.test', 'x') returning id",
    );
    await updateSettings(db, u.id, { maxPositionPercent: 100 });
    market.setQuote("KO", { bid: 49.9, ask: 50.1, last: 50 });
    const broker = new PaperBroker({ db, market });
    const streams = new StreamHub(market);
    const alerts = new AlertEngine({ db, kv, market, streams });
    cleanups.push(() => alerts.close(), () => streams.close());
    const handlers = new Map(
      // The morning job below runs with the market closed, so it never asks the analyst.
      // No deployment exists, so the deployments job reads neither halts nor bars.
      record({
        kv,
        log,
        broker,
        db,
        alerts,
        market,
        analyst: {} as Analyst,
        halts: {} as TradingHalts,
        backtests: {} as BacktestJobs,
      }).map((
        { name, handler },
      ) => [name, handler]),
    );

    const lastWindow = Date.now() - WINDOW_MS;
    await hitRateLimit(kv, "api", "1.2.3.4", 10, lastWindow);
    await handlers.get("rate limit cleanup")!();
    deepEqual(await Array.fromAsync(kv.list({ prefix: ["ratelimit"] })), []);
    equal(lines.find((l) => l.msg === "rate limit windows deleted")?.deleted, 1);

    const placed = await broker.submit(u.id, {
      symbol: "KO",
      side: "buy",
      type: "limit",
      limitPrice: 45,
      timeInForce: "day",
      qty: 10,
      clientOrderId: "cron-1",
    });
    market.setQuote("KO", { bid: 44.8, ask: 44.9, last: 44.85 });
    await handlers.get("broker sync")!();
    equal((await broker.order(u.id, placed.order.id)).status, "filled");
    equal(lines.find((l) => l.msg === "broker sync")?.filled, 1);

    const count = async () =>
      (await db.query("select 1 from equity_snapshots where user_id = $1", [u.id])).length;
    const before = await count();
    await handlers.get("equity snapshots")!();
    equal(await count(), before + 1);

    await db.transaction((tx) =>
      createAlert(tx, u.id, {
        symbol: "KO",
        condition: "price_below",
        threshold: 45,
        period: null,
        rearm: "margin",
        rearmMargin: 0.5,
        expiresAt: null,
        note: null,
      })
    );
    await handlers.get("alerts")!();
    equal(lines.find((l) => l.msg === "alerts")?.fired, 1);
    const kinds = await db.query<{ kind: string }>(
      "select kind from notifications where user_id = $1 order by id",
      [u.id],
    );
    // The limit order's fill (written by the database's trigger) and the alert's firing.
    deepEqual(kinds.map((k) => k.kind), ["order", "alert"]);
    await db.query(
      "insert into notifications (user_id, kind, title, created_at) values ($1, 'brief', 'old', now() - interval '91 days')",
      [u.id],
    );
    await handlers.get("notification purge")!();
    equal(lines.find((l) => l.msg === "notifications purged")?.deleted, 1);
    // No scan is scheduled: the job runs and has nothing to say (jobs/scans_test.ts runs some).
    await handlers.get("scheduled scans")!();
    equal(lines.some((l) => l.msg === "scheduled scans"), false);
    // A proposal of an earlier session expires (tests/proposals_api_test.ts covers the rest).
    await db.query(
      `insert into proposals (user_id, symbol, side, type, time_in_force, qty, source_kind,
         expires_session_no, client_order_id) values ($1, 'KO', 'buy', 'market', 'day', 1,
         'manual', 1, 'proposal-job-test')`,
      [u.id],
    );
    await handlers.get("proposal expiry")!();
    equal(lines.find((l) => l.msg === "proposals expired")?.expired, 1);
    // Nothing to score: the job runs quietly (tests/recommendations_test.ts scores some).
    await handlers.get("recommendation scoring")!();
    equal(lines.some((l) => l.msg === "recommendations scored"), false);
    // Market closed: no brief is due (tests/morning_api_test.ts builds some).
    market.setState("closed");
    await handlers.get("morning briefs")!();
    equal(lines.some((l) => l.msg === "morning briefs"), false);
    deepEqual(await db.query("select id from morning_briefs"), []);
    // After the close with no deployment: nothing evaluated (tests/deployments_test.ts has some).
    await handlers.get("strategy deployments")!();
    equal(lines.some((l) => l.msg === "strategy deployments"), false);
    // Telemetry past 30 days goes; what is younger stays (job runs: lib/scheduler/).
    await db.query(
      `insert into telemetry_events (name, page, received_at) values
         ('stage_opened', 'risk', now() - interval '31 days'),
         ('stage_opened', 'risk', now() - interval '29 days')`,
    );
    await handlers.get("ops retention")!();
    equal(lines.find((l) => l.msg === "ops retention")?.telemetry, 1);
    deepEqual(await db.query("select page from telemetry_events"), [{ page: "risk" }]);
    deepEqual(lines.filter((l) => l.level === "error"), []);
    // Each handler ran through the recording wrapper: one finished run per job, all ok.
    const runs = await latestRuns(db, [...handlers.keys()]);
    deepEqual(
      [...handlers.keys()].map((name) => [name, runs.get(name)?.ok]),
      [...handlers.keys()].map((name) => [name, true]),
    );
  } finally {
    for (const fn of cleanups.reverse()) await fn();
    await market.close();
    kv.close();
  }
});
