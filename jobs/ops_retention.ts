/**
 * Retention of the operations tables: browser telemetry older than 30 days, and job runs past
 * their retention (30 days, and the newest 1,000 per job; lib/scheduler/runs.ts).
 */
import type { Queryable } from "../lib/db/database.ts";
import { pruneJobRuns } from "../lib/scheduler/runs.ts";
import { pruneTelemetry } from "../lib/telemetry/repo.ts";

/** Once a day, at a quiet minute (UTC). */
export const OPS_RETENTION_SCHEDULE = "41 3 * * *";

export async function opsRetention(db: Queryable): Promise<{ telemetry: number; jobRuns: number }> {
  return { telemetry: await pruneTelemetry(db), jobRuns: await pruneJobRuns(db) };
}
