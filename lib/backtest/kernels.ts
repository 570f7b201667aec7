/**
 * Indicator kernels over typed arrays: one pass each, one output array, NaN until the window is
 * full (and before a symbol's first bar, which the panel marks NaN). A value at bar i uses bars
 * ≤ i only; the look-ahead check in bias.ts re-runs them on cut data to prove it. Kernels that
 * take `into` write their output there (a view of the run's arena, arena.ts) instead of a new
 * array, with the same values.
 *
 * Conventions match lib/analytics/indicators.ts (EMA seeded with the SMA of its first window,
 * RSI and ATR with Wilder's smoothing), so a chart and a backtest agree.
 *
 * @module
 */

/** The output, all NaN: `into` (a view from the run's arena) or a new array. */
function nans(n: number, into?: Float64Array): Float64Array {
  return (into ?? new Float64Array(n)).fill(NaN);
}

function firstFinite(x: Float64Array): number {
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) return i;
  return x.length;
}

export function sma(x: Float64Array, period: number, into?: Float64Array): Float64Array {
  const n = x.length;
  const out = into ?? new Float64Array(n);
  const f = firstFinite(x);
  // NaN before the first full window; the loop writes every bar from it on.
  out.fill(NaN, 0, Math.min(n, f + Math.max(0, Math.ceil(period - 1))));
  let sum = 0;
  if (!Number.isInteger(period) || period < 1) {
    for (let i = f; i < n; i++) {
      sum += x[i];
      if (i - f >= period) sum -= x[i - period];
      if (i - f >= period - 1) out[i] = sum / period;
    }
    return out;
  }
  // The same additions in the same order, the window's three phases as three loops: filling
  // it, its first value, then adding a bar and dropping the oldest.
  const full = Math.min(n, f + period - 1);
  let i = f;
  for (; i < full; i++) sum += x[i];
  if (i < n) {
    sum += x[i];
    out[i] = sum / period;
    i++;
  }
  for (; i < n; i++) {
    sum += x[i];
    sum -= x[i - period];
    out[i] = sum / period;
  }
  return out;
}

/**
 * Two SMAs of one input in one pass: each value is the one `sma` gives, to the last bit (the
 * same additions in the same order), but the two running sums are independent chains that the
 * processor overlaps, where two passes wait on each sum's additions in turn.
 */
export function smaPair(
  x: Float64Array,
  p: number,
  q: number,
  intoP: Float64Array,
  intoQ: Float64Array,
): void {
  const n = x.length;
  if (
    !Number.isInteger(p) || !Number.isInteger(q) || p < 1 || q < 1 || intoP.length < n ||
    intoQ.length < n
  ) {
    sma(x, p, intoP);
    sma(x, q, intoQ);
    return;
  }
  const f = firstFinite(x);
  intoP.fill(NaN, 0, Math.min(n, f + p - 1));
  intoQ.fill(NaN, 0, Math.min(n, f + q - 1));
  let a = 0;
  let b = 0;
  let i = f;
  // Until both windows are full, each sum follows sma's three phases; from then on, the steady
  // phase of both at once.
  const full = Math.min(n, f + Math.max(p, q));
  for (; i < full; i++) {
    const v = x[i];
    a += v;
    if (i - f >= p) a -= x[i - p];
    if (i - f >= p - 1) intoP[i] = a / p;
    b += v;
    if (i - f >= q) b -= x[i - q];
    if (i - f >= q - 1) intoQ[i] = b / q;
  }
  for (; i < n; i++) {
    const v = x[i];
    a += v;
    b += v;
    a -= x[i - p];
    b -= x[i - q];
    intoP[i] = a / p;
    intoQ[i] = b / q;
  }
}

export function ema(x: Float64Array, period: number, into?: Float64Array): Float64Array {
  const n = x.length;
  const out = nans(n, into);
  const f = firstFinite(x);
  if (n - f < period) return out;
  const k = 2 / (period + 1);
  let prev = 0;
  for (let i = f; i < f + period; i++) prev += x[i];
  prev /= period;
  out[f + period - 1] = prev;
  for (let i = f + period; i < n; i++) {
    prev = x[i] * k + prev * (1 - k);
    out[i] = prev;
  }
  return out;
}

