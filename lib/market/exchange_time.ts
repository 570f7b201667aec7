/**
 * Exchange wall-clock arithmetic in America/New_York, shared by the replay and the Tradier
 * client. It goes through `Intl`, so daylight saving follows the platform's time-zone database
 * instead of hand-written rules.
 *
 * @module
 */

export const EXCHANGE_TIME_ZONE = "America/New_York";
export const DAY_SECONDS = 86_400;

const parts = new Intl.DateTimeFormat("en-US", {
  timeZone: EXCHANGE_TIME_ZONE,
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

/** Milliseconds of `YYYY-MM-DD` at UTC midnight: a time-zone-free day number × 86 400 000. */
export function dateMs(date: string): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
}

/** `YYYY-MM-DD` of a UTC-midnight millisecond value (the inverse of `dateMs`). */
export function msDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Calendar days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dateMs(b) - dateMs(a)) / 86_400_000);
}

/** `date` shifted by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return msDate(dateMs(date) + days * 86_400_000);
}

/** Day of the week of `YYYY-MM-DD`: 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(dateMs(date)).getUTCDay();
}

const offsets = new Map<string, number>();

/**
 * UTC offset of New York (local minus UTC, in ms) at noon of `date`. Clocks change at 2 a.m.,
 * so every exchange hour (4:00–20:00) of a day shares its noon offset; memoized per date.
 */
function offsetAtNoon(date: string): number {
  let off = offsets.get(date);
  if (off === undefined) {
    const guess = dateMs(date) + 12 * 3_600_000 + 5 * 3_600_000;
    const local = nyTime(guess);
    off = dateMs(local.date) + Math.floor(local.seconds) * 1000 - guess;
    if (offsets.size > 20_000) offsets.clear();
    offsets.set(date, off);
  }
  return off;
}

/** The instant (epoch ms) of New York wall-clock `date` + `seconds`, for exchange hours. */
export function nyInstant(date: string, seconds: number): number {
  return dateMs(date) + seconds * 1000 - offsetAtNoon(date);
}

/** "HH:MM" of seconds since midnight. */
export function hhmm(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}
