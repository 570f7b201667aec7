/**
 * The P&L analytics answer (`GET /api/analytics`), shared by the server that builds it and the
 * dashboard island that shows it.
 *
 * @module
 */

export const PNL_PERIODS = ["1D", "1W", "1M", "3M", "YTD", "1Y", "ALL"] as const;
export type PnlPeriod = typeof PNL_PERIODS[number];

/** Fractions are returns (0.0123 = +1.23 %); ratios are plain numbers. */
export type MetricUnit = "fraction" | "USD" | "ratio" | "count";

/** One figure, the formula it comes from, and why it is missing when it is. */
export interface Metric {
  label: string;
  value: number | null;
  unit: MetricUnit;
  formula: string;
  reason?: string;
}

export type MetricKey =
  | "twr"
  | "mwr"
  | "pnl"
  | "sharpe"
  | "sortino"
  | "maxDrawdown"
  | "winRate"
  | "avgWin"
  | "avgLoss"
  | "roundTrips"
  | "benchmarkReturn"
  | "excessReturn";

/** A market day (the replayed day in replay) and how the account did on it. */
export interface DailyRow {
  date: string;
  session: number;
  /** Instant of the day's last valuation (ISO). */
  time: string;
  equity: number;
  /** Net money in (+) or out (−) that day, USD. */
  flow: number;
  /** The day's time-weighted return; null for the base day the period is measured from. */
  ret: number | null;
  /** Time-weighted return from the base to the end of this day. */
  cumulative: number;
  /** The S&P 500's close that day; on the base row, the value the comparison starts from. */
  benchmarkClose: number | null;
  benchmarkCumulative: number | null;
}

export interface CurvePoint {
  time: string;
  date: string;
  equity: number;
  /** Time-weighted return from the period's base to this valuation. */
  cumulative: number;
}

export interface MonthRow {
  month: string;
  ret: number;
}

export interface SymbolRow {
  symbol: string;
  /** FIFO P&L realized by closes inside the period, USD. */
  realized: number;
  /** Open signed shares now. */
  qty: number;
  /** Market value now minus the open FIFO lots' cost; null without a price. */
  unrealized: number | null;
  marketValue: number | null;
  roundTrips: number;
}

export interface PnlAnalytics {
  period: PnlPeriod;
  /** The valuation the period is measured from, and the last one (now). */
  from: { time: string; date: string; equity: number } | null;
  to: { time: string; date: string; equity: number } | null;
  metrics: Record<MetricKey, Metric>;
  drawdown: { peakDate: string | null; troughDate: string | null; recoveryDate: string | null };
  curve: CurvePoint[];
  daily: DailyRow[];
  monthly: MonthRow[];
  symbols: SymbolRow[];
  benchmark: { symbol: string; name: string; source: string };
  cashFlows: { time: string; kind: string; amount: number }[];
  /** How days, periods and rates are defined here. */
  notes: string[];
  riskFreeRate: 0;
  source: string;
  prices: string;
}
