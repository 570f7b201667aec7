/**
 * The morning job: on each market day, before the open on the market clock (the replay clock in
 * replay), every active user's brief is built once (lib/morning/). It runs every minute and does
 * work only while the market is in pre-market (or, catching up after a restart, open) and a user
 * still lacks the day's brief; the claim row (lib/morning/store.ts) makes it build each brief
 * once however many instances run it, and a re-run build nothing.
 */
import { gatherMarket } from "../lib/morning/market.ts";
import { type MorningServices, runBrief } from "../lib/morning/mod.ts";
import { usersToBrief } from "../lib/morning/store.ts";

/** Every minute: the replay's pre-market can be short at high replay speeds. */
export const MORNING_BRIEFS_SCHEDULE = "* * * * *";

export interface MorningReport {
  date: string | null;
  state: string;
  /** Users who lacked the day's brief when the run started. */
  pending: number;
  /** Briefs this run built (another instance may have built the rest). */
  built: number;
  failed: number;
}

export async function runMorningBriefs(services: MorningServices): Promise<MorningReport> {
  const clock = await services.market.clock();
  if (clock.state !== "premarket" && clock.state !== "open") {
    return { date: null, state: clock.state, pending: 0, built: 0, failed: 0 };
  }
  const users = await usersToBrief(services.db, clock.date);
  let built = 0;
  let failed = 0;
  // One market overview for every user of this run.
  let market: ReturnType<typeof gatherMarket> | undefined;
  for (const userId of users) {
    market ??= gatherMarket(services.market);
    market.catch(() => {});
    const outcome = await runBrief(services, userId, clock.date, "job", market);
    if (outcome === "built") built++;
    else if (outcome === "failed") failed++;
  }
  return { date: clock.date, state: clock.state, pending: users.length, built, failed };
}
