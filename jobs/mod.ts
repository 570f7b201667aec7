/**
 * Registers the Deno.cron jobs. Each job is a plain function the tests call directly; cron only
 * decides when. On Deno Deploy a job runs once per deployment, not once per instance.
 */
import type { Services } from "../lib/services.ts";
import { RATE_LIMIT_CLEANUP_SCHEDULE, rateLimitCleanup } from "./rate_limit_cleanup.ts";

export function registerJobs(services: Services): void {
  Deno.cron("rate limit cleanup", RATE_LIMIT_CLEANUP_SCHEDULE, async () => {
    const deleted = await rateLimitCleanup(services.kv);
    if (deleted > 0) services.log.debug("rate limit windows deleted", { deleted });
  });
}
