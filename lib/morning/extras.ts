/**
 * The brief's sections that other features fill: today's recommendations (generated for the
 * user when the brief finds none from the last 18 hours, so the morning job produces each day's
 * ideas), the proposals waiting for approval, and the user's scheduled saved scans, each run
 * when the brief is built, on the last day completed before the brief's day (the day the
 * morning job jobs/scans.ts notifies about), with the hits' reasons, source and day.
 *
 * @module
 */
import type { Services } from "../services.ts";
import type { ExtraItem } from "../shared/morning.ts";
import type { BriefExtras } from "./build.ts";
import { generateRecommendations, listLive } from "../recommendations/mod.ts";
import { listProposals } from "../proposals/mod.ts";
import { orderText } from "../client/proposals/view.ts";
import { formatUsd } from "../shared/money.ts";
import { listSavedScans } from "../scanner/saved.ts";
import { scanMarket } from "../scanner/mod.ts";

/** Hits written out per scheduled scan in the brief; the rest are counted. */
export const BRIEF_SCAN_HITS = 5;

/** Ideas younger than this are today's: a "Refresh ideas" before the brief is not redone. */
const FRESH_MS = 18 * 3_600_000;

export function briefExtras(services: Services): BriefExtras {
  return {
    async recommendations(userId) {
      let live = await listLive(services.db, userId);
      const cutoff = Date.now() - FRESH_MS;
      if (!live.some((r) => Date.parse(r.createdAt) >= cutoff)) {
        live = (await generateRecommendations(services, userId)).recommendations;
      }
      return live.map((r): ExtraItem => ({
        id: String(r.id),
        title: `${r.action.toUpperCase()} ${r.symbol} · confidence ${r.confidence}`,
        detail: `Entry ${formatUsd(r.entry)}, stop ${formatUsd(r.stop)}, target ` +
          `${formatUsd(r.target)} · ${r.horizonDays} trading days · ${r.source}, ${r.asOf}`,
        link: "/recommendations",
      }));
    },
    async proposals(userId) {
      const pending = await listProposals(services, userId, { status: "pending" });
      return pending.map((p): ExtraItem => ({
        id: p.id,
        title: orderText(p.order),
        detail: p.note || null,
        link: "/recommendations",
      }));
    },
    async scans(userId) {
      const scheduled = (await listSavedScans(services.db, userId)).filter((s) => s.scheduled);
      const items: ExtraItem[] = [];
      for (const scan of scheduled) {
        const id = String(scan.id);
        if (!scan.spec) {
          items.push({
            id,
            title: `Scan “${scan.name}” could not run`,
            detail: "It was saved under an older condition vocabulary; save it again.",
            link: "/scanner",
          });
          continue;
        }
        const { asOf, source, hits } = await scanMarket(services.market, scan.spec);
        const listed = hits.slice(0, BRIEF_SCAN_HITS).map((h) =>
          `${h.symbol} (${h.reasons.join("; ")})`
        );
        if (hits.length > BRIEF_SCAN_HITS) listed.push(`and ${hits.length - BRIEF_SCAN_HITS} more`);
        items.push({
          id,
          title: `Scan “${scan.name}”: ${hits.length} ${
            hits.length === 1 ? "hit" : "hits"
          } on ${asOf}`,
          detail: `${hits.length ? listed.join(", ") : "Nothing matched"} · source ${source}, ` +
            `closes of ${asOf}`,
          link: "/scanner",
        });
      }
      return items;
    },
  };
}
