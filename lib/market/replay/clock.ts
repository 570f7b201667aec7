/**
 * The replay clock: maps the real present onto a moment of a historical trading day.
 *
 * Time is counted on "weekday time": the seconds of New York wall-clock time elapsed on real
 * weekdays since local midnight of the epoch date (weekends add nothing, so on a Saturday the
 * clock rests at the very end of Friday's replay day). That count, multiplied by the speed, is
 * the virtual time: its whole days index the historical trading days from the start date, its
 * remainder is the virtual New York time of day. At speed 1 a real weekday is one historical
 * trading day and the session runs with the real clock; at speed N both go N times faster
 * (N historical days per real weekday). Real holidays are not skipped: the replayed day was
 * a trading day, so the replay trades. After the last day of data the clock wraps to the start
 * date (a cycle); `cycle` says how many times it has. With `weekends` every real day counts, so
 * the replay also trades on real Saturdays and Sundays (demos, and tests that need ticks).
 *
 * @module
 */
import type { MarketState } from "../types.ts";
import { DAY_SECONDS, daysBetween, nyTime, weekday } from "../exchange_time.ts";

export const PREMARKET_START = 4 * 3600;
export const OPEN = 9 * 3600 + 30 * 60;
export const CLOSE = 16 * 3600;
export const POSTMARKET_END = 20 * 3600;
/** Seconds in the regular session (9:30–16:00). */
export const SESSION_SECONDS = CLOSE - OPEN;

/** Market state at `seconds` after New York midnight of a trading day. */
export function sessionState(seconds: number): MarketState {
  if (seconds < PREMARKET_START || seconds >= POSTMARKET_END) return "closed";
  if (seconds < OPEN) return "premarket";
  if (seconds < CLOSE) return "open";
  return "postmarket";
}

/** Weekdays (Mon–Fri) in `[from, to)`; negative when `to` is before `from`. */
export function weekdaysBetween(from: string, to: string): number {
  const days = daysBetween(from, to);
  if (days < 0) return -weekdaysBetween(to, from);
  const weeks = Math.floor(days / 7);
  let count = weeks * 5;
  const startDow = weekday(from);
  for (let i = 0; i < days - weeks * 7; i++) {
    const dow = (startDow + i) % 7;
    if (dow !== 0 && dow !== 6) count++;
  }
  return count;
}

export interface ReplayClockOptions {
  /** Every historical trading day, ascending. */
  days: string[];
  /** First replayed day: the first trading day on or after this date. */
  start: string;
  /** Historical trading days per real weekday (> 0). */
  speed: number;
  /** Real New York date whose weekday time is zero (day 0 = first weekday on/after it). */
  epoch: string;
  /** Count real weekends too: the replay advances every real day. Default false. */
  weekends?: boolean;
}

/** Where the replay stands at an instant. */
export interface ReplayPosition {
  /** Index into `days`. */
  index: number;
  /** The historical trading day replayed. */
  date: string;
  /** Virtual New York time of day, seconds since midnight. */
  seconds: number;
  state: MarketState;
  /** Completed wraps through the data (0 in the first pass). */
  cycle: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Maps real instants to replay positions; pure apart from its constructor's checks. */
export class ReplayClock {
  readonly days: string[];
  readonly startIndex: number;
  readonly speed: number;
  readonly epoch: string;
  readonly weekends: boolean;

  constructor(o: ReplayClockOptions) {
    if (!DATE.test(o.start)) throw new RangeError(`replay start ${o.start} is not YYYY-MM-DD`);
    if (!DATE.test(o.epoch)) throw new RangeError(`replay epoch ${o.epoch} is not YYYY-MM-DD`);
    if (!(o.speed > 0) || !Number.isFinite(o.speed)) {
      throw new RangeError(`replay speed must be a positive number, not ${o.speed}`);
    }
    const startIndex = o.days.findIndex((d) => d >= o.start);
    if (startIndex < 0) {
      throw new RangeError(
        `replay start ${o.start} is after the last day of data (${o.days.at(-1)})`,
      );
    }
    this.days = o.days;
    this.startIndex = startIndex;
    this.speed = o.speed;
    this.epoch = o.epoch;
    this.weekends = o.weekends ?? false;
  }

  /** Trading days in one pass from the start day to the last day of data. */
  get cycleLength(): number {
    return this.days.length - this.startIndex;
  }

  /** The replay position at real instant `nowMs`. */
  at(nowMs: number): ReplayPosition {
    const local = nyTime(nowMs);
    const dow = weekday(local.date);
    const isWeekday = dow !== 0 && dow !== 6;
    // On weekends step back a millisecond, so the clock rests at the end of Friday's day.
    const elapsed = this.weekends
      ? daysBetween(this.epoch, local.date) * DAY_SECONDS + local.seconds
      : weekdaysBetween(this.epoch, local.date) * DAY_SECONDS +
        (isWeekday ? local.seconds : -0.001);
    const virtual = elapsed * this.speed;
    const dayOffset = Math.floor(virtual / DAY_SECONDS);
    const seconds = virtual - dayOffset * DAY_SECONDS;
    const n = this.cycleLength;
    const cycle = Math.floor(dayOffset / n);
    const index = this.startIndex + (dayOffset - cycle * n);
    return { index, date: this.days[index], seconds, state: sessionState(seconds), cycle };
  }
}
