/**
 * Job runs in SQL (`job_runs`, migration 0019): claiming a run (one in progress per job across
 * every instance), finishing it, reading the latest, and pruning old ones.
 */
import type { Queryable } from "../db/database.ts";

export interface JobRun {
  id: number;
  name: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** null while running. */
  ok: boolean | null;
  error: string | null;
  instance: string;
  trigger: "cron" | "manual";
}

interface Row {
  id: number;
  name: string;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  ok: boolean | null;
  error: string | null;
  instance: string;
  trigger: "cron" | "manual";
}

const COLUMNS = "id, name, started_at, finished_at, duration_ms, ok, error, instance, trigger";

function toRun(r: Row): JobRun {
  return {
    id: r.id,
    name: r.name,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    durationMs: r.duration_ms,
    ok: r.ok,
    error: r.error,
    instance: r.instance,
    trigger: r.trigger,
  };
}

/** Longest stored error message. */
export const MAX_ERROR_CHARS = 500;

/**
 * A run in progress longer than this is taken for one whose instance died (a crash, a deploy)
 * and closed as abandoned, so the job is not blocked forever. Longer than any job here runs.
 */
export const ABANDONED_AFTER_MS = 60 * 60_000;

/**
 * Starts a run of `name`: the new row, or null when a run of it is already in progress (on any
 * instance). A run left in progress for `ABANDONED_AFTER_MS` is closed first.
 */
export async function claimRun(
  db: Queryable,
  name: string,
  instance: string,
  trigger: JobRun["trigger"],
): Promise<JobRun | null> {
  await db.query(
    `update job_runs set finished_at = now(), ok = false,
        error = 'abandoned: no result ' || $2::int / 60000 || ' minutes after it started',
        duration_ms = (extract(epoch from now() - started_at) * 1000)::int
      where name = $1 and finished_at is null
        and started_at < now() - make_interval(secs => $2::int / 1000.0)`,
    [name, ABANDONED_AFTER_MS],
  );
  const [row] = await db.query<Row>(
    `insert into job_runs (name, instance, trigger) values ($1, $2, $3)
     on conflict (name) where finished_at is null do nothing
     returning ${COLUMNS}`,
    [name, instance.slice(0, 200), trigger],
  );
  return row ? toRun(row) : null;
}

/** Records the end of a run: its duration and, when it failed, the first error. */
export async function finishRun(
  db: Queryable,
  id: number,
  durationMs: number,
  error: string | null,
): Promise<JobRun | null> {
  const [row] = await db.query<Row>(
    `update job_runs set finished_at = now(), duration_ms = $2, ok = $3, error = $4
      where id = $1 and finished_at is null returning ${COLUMNS}`,
    [
      id,
      Math.max(0, Math.round(durationMs)),
      error === null,
      error?.slice(0, MAX_ERROR_CHARS) ?? null,
    ],
  );
  return row ? toRun(row) : null;
}

/** The latest run of each of `names` (in progress or not). */
export async function latestRuns(db: Queryable, names: string[]): Promise<Map<string, JobRun>> {
  const rows = await db.query<Row>(
    `select distinct on (name) ${COLUMNS} from job_runs
      where name = any($1::text[]) order by name, started_at desc, id desc`,
    [names],
  );
  return new Map(rows.map((r) => [r.name, toRun(r)]));
}

/** The last `limit` runs of `name`, newest first. */
export async function recentRuns(db: Queryable, name: string, limit: number): Promise<JobRun[]> {
  const rows = await db.query<Row>(
    `select ${COLUMNS} from job_runs where name = $1 order by started_at desc, id desc limit $2`,
    [name, limit],
  );
  return rows.map(toRun);
}

/** Retention: a finished run is kept 30 days, and only among the newest 1,000 of its job. */
export const JOB_RUNS_KEEP_DAYS = 30;
export const JOB_RUNS_KEEP_PER_JOB = 1_000;

/** Deletes finished runs past the retention; returns how many. Runs in progress stay. */
export async function pruneJobRuns(db: Queryable): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `delete from job_runs where finished_at is not null and (
        started_at < now() - make_interval(days => $1)
        or id in (select id from (
          select id, row_number() over (partition by name order by started_at desc, id desc) as n
            from job_runs) ranked where n > $2))
      returning id`,
    [JOB_RUNS_KEEP_DAYS, JOB_RUNS_KEEP_PER_JOB],
  );
  return rows.length;
}
