/**
 * The morning routine: one brief per user per market day (lib/shared/morning.ts says what a
 * brief holds). The job (jobs/morning.ts) builds every active user's brief before the open;
 * "Run now" (`POST /api/morning/brief`) rebuilds the caller's brief in the background while the
 * stage polls its progress.
 *
 * ```ts
 * const date = await marketDay(services.market); // the replayed day in replay
 * await runBrief(services, userId, date, "job"); // "skipped": already done today
 * ```
 *
 * @module
 */
import type { MarketData } from "../market/types.ts";
import type { MarketOverview } from "../shared/morning.ts";
import { buildBrief, type MorningServices } from "./build.ts";
import { claim, fail, finish, setProgress, type Trigger } from "./store.ts";

export type { BriefExtras, MorningServices } from "./build.ts";

/** The market day a brief is for: the market clock's date (the replayed day in replay). */
export async function marketDay(market: MarketData): Promise<string> {
  return (await market.clock()).date;
}

/** Builds the claimed brief `id` and stores the result (or the failure). */
export async function buildClaimed(
  services: MorningServices,
  id: number,
  userId: number,
  date: string,
  market?: Promise<MarketOverview>,
): Promise<boolean> {
  try {
    const brief = await buildBrief(services, userId, date, {
      market,
      progress: (percent, step) => setProgress(services.db, id, percent, step),
    });
    await finish(services.db, id, brief);
    return true;
  } catch (err) {
    services.log.error("morning brief failed", { userId, date, error: String(err) });
    await fail(services.db, id, err instanceof Error ? err.message : String(err));
    return false;
  }
}

/**
 * Claims and builds the brief of `userId` for `date`: `skipped` when it was not this caller's to
 * build (done already, or being built elsewhere).
 */
export async function runBrief(
  services: MorningServices,
  userId: number,
  date: string,
  trigger: Trigger,
  market?: Promise<MarketOverview>,
): Promise<"built" | "skipped" | "failed"> {
  const id = await claim(services.db, userId, date, trigger);
  if (id === null) return "skipped";
  return await buildClaimed(services, id, userId, date, market) ? "built" : "failed";
}
