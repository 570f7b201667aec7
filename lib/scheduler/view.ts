/**
 * The job list as the scheduler API and the admin page show it: every job registerJobs registers
 * (jobs/catalogue.ts), its schedule, next run (UTC, lib/scheduler/cron.ts), whether it is
 * running, and its last run from `job_runs`. One builder for both.
 */
import { jobCatalogue } from "../../jobs/catalogue.ts";
import type { JobServices, RecordedJob } from "../../jobs/mod.ts";
import { nextRun } from "./cron.ts";
import { type JobRun, latestRuns } from "./runs.ts";

export interface JobView {
  /** The name in URLs: `rate limit cleanup` → `rate-limit-cleanup`. */
  id: string;
  name: string;
  schedule: string;
  timezone: "UTC";
  nextRun: string | null;
  running: boolean;
  lastRun: JobRun | null;
}

export function jobId(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** The job `idOrName` names (its id or its exact name), or undefined. */
export function findJob(services: JobServices, idOrName: string): RecordedJob | undefined {
  return jobCatalogue(services).find((j) => j.name === idOrName || jobId(j.name) === idOrName);
}

/**
 * What a non-admin sees of a run: whether it worked, not the error text or the instance (they
 * can quote internals).
 */
export function publicRun(run: JobRun): JobRun {
  return { ...run, error: null, instance: "" };
}

export function toView(job: RecordedJob, lastRun: JobRun | null, now: Date): JobView {
  return {
    id: jobId(job.name),
    name: job.name,
    schedule: job.schedule,
    timezone: "UTC",
    nextRun: nextRun(job.schedule, now)?.toISOString() ?? null,
    running: lastRun !== null && lastRun.finishedAt === null,
    lastRun,
  };
}

export async function listJobs(
  services: JobServices,
  opts: { admin: boolean; now?: Date },
): Promise<JobView[]> {
  const jobs = jobCatalogue(services);
  const last = await latestRuns(services.db, jobs.map((j) => j.name));
  const now = opts.now ?? new Date();
  return jobs.map((job) => {
    const run = last.get(job.name) ?? null;
    return toView(job, run && !opts.admin ? publicRun(run) : run, now);
  });
}
