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

/** The New York local date and time of day of `ms` (epoch milliseconds). */
export function nyTime(ms: number): ZonedTime {
  const p: Record<string, string> = {};
  for (const { type, value } of parts.formatToParts(new Date(ms))) p[type] = value;
  const seconds = Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second) +
    (((ms % 1000) + 1000) % 1000) / 1000;
  return { date: `${p.year}-${p.month}-${p.day}`, seconds };
}

/** Milliseconds New York's wall clock is ahead of UTC at `ms` (−5 h in winter, −4 h in summer). */
export function nyOffsetMs(ms: number): number {
  const local = nyTime(ms);
  const [y, m, d] = local.date.split("-").map(Number);
  return Date.UTC(y, m - 1, d) + Math.floor(local.seconds) * 1000 - Math.floor(ms / 1000) * 1000;
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
