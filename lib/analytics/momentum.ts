/**
 * Momentum and risk indicators over a series of closes, lined up like lib/analytics/indicators.ts:
 * one entry per input, `null` until there is enough history.
 */
import { ema } from "./indicators.ts";

/** Wilder's RSI: average gain over average loss, smoothed with 1/period. */
export function rsi(closes: readonly number[], period = 14): (number | null)[] {
  const out: (number | null)[] = closes.map(() => null);
  if (closes.length <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = closes[i] - closes[i - 1];
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= period;
  loss /= period;
  const value = () => (loss === 0 ? 100 : 100 - 100 / (1 + gain / loss));
  out[period] = value();
  for (let i = period + 1; i < closes.length; i++) {
    const d = closes[i] - closes[i - 1];
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-d, 0)) / period;
    out[i] = value();
  }
  return out;
}

export interface Macd {
  macd: (number | null)[];
  signal: (number | null)[];
  histogram: (number | null)[];
}

/** MACD: EMA(fast) − EMA(slow), its EMA(signal), and the difference of the two. */
export function macd(closes: readonly number[], fast = 12, slow = 26, signal = 9): Macd {
  const f = ema(closes, fast);
  const s = ema(closes, slow);
  const line = closes.map((_, i) => (f[i] === null || s[i] === null ? null : f[i]! - s[i]!));
  const start = line.findIndex((v) => v !== null);
  const sig: (number | null)[] = closes.map(() => null);
  if (start >= 0) {
    const tail = ema(line.slice(start) as number[], signal);
    tail.forEach((v, i) => (sig[start + i] = v));
  }
  const histogram = line.map((v, i) => (v === null || sig[i] === null ? null : v - sig[i]!));
  return { macd: line, signal: sig, histogram };
}

/**
 * Annualised volatility: the standard deviation of the last `period` daily log returns times
 * √252 (trading days a year), as a fraction (0.25 = 25 %).
 */
export function volatility(
  closes: readonly number[],
  period = 20,
  perYear = 252,
): (number | null)[] {
  const out: (number | null)[] = closes.map(() => null);
  for (let i = period; i < closes.length; i++) {
    const r: number[] = [];
    for (let j = i - period + 1; j <= i; j++) r.push(Math.log(closes[j] / closes[j - 1]));
    const mean = r.reduce((a, b) => a + b, 0) / period;
    const v = r.reduce((a, b) => a + (b - mean) ** 2, 0) / (period - 1);
    out[i] = Math.sqrt(v * perYear);
  }
  return out;
}
