/**
 * Risk-adjusted return and drawdown of a series of daily returns. Sharpe and Sortino are
 * annualised with √252 trading days and a risk-free rate of 0 (no rate is assumed for a paper
 * account); a series that cannot define them (too short, no spread, no losing day) gives null
 * with the reason, never NaN or Infinity.
 *
 * @module
 */

export const TRADING_DAYS = 252;

/** A value, or null and why not. */
export type Maybe = { value: number; reason?: undefined } | { value: null; reason: string };

// Below this a standard deviation is floating-point noise around a constant series.
const EPS = 1e-12;

export function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n − 1). */
export function stdev(xs: number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Sharpe ratio: mean(r) / stdev(r) × √252, risk-free 0. */
export function sharpe(daily: number[]): Maybe {
  if (daily.length < 2) return { value: null, reason: "needs at least two daily returns" };
  const sd = stdev(daily);
  if (!(sd > EPS)) return { value: null, reason: "the daily returns do not vary" };
  return { value: (mean(daily) / sd) * Math.sqrt(TRADING_DAYS) };
}

/** Sortino ratio: mean(r) / √(Σ min(r, 0)² / n) × √252, target 0. */
export function sortino(daily: number[]): Maybe {
  if (daily.length < 2) return { value: null, reason: "needs at least two daily returns" };
  let down = 0;
  for (const r of daily) if (r < 0) down += r * r;
  const dd = Math.sqrt(down / daily.length);
  if (!(dd > EPS)) return { value: null, reason: "no losing day to measure downside with" };
  return { value: (mean(daily) / dd) * Math.sqrt(TRADING_DAYS) };
}

/** The deepest fall of a wealth index from a running peak. */
export interface Drawdown {
  /** 1 − trough / peak, ≥ 0 (0: never below a previous peak). */
  depth: number;
  /** Indexes into the series (null when depth is 0). */
  peak: number | null;
  trough: number | null;
  /** First index back at or above the peak after the trough; null if not (yet) recovered. */
  recovery: number | null;
}

/** max over t of 1 − Wₜ / max_{s ≤ t} Wₛ, for a positive wealth index W. */
export function maxDrawdown(wealth: number[]): Drawdown | null {
  if (wealth.length < 2) return null;
  let peakAt = 0;
  let best: Drawdown = { depth: 0, peak: null, trough: null, recovery: null };
  for (let i = 1; i < wealth.length; i++) {
    if (wealth[i] > wealth[peakAt]) {
      peakAt = i;
      continue;
    }
    const depth = 1 - wealth[i] / wealth[peakAt];
    if (depth > best.depth) best = { depth, peak: peakAt, trough: i, recovery: null };
  }
  if (best.peak !== null) {
    for (let i = best.trough! + 1; i < wealth.length; i++) {
      if (wealth[i] >= wealth[best.peak]) {
        best.recovery = i;
        break;
      }
    }
  }
  return best;
}