/** Wilder's RSI: 100 − 100 / (1 + avgGain / avgLoss), averages smoothed over `period`. */
export function rsi(x: Float64Array, period: number, into?: Float64Array): Float64Array {
  const n = x.length;
  const out = nans(n, into);
  const f = firstFinite(x);
  if (n - f <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let i = f + 1; i <= f + period; i++) {
    const d = x[i] - x[i - 1];
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= period;
  loss /= period;
  const value = () => (loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss));
  out[f + period] = value();
  for (let i = f + period + 1; i < n; i++) {
    const d = x[i] - x[i - 1];
    gain = (gain * (period - 1) + (d > 0 ? d : 0)) / period;
    loss = (loss * (period - 1) + (d < 0 ? -d : 0)) / period;
    out[i] = value();
  }
  return out;
}

/** Wilder's average true range. */
export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  into?: Float64Array,
): Float64Array {
  const n = close.length;
  const out = nans(n, into);
  const f = firstFinite(close);
  if (n - f <= period) return out;
  let sum = 0;
  for (let i = f + 1; i <= f + period; i++) sum += trueRange(high, low, close, i);
  let prev = sum / period;
  out[f + period] = prev;
  for (let i = f + period + 1; i < n; i++) {
    prev = (prev * (period - 1) + trueRange(high, low, close, i)) / period;
    out[i] = prev;
  }
  return out;
}

function trueRange(h: Float64Array, l: Float64Array, c: Float64Array, i: number): number {
  const pc = c[i - 1];
  return Math.max(h[i] - l[i], Math.abs(h[i] - pc), Math.abs(l[i] - pc));
}

/** MACD: EMA(fast) − EMA(slow), its EMA(signal), and their difference (the histogram). */
export function macd(
  x: Float64Array,
  fast: number,
  slow: number,
  signal: number,
): { line: Float64Array; signal: Float64Array; histogram: Float64Array } {
  const a = ema(x, fast);
  const b = ema(x, slow);
  const n = x.length;
  const line = new Float64Array(n);
  for (let i = 0; i < n; i++) line[i] = a[i] - b[i];
  const sig = ema(line, signal);
  const histogram = new Float64Array(n);
  for (let i = 0; i < n; i++) histogram[i] = line[i] - sig[i];
  return { line, signal: sig, histogram };
}

/** Population standard deviation over `period` bars. */
export function stdev(x: Float64Array, period: number, into?: Float64Array): Float64Array {
  const n = x.length;
  const out = nans(n, into);
  const m = sma(x, period);
  for (let i = 0; i < n; i++) {
    if (m[i] !== m[i]) continue;
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) s += (x[j] - m[i]) ** 2;
    out[i] = Math.sqrt(s / period);
  }
  return out;
}

export function bollinger(
  x: Float64Array,
  period: number,
  k: number,
): { upper: Float64Array; middle: Float64Array; lower: Float64Array } {
  const middle = sma(x, period);
  const sd = stdev(x, period);
  const n = x.length;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    upper[i] = middle[i] + k * sd[i];
    lower[i] = middle[i] - k * sd[i];
  }
  return { upper, middle, lower };
}

/** Rate of change in percent: 100 × (xᵢ / xᵢ₋ₙ − 1). */
export function roc(x: Float64Array, period: number, into?: Float64Array): Float64Array {
  const n = x.length;
  const out = nans(n, into);
  for (let i = period; i < n; i++) out[i] = 100 * (x[i] / x[i - period] - 1);
  return out;
}

/** Highest value over the last `period` bars, this one included. */
export function highest(x: Float64Array, period: number, into?: Float64Array): Float64Array {
  return extreme(x, period, true, into);
}

export function lowest(x: Float64Array, period: number, into?: Float64Array): Float64Array {
  return extreme(x, period, false, into);
}

// A monotonic deque of indexes: O(n) whatever the period.
function extreme(x: Float64Array, period: number, max: boolean, into?: Float64Array) {
  const n = x.length;
  const out = nans(n, into);
  const f = firstFinite(x);
  const q = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = f; i < n; i++) {
    while (tail > head && (max ? x[q[tail - 1]] <= x[i] : x[q[tail - 1]] >= x[i])) tail--;
    q[tail++] = i;
    if (q[head] <= i - period) head++;
    if (i - f >= period - 1) out[i] = x[q[head]];
  }
  return out;
}

