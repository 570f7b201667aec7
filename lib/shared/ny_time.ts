/**
 * New York wall-clock time, the exchange's clock, for the server and the browser alike: the
 * local date and time of an instant, New York's UTC offset, and where a New York day starts.
 * It goes through `Intl`, so daylight saving follows the platform's time-zone database instead
 * of hand-written rules.
 *
 * @module
 */

export const NY_TIME_ZONE = "America/New_York";

const parts = new Intl.DateTimeFormat("en-US", {
  timeZone: NY_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** New York wall clock of an instant: local date and seconds since local midnight. */
export interface ZonedTime {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Seconds since local midnight, with the instant's milliseconds as a fraction. */
  seconds: number;
}

/** New York's wall clock read through `Intl`: the reference the fast path below is built on. */
export function nyTimeIntl(ms: number): ZonedTime {
  const p: Record<string, string> = {};
  for (const { type, value } of parts.formatToParts(new Date(ms))) p[type] = value;
  const seconds = Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second) +
    (((ms % 1000) + 1000) % 1000) / 1000;
  return { date: `${p.year}-${p.month}-${p.day}`, seconds };
}

const HOUR_MS = 3_600_000;
/**
 * New York's UTC offset by UTC hour (epoch ms ÷ 1 h, floored). New York's clocks change at
 * 02:00 local, which is always on a whole UTC hour, so one offset holds for a whole UTC hour and
 * `Intl` (about 4 µs a call, most of an order's date work) is asked once per hour seen. Bounded:
 * a replay walking years of history starts afresh past `MAX_CACHED_HOURS`.
 */
const offsetByHour = new Map<number, number>();
const MAX_CACHED_HOURS = 4_096;

function offsetForHour(hour: number): number {
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const at = hour * HOUR_MS;
    const local = nyTimeIntl(at);
    offset = Date.UTC(
      +local.date.slice(0, 4),
      +local.date.slice(5, 7) - 1,
      +local.date.slice(8, 10),
    ) + Math.floor(local.seconds) * 1000 - at;
    if (offsetByHour.size >= MAX_CACHED_HOURS) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Years whose dates Intl writes with four digits, as `offsetForHour` reads them. */
const FAST_FROM = Date.UTC(1000, 0, 2);
const FAST_TO = Date.UTC(9999, 11, 30);

/** The New York local date and time of day of `ms` (epoch milliseconds). */
export function nyTime(ms: number): ZonedTime {
  // Outside years 1000-9999 (and for NaN, which throws there): Intl itself.
  if (!(ms >= FAST_FROM && ms <= FAST_TO)) return nyTimeIntl(ms);
  const local = ms + offsetForHour(Math.floor(ms / HOUR_MS));
  const day = Math.floor(local / 86_400_000);
  const d = new Date(day * 86_400_000);
  // Whole seconds plus the fraction, added as nyTimeIntl adds them, so the floats are the same.
  const wholeSeconds = Math.floor((local - day * 86_400_000) / 1000);
  return {
    date: `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
    seconds: wholeSeconds + (((ms % 1000) + 1000) % 1000) / 1000,
  };
}

/** Milliseconds New York's wall clock is ahead of UTC at `ms` (−5 h in winter, −4 h in summer). */
export function nyOffsetMs(ms: number): number {
  return offsetForHour(Math.floor(ms / HOUR_MS));
}

/** The instant (epoch ms) of midnight in New York at the start of `YYYY-MM-DD`. */
export function nyMidnight(date: string): number {
  const utcMidnight = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
  // New York midnight is 04:00 or 05:00 UTC and clocks change at 02:00 local (06:00/07:00
  // UTC), so the offset at 05:00 UTC is the one in force at local midnight.
  return utcMidnight - nyOffsetMs(utcMidnight + 5 * 3_600_000);
}

/** Midnight in New York of the day `at` falls on there. Throws RangeError for an invalid date. */
export function startOfNyDay(at: number | Date): Date {
  const ms = typeof at === "number" ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("startOfNyDay: invalid date");
  return new Date(nyMidnight(nyTime(ms).date));
}
