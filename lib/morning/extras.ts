/**
 * The brief's two sections that other features fill: today's recommendations (generated for the
 * user when the brief finds none from the last 18 hours, so the morning job produces each day's
 * ideas) and the proposals waiting for approval.
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
  };
}
