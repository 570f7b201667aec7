/**
 * The price chart's interval buttons, as bar queries, and how a live quote moves the last bar.
 * Dates are calendar dates of the market's "today" (for replay: the replayed day), never the
 * browser's clock, so a replay chart ends on the replayed day.
 */
import type { Bar, BarInterval, Quote } from "../market/types.ts";

export const RANGES = ["1D", "1M", "6M", "1Y", "5Y"] as const;
export type ChartRange = typeof RANGES[number];

export interface RangeQuery {
  interval: BarInterval;
  start: string;
  end: string;
}

/** Intraday bars on the 1D chart are this many minutes wide. */
export const INTRADAY_MINUTES = 5;

function shiftDate(date: string, { months = 0, years = 0 }: { months?: number; years?: number }) {
  const [y, m, d] = date.split("-").map(Number);
  // Day 0 of the following month is the last day of this one: clamps 31 Mar − 1 month to 29 Feb.
  const target = new Date(Date.UTC(y - years, m - 1 - months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0));
  target.setUTCDate(Math.min(d, last.getUTCDate()));
  return target.toISOString().slice(0, 10);
}

/** The bars to ask for when `range` is picked and the market's date is `today` (`YYYY-MM-DD`). */
export function rangeQuery(range: ChartRange, today: string): RangeQuery {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new RangeError(`not a date: ${today}`);
  switch (range) {
    case "1D":
      return { interval: "5min", start: today, end: today };
    case "1M":
      return { interval: "daily", start: shiftDate(today, { months: 1 }), end: today };
    case "6M":
      return { interval: "daily", start: shiftDate(today, { months: 6 }), end: today };
    case "1Y":
      return { interval: "daily", start: shiftDate(today, { years: 1 }), end: today };
    case "5Y":
      return { interval: "weekly", start: shiftDate(today, { years: 5 }), end: today };
  }
}

/** Query string for `/api/market/bars/:symbol`. */
export function barsSearch(q: RangeQuery): string {
  return new URLSearchParams({ interval: q.interval, start: q.start, end: q.end }).toString();
}

/** Start of the `minutes`-wide bucket holding `iso`, as an ISO instant. */
export function bucketStart(iso: string, minutes: number): string {
  const ms = Date.parse(iso);
  const width = minutes * 60_000;
  return new Date(Math.floor(ms / width) * width).toISOString();
}

/**
 * The intraday bars after `quote`: its price updates the bar its timestamp falls in, or opens a
 * new one. `dayVolume` is the cumulative volume the previous quote reported, so the bar gains only
 * the shares traded since. Returns the same array when the quote adds nothing (older than the last
 * bar, or no price), so callers can skip a redraw.
 */
export function applyQuote(
  bars: readonly Bar[],
  quote: Pick<Quote, "last" | "volume" | "timestamp">,
  dayVolume: number | null,
  minutes = INTRADAY_MINUTES,
): readonly Bar[] {
  const price = quote.last;
  if (price === null || !Number.isFinite(price) || Number.isNaN(Date.parse(quote.timestamp))) {
    return bars;
  }
  const traded = quote.volume !== null && dayVolume !== null
    ? Math.max(0, quote.volume - dayVolume)
    : 0;
  const time = bucketStart(quote.timestamp, minutes);
  const last = bars.at(-1);
  if (last && Date.parse(last.time) > Date.parse(time)) return bars;
  if (last && Date.parse(last.time) === Date.parse(time)) {
    const updated: Bar = {
      ...last,
      high: Math.max(last.high, price),
      low: Math.min(last.low, price),
      close: price,
      volume: last.volume + traded,
    };
    return [...bars.slice(0, -1), updated];
  }
  return [...bars, { time, open: price, high: price, low: price, close: price, volume: traded }];
}

const nyParts = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

/** New York wall-clock time of `ms`, written as if it were UTC (epoch ms). */
function nyWallClock(ms: number): number {
  const p = Object.fromEntries(nyParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
}

/**
 * The chart's time for a bar: the date string for daily and longer bars; for intraday bars, epoch
 * seconds shifted to New York wall-clock time, because the chart labels times in UTC and a trader
 * reads the session as 9:30–16:00 whatever the browser's zone.
 */
export function chartTime(bar: Pick<Bar, "time">): string | number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(bar.time)) return bar.time;
  return Math.floor(nyWallClock(Date.parse(bar.time)) / 1000);
}
