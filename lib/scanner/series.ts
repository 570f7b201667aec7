/**
 * What a scan reads: one symbol's daily bars in columns, and its indicators over the whole
 * series, computed once and kept with the series (a warm scan only looks values up).
 *
 * Every indicator here is causal: its value on row t depends on rows ≤ t only, so computing it
 * over the full series and reading row t gives the same number as computing it over the bars
 * through t. lib/scanner/engine_test.ts checks this against truncated series on random days.
 *
 * @module
 */
import { ema, rsi, sma } from "../analytics/indicators.ts";
import { atr } from "../analytics/volatility.ts";
import { INDICATOR_INFO, type IndicatorName } from "../shared/scan.ts";

export interface ScanSeries {
  symbol: string;
  name: string;
  sector: string | null;
  /** Trading days ascending, `YYYY-MM-DD`. */
  dates: readonly string[];
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
}

/** Indicator columns (NaN where undefined), per series object, built on first use. */
const columns = new WeakMap<ScanSeries, Map<string, Float64Array>>();

function fromNullable(values: (number | null)[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] ?? NaN;
  return out;
}

function compute(s: ScanSeries, name: IndicatorName, period: number): Float64Array {
  const n = s.dates.length;
  const close = Array.from(s.close);
  const out = new Float64Array(n).fill(NaN);
  switch (name) {
    case "sma":
      return fromNullable(sma(close, period));
    case "ema":
      return fromNullable(ema(close, period));
    case "rsi":
      return fromNullable(rsi(close, period));
    case "atr":
    case "atr_pct": {
      const bars = close.map((c, i) => ({ high: s.high[i], low: s.low[i], close: c }));
      const a = fromNullable(atr(bars, period));
      if (name === "atr_pct") { for (let i = 0; i < n; i++) a[i] = (a[i] / close[i]) * 100; }
      return a;
    }
    case "return":
      for (let i = period; i < n; i++) out[i] = (close[i] / close[i - period] - 1) * 100;
      return out;
    case "volume_ratio": {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (i >= period) out[i] = sum > 0 ? s.volume[i] / (sum / period) : NaN;
        sum += s.volume[i];
        if (i >= period) sum -= s.volume[i - period];
      }
      return out;
    }
    case "highest":
    case "lowest": {
      const src = name === "highest" ? s.high : s.low;
      const better = name === "highest"
        ? (a: number, b: number) => a >= b
        : (a: number, b: number) => a <= b;
      // Monotonic deque of row numbers over the window [i - period, i - 1].
      const dq = new Int32Array(n);
      let head = 0;
      let tail = 0;
      for (let i = 0; i < n; i++) {
        if (i >= period) {
          while (dq[head] < i - period) head++;
          out[i] = src[dq[head]];
        }
        while (tail > head && better(src[i], src[dq[tail - 1]])) tail--;
        dq[tail++] = i;
      }
      return out;
    }
    case "gap":
      for (let i = 1; i < n; i++) out[i] = (s.open[i] / close[i - 1] - 1) * 100;
      return out;
    case "close":
    case "open":
    case "high":
    case "low":
    case "volume":
      return Float64Array.from(s[name]);
  }
}

/** The column of `name(period)` for the whole series (cached with the series). */
export function column(s: ScanSeries, name: IndicatorName, period?: number): Float64Array {
  const p = period ?? INDICATOR_INFO[name].period ?? 0;
  let byKey = columns.get(s);
  if (!byKey) columns.set(s, byKey = new Map());
  const key = `${name}:${p}`;
  let col = byKey.get(key);
  if (!col) byKey.set(key, col = compute(s, name, p));
  return col;
}

/** The mean dollar volume (close × volume) of the 20 days through `row`; NaN before that. */
export function averageDollarVolume(s: ScanSeries, row: number, days = 20): number {
  if (row + 1 < days) return NaN;
  let sum = 0;
  for (let i = row - days + 1; i <= row; i++) sum += s.close[i] * s.volume[i];
  return sum / days;
}

/** The row of `date` (or of the last day before it), or -1 when the series starts later. */
export function rowOnOrBefore(s: ScanSeries, date: string): number {
  let lo = 0;
  let hi = s.dates.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s.dates[mid] <= date) (found = mid, lo = mid + 1);
    else hi = mid - 1;
  }
  return found;
}

/** The series cut after `row`: what a scan on that day may see. */
export function truncate(s: ScanSeries, row: number): ScanSeries {
  const cut = <T extends ArrayLike<number>>(a: T) => Array.from(a).slice(0, row + 1);
  return {
    ...s,
    dates: s.dates.slice(0, row + 1),
    open: cut(s.open),
    high: cut(s.high),
    low: cut(s.low),
    close: cut(s.close),
    volume: cut(s.volume),
  };
}
