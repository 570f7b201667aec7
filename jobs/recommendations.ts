/**
 * Scores the recommendations whose horizon has ended (lib/recommendations/score.ts), every
 * weekday evening after New York's close and again before the open, so a replayed day that
 * advanced overnight is scored by the morning routine. Each outcome is written once, so a run
 * on two instances, or a re-run, scores nothing twice.
 */
import type { Database } from "../lib/db/database.ts";
import type { Logger } from "../lib/log.ts";
import type { MarketData } from "../lib/market/types.ts";
import { scoreMatured, type ScoreReport } from "../lib/recommendations/score.ts";

/** 21:30 and 11:30 UTC on weekdays: after the close and before the open in New York. */
export const RECOMMENDATION_SCORING_SCHEDULE = "30 11,21 * * 1-5";

export function scoreRecommendations(
  services: { db: Database; market: MarketData; log?: Logger },
): Promise<ScoreReport> {
  return scoreMatured(services);
}
