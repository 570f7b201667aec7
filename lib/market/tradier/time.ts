/**
 * Tradier mixes time formats (its time units differ by endpoint): epoch ms, epoch s, and naive
 * America/New_York wall times. These turn them all into ISO-8601 UTC instants.
 *
 * @module
 */
import { hhmm, nyTime } from "../exchange_time.ts";
import { nyOffsetMs } from "../../shared/ny_time.ts";

/**
 * `YYYY-MM-DD` + `HH:MM[:SS]` in New York (or `YYYY-MM-DDTHH:MM:SS`) → ISO UTC instant.
 * Returns null for text that is not such a time.
 */
export function easternToIso(date: string, time?: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(
    time === undefined ? date : `${date} ${time}`,
  );
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0));
  // Two passes settle the offset on either side of a daylight-saving change.
  let utc = wall - nyOffsetMs(wall);
  utc = wall - nyOffsetMs(utc);
  return new Date(utc).toISOString();
}

/** The New York calendar date and `HH:MM` of an instant. */
export function toEastern(ms: number): { date: string; time: string } {
  const local = nyTime(ms);
  return { date: local.date, time: hhmm(local.seconds) };
}

/** Epoch milliseconds → ISO, or null for 0/absent (Tradier's "never traded"). */
export function msToIso(ms: number | null | undefined): string | null {
  return ms ? new Date(ms).toISOString() : null;
}
