/**
 * The one wrapper every cron job runs in (jobs/mod.ts applies it to each registration): a run is
 * claimed in `job_runs` before the handler starts, so one run per job is in progress across all
 * instances; then the handler runs inside a `job.<name>` span, and its end is recorded with the
 * duration and the first error, and counted (`paiid_cron_runs_total`, `_run_duration_seconds`,
 * `_skipped_total`). A tick that finds its job still running is skipped and counted as such.
 *
 * A run fails when its handler throws, or when it logs an error through the job logger (the
 * jobs catch their own errors and log them, so the log is where their failures show): the job
 * logger notes the first such line on the run it belongs to, found through AsyncLocalStorage,
 * since several jobs share one logger and may run at once.
 *
 * When the database cannot record the claim, the job still runs (it may not need the database,
 * like the KV rate-limit cleanup) and the miss is logged.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Queryable } from "../db/database.ts";
import type { Logger } from "../log.ts";
import { metrics } from "../metrics/mod.ts";
import { inSpan } from "../trace/span.ts";
import { INSTANCE } from "../instance.ts";
import { claimRun, finishRun, type JobRun, MAX_ERROR_CHARS } from "./runs.ts";

/** What registers a job: `Deno.cron` in the app, a recorder in tests. */
export type CronRegister = (
  name: string,
  schedule: string,
  handler: () => Promise<void>,
) => unknown;

/** A registered job as the scheduler API sees it. */
export interface RecordedJob {
  name: string;
  schedule: string;
  /**
   * Claims a run now and starts it: null when one is already in progress; otherwise the claimed
   * row at once and `done`, which resolves with the finished row (never rejects).
   */
  start(trigger: JobRun["trigger"]): Promise<StartedRun | null>;
}

export interface StartedRun {
  run: JobRun;
  done: Promise<JobRun>;
}

export interface RecordingDeps {
  db: Queryable;
  log: Logger;
}

interface RunState {
  error: string | null;
}

const current = new AsyncLocalStorage<RunState>();

function fieldText(fields: Record<string, unknown> | undefined): string {
  const e = fields?.error;
  if (e === undefined) return "";
  return `: ${e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e)}`;
}

/**
 * `log` with one addition: an error logged while a job runs marks that run failed (its first
 * error line is the one kept).
 */
export function jobLogger(log: Logger): Logger {
  return {
    debug: (msg, fields) => log.debug(msg, fields),
    info: (msg, fields) => log.info(msg, fields),
    warn: (msg, fields) => log.warn(msg, fields),
    error: (msg, fields) => {
      const run = current.getStore();
      if (run && run.error === null) {
        run.error = `${msg}${fieldText(fields)}`.slice(0, MAX_ERROR_CHARS);
      }
      log.error(msg, fields);
    },
  };
}

function describe(err: unknown): string {
  return (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(
    0,
    MAX_ERROR_CHARS,
  );
}

/** Runs `handler` as run `claimed` (or unrecorded when null) and records how it ended. */
async function execute(
  deps: RecordingDeps,
  name: string,
  handler: () => Promise<void>,
  claimed: JobRun | null,
): Promise<JobRun | null> {
  const state: RunState = { error: null };
  const started = performance.now();
  try {
    await current.run(state, () => inSpan(`job.${name}`, { "paiid.job": name }, handler));
  } catch (err) {
    state.error ??= describe(err);
    deps.log.error("job failed", { job: name, error: describe(err) });
  }
  const ms = performance.now() - started;
  metrics.cronRuns.labels(name, state.error === null ? "ok" : "failed").inc();
  metrics.cronDuration.labels(name).observe(ms / 1000);
  if (!claimed) return null;
  try {
    return await finishRun(deps.db, claimed.id, ms, state.error);
  } catch (err) {
    deps.log.error("job run not recorded", { job: name, run: claimed.id, error: describe(err) });
    return null;
  }
}

/** Wraps `handler` so each call is claimed, traced, recorded and counted; see the module. */
export function recordedJob(
  deps: RecordingDeps,
  name: string,
  schedule: string,
  handler: () => Promise<void>,
): RecordedJob & { tick(): Promise<void> } {
  const start = async (trigger: JobRun["trigger"]): Promise<StartedRun | null> => {
    const run = await claimRun(deps.db, name, INSTANCE, trigger);
    if (!run) return null;
    const done = execute(deps, name, handler, run).then((finished) => finished ?? run);
    return { run, done };
  };
  return {
    name,
    schedule,
    start,
    async tick() {
      let claimed: JobRun | null;
      try {
        claimed = await claimRun(deps.db, name, INSTANCE, "cron");
      } catch (err) {
        deps.log.error("job run not recorded", { job: name, error: describe(err) });
        await execute(deps, name, handler, null);
        return;
      }
      if (!claimed) {
        metrics.cronSkipped.labels(name).inc();
        deps.log.debug("job still running: tick skipped", { job: name });
        return;
      }
      await execute(deps, name, handler, claimed);
    },
  };
}

/**
 * A `CronRegister` that registers every job through `register`, wrapped by `recordedJob`, and
 * hands each wrapped job to `onJob` (the scheduler API's catalogue).
 */
export function recordingCron(
  deps: RecordingDeps,
  register: CronRegister,
  onJob?: (job: RecordedJob) => void,
): CronRegister {
  return (name, schedule, handler) => {
    const job = recordedJob(deps, name, schedule, handler);
    onJob?.(job);
    return register(name, schedule, job.tick);
  };
}