/** Annualised volatility of daily log returns over `period` bars (sample, × √252). */
export function annualVol(close: Float64Array, period: number, into?: Float64Array): Float64Array {
  const n = close.length;
  const r = new Float64Array(n).fill(NaN);
  for (let i = 1; i < n; i++) r[i] = Math.log(close[i] / close[i - 1]);
  const out = nans(n, into);
  const m = sma(r, period);
  for (let i = 0; i < n; i++) {
    if (m[i] !== m[i]) continue;
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) s += (r[j] - m[i]) ** 2;
    out[i] = Math.sqrt(s / (period - 1)) * Math.sqrt(252);
  }
  return out;
}

/**
 * Volume ÷ the mean volume of the `period` bars before this one (×): the window ends the bar
 * before, so a spike does not inflate its own average. NaN until `period` earlier bars exist,
 * and where that mean is 0. (The scanner's `volume_ratio` column, summed in the same order.)
 */
export function volumeRatio(
  volume: Float64Array,
  period: number,
  into?: Float64Array,
): Float64Array {
  const n = volume.length;
  const out = nans(n, into);
  const f = firstFinite(volume);
  let sum = 0;
  for (let i = f; i < n; i++) {
    if (i - f >= period) out[i] = sum > 0 ? volume[i] / (sum / period) : NaN;
    sum += volume[i];
    if (i - f >= period) sum -= volume[i - period];
  }
  return out;
}

/** Wilder's ATR as a percentage of the close: ATR(period) ÷ close × 100. */
export function atrPct(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  into?: Float64Array,
): Float64Array {
  const out = atr(high, low, close, period, into);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] / close[i]) * 100;
  return out;
}

/** The opening gap in percent: 100 × (openᵢ / closeᵢ₋₁ − 1); NaN on the first bar. */
export function gapPct(open: Float64Array, close: Float64Array, into?: Float64Array): Float64Array {
  const n = close.length;
  const out = nans(n, into);
  for (let i = 1; i < n; i++) out[i] = (open[i] / close[i - 1] - 1) * 100;
  return out;
}

/**
 * Where `l` crosses above `r`: 1 at bar i when l ≤ r at i−1 and l > r at i (false with a NaN,
 * so never in warm-up). `out` must start zeroed: crosses are rare, so only they are written.
 */
export function crossesAbove(l: Float64Array, r: Float64Array, out: Uint8Array): void {
  crosses(l, r, out, null, Math.min(out.length, l.length, r.length));
}

/** Where `l` crosses below `r` (l ≥ r, then l < r); `out` zeroed, as for crossesAbove. */
export function crossesBelow(l: Float64Array, r: Float64Array, out: Uint8Array): void {
  crosses(l, r, null, out, Math.min(out.length, l.length, r.length));
}

/**
 * crossesAbove and crossesBelow of the same two series in one pass (a rule's entry and exit are
 * often the two crosses of one pair): the same values as the two calls, each series read once.
 */
export function crossesBoth(
  l: Float64Array,
  r: Float64Array,
  above: Uint8Array,
  below: Uint8Array,
): void {
  crosses(l, r, above, below, Math.min(above.length, below.length, l.length, r.length));
}

/**
 * The crosses of bars 1..n−1 into `above` and `below` (either may be null). A cross needs the
 * two series to change order, so while `l` stays below `r` (or above it) bar after bar, one
 * comparison a bar is all there is to do: neither cross can happen there (above needs l > r
 * now, below needs l ≥ r before). Only a bar that leaves that order, and bars where the two
 * are equal or either is NaN, take the full test (l ≤ r before and l > r now; l ≥ r before
 * and l < r now), with the same comparisons as ever, so the flags are the same.
 */
function crosses(
  l: Float64Array,
  r: Float64Array,
  above: Uint8Array | null,
  below: Uint8Array | null,
  n: number,
): void {
  let i = 1;
  while (i < n) {
    const a0 = l[i - 1];
    const b0 = r[i - 1];
    if (a0 < b0) {
      // Below: a bar still below adds nothing; the first one that is not is tested.
      while (i < n && l[i] < r[i]) i++;
      if (i === n) return;
      if (above !== null && l[i] > r[i]) above[i] = 1;
    } else if (a0 > b0) {
      while (i < n && l[i] > r[i]) i++;
      if (i === n) return;
      if (below !== null && l[i] < r[i]) below[i] = 1;
    } else {
      // Equal (both crosses possible) or a NaN (neither).
      const a = l[i];
      const b = r[i];
      if (above !== null && a0 <= b0 && a > b) above[i] = 1;
      if (below !== null && a0 >= b0 && a < b) below[i] = 1;
    }
    i++;
  }
}
