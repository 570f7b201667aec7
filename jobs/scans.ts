/**
 * Scheduled scans: every weekday morning, before New York's open, each saved scan marked
 * `scheduled` runs on the latest completed day and its hits go to its owner as a "brief"
 * notification (one per scan and scan day, however often the job runs).
 */
import type { Database } from "../lib/db/database.ts";
import type { MarketData } from "../lib/market/types.ts";
import { createNotification } from "../lib/notifications/repo.ts";
import { scanMarket } from "../lib/scanner/mod.ts";
import { scheduledScans } from "../lib/scanner/saved.ts";

/** 12:15 UTC on weekdays: 8:15 in New York in summer, 7:15 in winter. */
export const SCHEDULED_SCANS_SCHEDULE = "15 12 * * 1-5";

/** Hits named in a notification's body; the rest are counted. */
const LISTED = 10;

export async function runScheduledScans(
  db: Database,
  market: MarketData,
): Promise<{ scans: number; notified: number; failed: number }> {
  const scans = await scheduledScans(db);
  let notified = 0;
  let failed = 0;
  for (const scan of scans) {
    if (!scan.spec) {
      failed++;
      continue;
    }
    let result;
    try {
      result = await scanMarket(market, scan.spec);
    } catch {
      failed++;
      continue;
    }
    const { hits, asOf, source } = result;
    const lines = hits.slice(0, LISTED).map((h) => `${h.symbol}: ${h.reasons.join("; ")}`);
    if (hits.length > LISTED) lines.push(`and ${hits.length - LISTED} more`);
    const made = await createNotification(db, {
      userId: scan.userId,
      kind: "brief",
      title:
        `Scan “${scan.name}”: ${hits.length} ${hits.length === 1 ? "hit" : "hits"} on ${asOf}` +
        (source === "replay" ? " (replay)" : ""),
      body: hits.length ? lines.join("\n") : "Nothing matched.",
      link: "/scanner",
      dedupeKey: `scan:${scan.id}:${asOf}`,
    });
    if (made) notified++;
  }
  return { scans: scans.length, notified, failed };
}
