import { deepEqual, equal, match, ok } from "node:assert/strict";
import { withTestDatabases } from "../db/testing.ts";
import { createLogger } from "../log.ts";
import { metrics } from "../metrics/mod.ts";
import { INSTANCE } from "../instance.ts";
import { jobLogger, type RecordedJob, recordingCron } from "./recorded.ts";
import { ABANDONED_AFTER_MS, latestRuns, pruneJobRuns, recentRuns } from "./runs.ts";

function setup(db: Parameters<Parameters<typeof withTestDatabases>[1]>[0]) {
  const lines: Record<string, unknown>[] = [];
  const log = jobLogger(createLogger("debug", (l) => lines.push(JSON.parse(l))));
  const ticks = new Map<string, () => Promise<void>>();
  const jobs = new Map<string, RecordedJob>();
  const cron = recordingCron(
    { db, log },
    (name, _schedule, handler) => ticks.set(name, handler),
    (job) => jobs.set(job.name, job),
  );
  return { cron, log, lines, ticks, jobs };
}

withTestDatabases("a cron tick is claimed, run and recorded, ok or failed", async (db) => {
  const { cron, log, ticks } = setup(db);
  cron("quiet", "* * * * *", () => Promise.resolve());
  // The jobs catch their failures and log them: a logged error fails the run.
  cron("logs an error", "* * * * *", () => {
    log.error("thing failed", { error: "upstream said no" });
    log.error("second failure is not the one kept");
    return Promise.resolve();
  });
  cron("throws", "* * * * *", () => Promise.reject(new TypeError("bad value")));
  const failedBefore = metrics.cronRuns.labels("throws", "failed").value;

  for (const tick of ticks.values()) await tick();

  const runs = await latestRuns(db, ["quiet", "logs an error", "throws"]);
  const quiet = runs.get("quiet")!;
  equal(quiet.ok, true);
  equal(quiet.error, null);
  equal(quiet.trigger, "cron");
  equal(quiet.instance, INSTANCE);
  ok(quiet.finishedAt && quiet.durationMs !== null && quiet.durationMs >= 0);
  equal(runs.get("logs an error")!.ok, false);
  equal(runs.get("logs an error")!.error, "thing failed: upstream said no");
  equal(runs.get("throws")!.ok, false);
  equal(runs.get("throws")!.error, "TypeError: bad value");
  equal(metrics.cronRuns.labels("throws", "failed").value - failedBefore, 1);
});

withTestDatabases("concurrent jobs each keep their own error", async (db) => {
  const { cron, log, ticks } = setup(db);
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  cron("a", "* * * * *", async () => {
    await gate;
    log.error("a failed");
  });
  cron("b", "* * * * *", async () => {
    await gate;
  });
  const both = Promise.all([ticks.get("a")!(), ticks.get("b")!()]);
  release();
  await both;
  const runs = await latestRuns(db, ["a", "b"]);
  equal(runs.get("a")!.error, "a failed");
  equal(runs.get("b")!.ok, true);
});

withTestDatabases("one run per job at a time: a tick meanwhile is skipped", async (db) => {
  const { cron, ticks, jobs } = setup(db);
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  let calls = 0;
  cron("slow", "* * * * *", async () => {
    calls++;
    await gate;
  });
  const skippedBefore = metrics.cronSkipped.labels("slow").value;
  const started = await jobs.get("slow")!.start("manual");
  ok(started);
  equal(started.run.finishedAt, null);
  equal(started.run.trigger, "manual");
  // Another tick, and another manual start, while it runs.
  await ticks.get("slow")!();
  equal(await jobs.get("slow")!.start("manual"), null);
  equal(metrics.cronSkipped.labels("slow").value - skippedBefore, 1);
  release();
  const finished = await started.done;
  equal(finished.ok, true);
  equal(calls, 1);
  // Finished: the next tick runs.
  await ticks.get("slow")!();
  equal(calls, 2);
  equal((await recentRuns(db, "slow", 10)).length, 2);
});

withTestDatabases(
  "a run left in progress by a dead instance is closed as abandoned",
  async (db) => {
    const { cron, ticks } = setup(db);
    cron("orphan", "* * * * *", () => Promise.resolve());
    await db.query(
      `insert into job_runs (name, instance, started_at) values
       ('orphan', 'gone:1', now() - make_interval(secs => $1::int / 1000.0 + 60))`,
      [ABANDONED_AFTER_MS],
    );
    await ticks.get("orphan")!();
    const [latest, abandoned] = await recentRuns(db, "orphan", 2);
    equal(latest.ok, true);
    equal(abandoned.ok, false);
    match(abandoned.error!, /^abandoned/);
  },
);

withTestDatabases("retention keeps 30 days and the newest 1,000 runs per job", async (db) => {
  await db.query(
    `insert into job_runs (name, instance, started_at, finished_at, duration_ms, ok)
     select 'busy', 'x', now() - make_interval(secs => g), now() - make_interval(secs => g), 1, true
       from generate_series(1, 1005) g`,
  );
  await db.query(
    `insert into job_runs (name, instance, started_at, finished_at, duration_ms, ok) values
       ('rare', 'x', now() - interval '31 days', now() - interval '31 days', 1, true),
       ('rare', 'x', now() - interval '29 days', now() - interval '29 days', 1, true)`,
  );
  // In progress for 40 days: never deleted by retention (the next claim closes it).
  await db.query(
    `insert into job_runs (name, instance, started_at) values ('stuck', 'x', now() - interval '40 days')`,
  );
  equal(await pruneJobRuns(db), 6);
  const counts = await db.query<{ name: string; n: number }>(
    "select name, count(*)::int as n from job_runs group by name order by name",
  );
  deepEqual(counts, [{ name: "busy", n: 1000 }, { name: "rare", n: 1 }, { name: "stuck", n: 1 }]);
});
