/**
 * Registers the Deno.cron jobs. Each job is a plain function the tests call directly; cron only
 * decides when. On Deno Deploy a job runs once per deployment, not once per instance.
 */
import type { Services } from "../lib/services.ts";
import { RATE_LIMIT_CLEANUP_SCHEDULE, rateLimitCleanup } from "./rate_limit_cleanup.ts";
import {
  BROKER_SYNC_SCHEDULE,
  brokerSync,
  EQUITY_SNAPSHOT_SCHEDULE,
  equitySnapshots,
} from "./broker_sync.ts";

export function registerJobs(services: Services): void {
  Deno.cron("rate limit cleanup", RATE_LIMIT_CLEANUP_SCHEDULE, async () => {
    const deleted = await rateLimitCleanup(services.kv);
    if (deleted > 0) services.log.debug("rate limit windows deleted", { deleted });
  });
  Deno.cron("broker sync", BROKER_SYNC_SCHEDULE, async () => {
    try {
      const report = await brokerSync(services.broker);
      if (report.filled || report.expired || report.errors) {
        services.log.info("broker sync", { ...report });
      }
    } catch (err) {
      services.log.error("broker sync failed", { error: String(err) });
    }
  });
  Deno.cron("equity snapshots", EQUITY_SNAPSHOT_SCHEDULE, async () => {
    try {
      await equitySnapshots(services.broker);
    } catch (err) {
      services.log.error("equity snapshots failed", { error: String(err) });
    }
  });
}
