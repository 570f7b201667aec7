/**
 * Volatility measures over daily bars: Wilder's average true range and realized volatility.
 * Like the moving averages, each result lines up with its input (`null` until the window is
 * full).
 */

export interface HighLowClose {
  high: number;
  low: number;
  close: number;
}

/** Trading days in a year, for annualizing daily figures. */
export const TRADING_DAYS = 252;

/**
 * True range: the bar's high-low range widened to the previous close (a gap counts).
 * The first bar, with no previous close, is its own range.
 */
export function trueRange(bars: readonly HighLowClose[]): number[] {
  return bars.map((b, i) =>
    i === 0 ? b.high - b.low : Math.max(
      b.high - b.low,
      Math.abs(b.high - bars[i - 1].close),
      Math.abs(b.low - bars[i - 1].close),
    )
  );
}

/**
 * Average true range, Wilder's smoothing: the first value is the mean of the first `period`
 * true ranges, then `atr = (prev × (period − 1) + tr) / period`.
 */
export function atr(bars: readonly HighLowClose[], period = 14): (number | null)[] {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`bad period ${period}`);
  const tr = trueRange(bars);
  const out: (number | null)[] = new Array(bars.length).fill(null);
  if (bars.length < period) return out;
  let prev = 0;
  for (let i = 0; i < period; i++) prev += tr[i];
  prev /= period;
  out[period - 1] = prev;
  for (let i = period; i < bars.length; i++) {
    prev = (prev * (period - 1) + tr[i]) / period;
    out[i] = prev;
  }
  return out;
}

/**
 * Annualized realized volatility of the last `period` daily log returns (sample standard
 * deviation × √252), as a fraction (0.25 = 25 %); null with fewer than `period + 1` closes.
 */
export function realizedVolatility(closes: readonly number[], period = 20): number | null {
  if (!Number.isInteger(period) || period < 2) throw new RangeError(`bad period ${period}`);
  if (closes.length < period + 1) return null;
  const returns: number[] = [];
  for (let i = closes.length - period; i < closes.length; i++) {
    returns.push(Math.log(closes[i] / closes[i - 1]));
  }
  const mean = returns.reduce((s, r) => s + r, 0) / period;
  const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (period - 1);
  return Math.sqrt(variance * TRADING_DAYS);
}
