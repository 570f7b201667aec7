/**
 * Every job registerJobs registers, as the scheduler API lists and runs them: registered with a
 * recorder instead of `Deno.cron`, so the list cannot drift from what production schedules and a
 * manual run goes through the same recorded wrapper as a cron tick.
 */
import type { JobServices, RecordedJob } from "./mod.ts";
import { registerJobs } from "./mod.ts";

export function jobCatalogue(services: JobServices): RecordedJob[] {
  const jobs: RecordedJob[] = [];
  registerJobs(services, () => undefined, (job) => jobs.push(job));
  return jobs;
}
