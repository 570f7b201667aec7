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
import {
  ALERTS_SCHEDULE,
  evaluateAlerts,
  NOTIFICATION_PURGE_SCHEDULE,
  purgeNotifications,
} from "./alerts.ts";
import { runScheduledScans, SCHEDULED_SCANS_SCHEDULE } from "./scans.ts";
import { expireProposals, PROPOSAL_EXPIRY_SCHEDULE } from "./proposals.ts";
import { RECOMMENDATION_SCORING_SCHEDULE, scoreRecommendations } from "./recommendations.ts";
import { MORNING_BRIEFS_SCHEDULE, runMorningBriefs } from "./morning.ts";
import { DEPLOYMENTS_SCHEDULE, evaluateDeployments } from "./deployments.ts";
import { OPS_RETENTION_SCHEDULE, opsRetention } from "./ops_retention.ts";
import {
  type CronRegister,
  jobLogger,
  type RecordedJob,
  recordingCron,
} from "../lib/scheduler/recorded.ts";

export type { CronRegister, RecordedJob };

/** The services the jobs use. */
export type JobServices =
  & Pick<
    Services,
    "kv" | "log" | "broker" | "db" | "alerts" | "market" | "analyst" | "halts" | "backtests"
  >
  & Pick<Partial<Services>, "morningExtras">;

/**
 * Registers every job through `register` (`Deno.cron` by default), each wrapped once, here, by
 * lib/scheduler/recorded.ts: a run is claimed and recorded in `job_runs`, counted and traced.
 * `onJob` receives each wrapped job (the scheduler API lists and runs them through it).
 */
export function registerJobs(
  services: JobServices,
  register: CronRegister = Deno.cron,
  onJob?: (job: RecordedJob) => void,
): void {
  // The handlers below catch their own failures and log them: through the job logger, an error
  // they log marks their run failed.
  services = { ...services, log: jobLogger(services.log) };
  const cron = recordingCron(services, register, onJob);
  cron("rate limit cleanup", RATE_LIMIT_CLEANUP_SCHEDULE, async () => {
    const deleted = await rateLimitCleanup(services.kv);
    if (deleted > 0) services.log.debug("rate limit windows deleted", { deleted });
  });
  cron("broker sync", BROKER_SYNC_SCHEDULE, async () => {
    try {
      const report = await brokerSync(services.broker);
      if (report.filled || report.expired || report.errors) {
        services.log.info("broker sync", { ...report });
      }
    } catch (err) {
      services.log.error("broker sync failed", { error: String(err) });
    }
  });
  cron("equity snapshots", EQUITY_SNAPSHOT_SCHEDULE, async () => {
    try {
      await equitySnapshots(services.broker);
    } catch (err) {
      services.log.error("equity snapshots failed", { error: String(err) });
    }
  });
  cron("alerts", ALERTS_SCHEDULE, async () => {
    try {
      const report = await evaluateAlerts(services.db, services.alerts);
      if (report.fired || report.expired) services.log.info("alerts", { ...report });
    } catch (err) {
      services.log.error("alerts failed", { error: String(err) });
    }
  });
  cron("notification purge", NOTIFICATION_PURGE_SCHEDULE, async () => {
    try {
      const deleted = await purgeNotifications(services.db);
      if (deleted > 0) services.log.info("notifications purged", { deleted });
    } catch (err) {
      services.log.error("notification purge failed", { error: String(err) });
    }
  });
  cron("scheduled scans", SCHEDULED_SCANS_SCHEDULE, async () => {
    try {
      const report = await runScheduledScans(services.db, services.market);
      if (report.scans) services.log.info("scheduled scans", { ...report });
    } catch (err) {
      services.log.error("scheduled scans failed", { error: String(err) });
    }
  });
  cron("proposal expiry", PROPOSAL_EXPIRY_SCHEDULE, async () => {
    try {
      const expired = await expireProposals(services.db, services.market);
      if (expired) services.log.info("proposals expired", { expired });
    } catch (err) {
      services.log.error("proposal expiry failed", { error: String(err) });
    }
  });
  cron("recommendation scoring", RECOMMENDATION_SCORING_SCHEDULE, async () => {
    try {
      const report = await scoreRecommendations(services);
      if (report.scored || report.failed) {
        services.log.info("recommendations scored", { ...report });
      }
    } catch (err) {
      services.log.error("recommendation scoring failed", { error: String(err) });
    }
  });
  cron("morning briefs", MORNING_BRIEFS_SCHEDULE, async () => {
    try {
      const report = await runMorningBriefs(services);
      if (report.built || report.failed) services.log.info("morning briefs", { ...report });
    } catch (err) {
      services.log.error("morning briefs failed", { error: String(err) });
    }
  });
  cron("strategy deployments", DEPLOYMENTS_SCHEDULE, async () => {
    try {
      const report = await evaluateDeployments(services);
      if (report.evaluated || report.failed || report.halted) {
        services.log.info("strategy deployments", { ...report });
      }
    } catch (err) {
      services.log.error("strategy deployments failed", { error: String(err) });
    }
  });
  cron("ops retention", OPS_RETENTION_SCHEDULE, async () => {
    try {
      const report = await opsRetention(services.db);
      if (report.telemetry || report.jobRuns) services.log.info("ops retention", { ...report });
    } catch (err) {
      services.log.error("ops retention failed", { error: String(err) });
    }
  });
}
