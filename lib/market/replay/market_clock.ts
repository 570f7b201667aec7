/**
 * The replay's market clock: the state, next open and close of the replayed session, described
 * as a replay so no screen can take it for the live market.
 *
 * @module
 */
import { hhmm, nyInstant } from "../exchange_time.ts";
import type { MarketClock } from "../types.ts";
import { CLOSE, OPEN } from "./clock.ts";
import type { ReplayContext } from "./context.ts";
import { iso } from "./session.ts";

/** The market clock at the replayed moment. */
export async function replayMarketClock(ctx: ReplayContext): Promise<MarketClock> {
  const rc = await ctx.replayClock();
  const pos = await ctx.position();
  const next = rc.days[pos.index + 1] ?? rc.days[rc.startIndex];
  const nextOpen = pos.seconds < OPEN ? nyInstant(pos.date, OPEN) : nyInstant(next, OPEN);
  const nextClose = pos.seconds < CLOSE ? nyInstant(pos.date, CLOSE) : nyInstant(next, CLOSE);
  // Counted across wraps, so it keeps increasing when the replayed date jumps back.
  const session = pos.cycle * rc.cycleLength + pos.index - rc.startIndex;
  const words = {
    open: "the market is open",
    premarket: "pre-market trading",
    postmarket: "after-hours trading",
    closed: "the market is closed",
  } as const;
  return {
    state: pos.state,
    date: pos.date,
    session,
    nextCloseSession: pos.seconds < CLOSE ? session : session + 1,
    nextOpen: iso(nextOpen),
    nextClose: iso(nextClose),
    description: `Replay of ${pos.date} at ${hhmm(pos.seconds)} New York: ${words[pos.state]}` +
      " (simulated session inside the real day)",
    source: "replay",
    timestamp: iso(nyInstant(pos.date, pos.seconds)),
    replayDate: pos.date,
  };
}
