/**
 * Indicators over a series of closes (moving averages, RSI, MACD). Pure functions: the result
 * has one entry per input, `null` until the window is full, so it lines up with its bars.
 */

function assertPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`period must be a positive integer, got ${period}`);
  }
}

/**
 * Simple moving average: the mean of the last `period` values.
 * @example sma([1, 2, 3, 4], 2) // [null, 1.5, 2.5, 3.5]
 */
export function sma(values: readonly number[], period: number): (number | null)[] {
  assertPeriod(period);
  const out: (number | null)[] = new Array(values.length).fill(null);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= period) sum -= values[i - period];
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

/**
 * Exponential moving average with smoothing 2/(period+1), seeded with the simple average of the
 * first `period` values (the usual charting convention, so it starts where the SMA does).
 * @example ema([1, 2, 3, 4], 2) // [null, 1.5, 2.5, 3.5]
 */
export function ema(values: readonly number[], period: number): (number | null)[] {
  assertPeriod(period);
  const out: (number | null)[] = new Array(values.length).fill(null);
  if (values.length < period) return out;
  const k = 2 / (period + 1);
  let prev = 0;
  for (let i = 0; i < period; i++) prev += values[i];
  prev /= period;
  out[period - 1] = prev;
  for (let i = period; i < values.length; i++) {
    prev = values[i] * k + prev * (1 - k);
    out[i] = prev;
  }
  return out;
}

/**
 * Relative strength index with Wilder's smoothing: the first average gain and loss are the
 * means of the first `period` changes, then `avg = (prev × (period − 1) + current) / period`.
 * 100 when there were no losses, 0 with no gains.
 */
export function rsi(values: readonly number[], period = 14): (number | null)[] {
  assertPeriod(period);
  const out: (number | null)[] = new Array(values.length).fill(null);
  if (values.length <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = values[i] - values[i - 1];
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= period;
  loss /= period;
  const value = () => (loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss));
  out[period] = value();
  for (let i = period + 1; i < values.length; i++) {
    const d = values[i] - values[i - 1];
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-d, 0)) / period;
    out[i] = value();
  }
  return out;
}

/**
 * MACD: the fast EMA minus the slow EMA (the line), its EMA (the signal) and their difference
 * (the histogram). Defaults 12, 26, 9.
 */
export function macd(
  values: readonly number[],
  fast = 12,
  slow = 26,
  signal = 9,
): { line: (number | null)[]; signal: (number | null)[]; histogram: (number | null)[] } {
  const f = ema(values, fast);
  const s = ema(values, slow);
  const line = values.map((_, i) => (f[i] === null || s[i] === null ? null : f[i]! - s[i]!));
  const start = line.findIndex((v) => v !== null);
  const sig: (number | null)[] = new Array(values.length).fill(null);
  if (start >= 0) {
    const tail = ema(line.slice(start) as number[], signal);
    tail.forEach((v, i) => (sig[start + i] = v));
  }
  const histogram = line.map((v, i) => (v === null || sig[i] === null ? null : v - sig[i]!));
  return { line, signal: sig, histogram };
}
