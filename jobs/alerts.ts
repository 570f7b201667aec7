/**
 * Every minute: every active alert against the latest quote and the daily bars (RSI and SMA
 * conditions are decided only here; quote conditions also on each streamed quote), after
 * marking expired alerts. Daily: notifications older than 90 days go.
 */
import type { AlertEngine, EvaluationReport } from "../lib/alerts/engine.ts";
import { expireAlerts } from "../lib/alerts/repo.ts";
import type { Database } from "../lib/db/database.ts";
import { purgeOld } from "../lib/notifications/repo.ts";

export const ALERTS_SCHEDULE = "* * * * *";
export const NOTIFICATION_PURGE_SCHEDULE = "17 4 * * *";

export async function evaluateAlerts(
  db: Database,
  alerts: AlertEngine,
): Promise<EvaluationReport & { expired: number }> {
  const expired = await expireAlerts(db);
  if (expired > 0) await alerts.changed();
  return { ...await alerts.evaluateAll(), expired };
}

export function purgeNotifications(db: Database): Promise<number> {
  return purgeOld(db);
}
