import { deepEqual, equal } from "node:assert/strict";
import { withTestDatabases } from "../lib/db/testing.ts";
import { ScriptedMarketData } from "../lib/market/testing.ts";
import { PaperBroker } from "../lib/broker/paper/broker.ts";
import { hitRateLimit, WINDOW_MS } from "../lib/auth/rate_limit.ts";
import { createLogger } from "../lib/log.ts";
import { updateSettings } from "../lib/settings.ts";
import { type CronRegister, type JobServices, registerJobs } from "./mod.ts";
import { RATE_LIMIT_CLEANUP_SCHEDULE } from "./rate_limit_cleanup.ts";
import { BROKER_SYNC_SCHEDULE, EQUITY_SNAPSHOT_SCHEDULE } from "./broker_sync.ts";

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
    ]);
    // Deno.cron takes five fields: a typo here would only show at deploy time.
    for (const { name, schedule } of registered) {
      equal(schedule.split(" ").length, 5, `${name}: ${schedule}`);
    }
  } finally {
    kv.close();
  }
});

withTestDatabases("each registered handler runs its job and logs what it did", async (db) => {
  const kv = await Deno.openKv(":memory:");
  const market = new ScriptedMarketData();
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("debug", (line) => lines.push(JSON.parse(line)));
  try {
    const [u] = await db.query<{ id: number }>(
      "insert into users (username, email, password_hash) values ('c', 'c@x.test', 'x') returning id",
    );
    await updateSettings(db, u.id, { maxPositionPercent: 100 });
    market.setQuote("KO", { bid: 49.9, ask: 50.1, last: 50 });
    const broker = new PaperBroker({ db, market });
    const handlers = new Map(
      record({ kv, log, broker }).map(({ name, handler }) => [name, handler]),
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
    deepEqual(lines.filter((l) => l.level === "error"), []);
  } finally {
    await market.close();
    kv.close();
  }
});
