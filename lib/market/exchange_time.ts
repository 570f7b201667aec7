/**
 * Exchange wall-clock arithmetic in America/New_York, shared by the replay and the Tradier
 * client: calendar-date arithmetic and instants of exchange hours. The New York clock itself
 * (`nyTime`, the UTC offset, midnight) lives in lib/shared/ny_time.ts, which the browser shares.
 *
 * @module
 */

import { NY_TIME_ZONE, nyOffsetMs } from "../shared/ny_time.ts";

export { nyTime, type ZonedTime } from "../shared/ny_time.ts";
export const EXCHANGE_TIME_ZONE = NY_TIME_ZONE;
export const DAY_SECONDS = 86_400;

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
    off = nyOffsetMs(dateMs(date) + 12 * 3_600_000 + 5 * 3_600_000);
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
