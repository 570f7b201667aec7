/**
 * Which part of a replayed day is visible at a replay position: nothing after the replayed
 * moment is ever returned, and intraday reads reach a few trading days back at most.
 *
 * @module
 */
import { nyInstant } from "../exchange_time.ts";
import { OPEN, type ReplayPosition, SESSION_SECONDS } from "./clock.ts";
import type { DailySeries } from "./history.ts";

/** Intraday bars and time and sales reach at most this many trading days back. */
export const MAX_INTRADAY_DAYS = 5;

/** ISO-8601 instant of epoch milliseconds. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** The replayed moment as an ISO instant: the `timestamp` of every replay result. */
export function stampOf(pos: ReplayPosition): string {
  return iso(nyInstant(pos.date, Math.min(pos.seconds, 86_399)));
}

/** Session second the replay has reached: -1 before the open, the last second after it. */
export function sessionSecond(pos: ReplayPosition): number {
  if (pos.seconds < OPEN) return -1;
  return Math.min(SESSION_SECONDS - 1, Math.floor(pos.seconds - OPEN));
}

/** Session seconds of `date` visible at `pos`: all of a past day, up to now on the replay day. */
export function visibleThrough(date: string, pos: ReplayPosition): number {
  return date < pos.date ? SESSION_SECONDS - 1 : sessionSecond(pos);
}

/** Trading days of `series` in [from, to] (clipped to the replay day), the last few. */
export function intradayDays(
  series: DailySeries,
  pos: ReplayPosition,
  from: string,
  to: string,
): string[] {
  const end = to < pos.date ? to : pos.date;
  return series.dates.filter((d) => d >= from && d <= end).slice(-MAX_INTRADAY_DAYS);
}
