/**
 * How the screens write instants in the exchange's time zone (New York): a time of day and the
 * calendar date. Apart from lib/shared/format.ts so the pages that show no such time (the
 * dashboard) do not load its `Intl` formatters.
 */
import { MISSING } from "./format.ts";

/** Exchange-local time of an instant: `14:35` in New York. */
export function formatMarketTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return MISSING;
  return d.toLocaleTimeString("en-US", {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    timeZone: "America/New_York",
  });
}

const nyDate = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  timeZone: "America/New_York",
});

/** The exchange's calendar date (`YYYY-MM-DD`, New York) of an instant, or null if unreadable. */
export function marketDate(iso: string): string | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const parts = Object.fromEntries(nyDate.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
