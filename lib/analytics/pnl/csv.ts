/**
 * The CSV export of a P&L report: one row per market day of the period (the base day first),
 * with the day's closing equity, the cash that moved, the day's and the cumulative
 * time-weighted return and the S&P 500 alongside. Returns are fractions (0.0123 = 1.23 %). The
 * base row has no daily return, and its S&P 500 value is the one the comparison starts from.
 *
 * @module
 */
import type { PnlAnalytics } from "../../shared/pnl.ts";

export const CSV_COLUMNS = [
  "market_date",
  "last_valuation_utc",
  "equity_usd",
  "cash_flow_usd",
  "daily_return",
  "cumulative_twr",
  "sp500_close",
  "sp500_cumulative",
  "prices",
] as const;

const num = (x: number | null, dp: number) => (x === null ? "" : x.toFixed(dp));

export function analyticsCsv(report: PnlAnalytics): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const d of report.daily) {
    lines.push([
      d.date,
      d.time,
      num(d.equity, 2),
      num(d.flow, 2),
      num(d.ret, 8),
      num(d.cumulative, 8),
      num(d.benchmarkClose, 2),
      num(d.benchmarkCumulative, 8),
      report.prices,
    ].join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
