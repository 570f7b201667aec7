/**
 * Which exchange session an instant belongs to, for whatever market data the configuration
 * picks: the account's history (equity snapshots, fills) is stamped with real instants, and
 * analytics compare it with the market day by day.
 *
 * - Replay: the instant maps through the same `ReplayClock` the replay prices come from, so a
 *   snapshot taken while the replay showed 2020-03-16 belongs to 2020-03-16. `session` counts
 *   across wraps (as `MarketClock.session` does), so it keeps rising when the date jumps back.
 * - Tradier: the New York date of the instant; a weekend instant belongs to the Friday before.
 *   `session` counts weekdays, so market holidays are counted as sessions without trading.
 *
 * @module
 */
import type { Config } from "../config.ts";
import { ReplayClock } from "./replay/clock.ts";
import { History } from "./replay/history.ts";
import { DEFAULT_REPLAY_EPOCH, DEFAULT_REPLAY_START } from "./replay/mod.ts";
import { addDays, nyTime, weekday } from "./exchange_time.ts";
import { weekdaysBetween } from "./replay/clock.ts";

/** An exchange session: its monotonic number and its date (for replay, the replayed day). */
export interface MarketDay {
  session: number;
  date: string;
}

export type DayOf = (ms: number) => MarketDay;

/** Live markets: the New York date, weekends folded onto the Friday before. */
export function liveDayOf(ms: number): MarketDay {
  let date = nyTime(ms).date;
  const dow = weekday(date);
  if (dow === 6) date = addDays(date, -1);
  else if (dow === 0) date = addDays(date, -2);
  return { session: weekdaysBetween("1970-01-05", date), date };
}

/** Replay: where `clock` stood at the instant. */
export function replayDayOf(clock: ReplayClock): DayOf {
  return (ms) => {
    const p = clock.at(ms);
    return { session: p.cycle * clock.cycleLength + p.index - clock.startIndex, date: p.date };
  };
}

const replayClocks = new Map<string, Promise<ReplayClock>>();

/** The `DayOf` for the market data `config` picks (the replay's clock is built once). */
export async function marketDays(config: Config): Promise<DayOf> {
  if (config.TRADIER_TOKEN) return liveDayOf;
  const start = config.REPLAY_START ?? DEFAULT_REPLAY_START;
  const epoch = config.REPLAY_EPOCH ?? DEFAULT_REPLAY_EPOCH;
  const weekends = config.REPLAY_WEEKENDS ?? false;
  const key = [start, config.REPLAY_SPEED, epoch, weekends].join(":");
  let clock = replayClocks.get(key);
  if (!clock) {
    clock = new History().tradingDays().then((days) =>
      new ReplayClock({ days, start, speed: config.REPLAY_SPEED, epoch, weekends })
    );
    clock.catch(() => replayClocks.delete(key));
    replayClocks.set(key, clock);
  }
  return replayDayOf(await clock);
}
