/**
 * What the P&L dashboard shows, from a `PnlAnalytics` answer: each metric as text with its tone
 * and its formula (the card's tooltip), the two chart lines (the account's time-weighted return
 * and the S&P 500 over the same market days, in percent), and the API addresses.
 *
 * @module
 */
import type { Metric, MetricKey, PnlAnalytics, PnlPeriod } from "../../shared/pnl.ts";
import { finite, formatSignedPercent, formatSignedUsd } from "../../shared/money.ts";
import { formatFixed, formatFractionPercent, MISSING } from "../../shared/format.ts";

/** The cards, in the order they are shown. */
export const CARD_KEYS: readonly MetricKey[] = [
  "twr",
  "pnl",
  "benchmarkReturn",
  "excessReturn",
  "mwr",
  "sharpe",
  "sortino",
  "maxDrawdown",
  "winRate",
  "avgWin",
  "avgLoss",
  "roundTrips",
];

export function analyticsUrl(period: PnlPeriod): string {
  return `/api/analytics?period=${encodeURIComponent(period)}`;
}

export function csvUrl(period: PnlPeriod): string {
  return `/api/analytics/export.csv?period=${encodeURIComponent(period)}`;
}

/** The metric's value as the card shows it, with its unit. */
export function metricText(key: MetricKey, m: Metric): string {
  if (!finite(m.value)) return MISSING;
  switch (key) {
    case "winRate":
      return formatFractionPercent(m.value, 1);
    case "maxDrawdown":
      // A fall: shown with its minus sign, though the figure is its depth.
      return m.value === 0 ? "0.00 %" : formatSignedPercent(-m.value);
    case "sharpe":
    case "sortino":
      return formatFixed(m.value, 2);
    case "roundTrips":
      return String(m.value);
    default:
      return m.unit === "USD" ? formatSignedUsd(m.value) : formatSignedPercent(m.value);
  }
}

/** Green for a gain, red for a loss, nothing for a count, a rate or a missing value. */
export function metricTone(key: MetricKey, m: Metric): "gain" | "loss" | "" {
  if (!finite(m.value) || m.value === 0) return "";
  if (key === "maxDrawdown") return "loss";
  if (key === "roundTrips" || key === "winRate") return "";
  return m.value > 0 ? "gain" : "loss";
}

/** The tooltip: the formula, then why there is no value when there is none. */
export function metricTitle(m: Metric): string {
  return m.reason ? `${m.formula}. No value: ${m.reason}.` : m.formula;
}

export interface LinePoint {
  /** UTC seconds, as lightweight-charts wants them. */
  time: number;
  /** Percent. */
  value: number;
}

/**
 * One point per second at most, ascending (the chart refuses repeats): the last of a second
 * wins, since it is the later valuation.
 */
function bySecond(points: { ms: number; value: number }[]): LinePoint[] {
  const out: LinePoint[] = [];
  for (const p of [...points].sort((a, b) => a.ms - b.ms)) {
    const time = Math.floor(p.ms / 1000);
    if (out.length && out[out.length - 1].time === time) out[out.length - 1].value = p.value;
    else out.push({ time, value: p.value });
  }
  return out;
}

const pct = (fraction: number) => Math.round(fraction * 1e6) / 1e4;

/** The account's TWR along its valuations, and the S&P 500 at each market day's close. */
export function chartLines(r: PnlAnalytics): {
  account: LinePoint[];
  benchmark: LinePoint[];
  /** Market date of each chart time, for the axis and the crosshair. */
  dates: Map<number, string>;
} {
  const account = bySecond(r.curve.map((p) => ({
    ms: Date.parse(p.time),
    value: pct(p.cumulative),
  })));
  const benchmark = bySecond(
    r.daily.flatMap((d) =>
      d.benchmarkCumulative === null
        ? []
        : [{ ms: Date.parse(d.time), value: pct(d.benchmarkCumulative) }]
    ),
  );
  const dates = new Map<number, string>();
  for (const p of r.curve) dates.set(Math.floor(Date.parse(p.time) / 1000), p.date);
  for (const d of r.daily) dates.set(Math.floor(Date.parse(d.time) / 1000), d.date);
  return { account, benchmark, dates };
}

/** The market date nearest at or before `time` (chart seconds), for the axis labels. */
export function dateAt(dates: Map<number, string>, time: number): string | null {
  let best: number | null = null;
  for (const t of dates.keys()) if (t <= time && (best === null || t > best)) best = t;
  return best === null ? null : dates.get(best)!;
}
