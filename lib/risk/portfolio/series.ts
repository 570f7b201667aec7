/**
 * Daily closes lined up across holdings, and the simple returns built from them. Every figure of
 * the portfolio risk (VaR, beta, correlation) must compare the same days, so series are cut to
 * the dates all of them share before any return is taken.
 *
 * @module
 */

/** One symbol's daily closes, dates ascending (`YYYY-MM-DD`). */
export interface PriceSeries {
  symbol: string;
  dates: string[];
  closes: ArrayLike<number>;
}

/** Closes of several symbols on the dates they all have, ascending. */
export interface AlignedCloses {
  symbols: string[];
  dates: string[];
  /** `closes[i][t]`: symbol i's close on `dates[t]`. */
  closes: Float64Array[];
}

/** The series of one symbol from bars as the market seam returns them. */
export function seriesFromBars(
  symbol: string,
  bars: readonly { time: string; close: number }[],
): PriceSeries {
  const dates: string[] = [];
  const closes: number[] = [];
  for (const b of bars) {
    // A zero or missing close would turn into an infinite return.
    if (!(b.close > 0)) continue;
    dates.push(b.time.slice(0, 10));
    closes.push(b.close);
  }
  return { symbol, dates, closes };
}

/**
 * The series restricted to the dates every one of them has, keeping at most the last `keep`
 * of those dates (all when omitted).
 */
export function alignCloses(series: readonly PriceSeries[], keep?: number): AlignedCloses {
  if (series.length === 0) return { symbols: [], dates: [], closes: [] };
  const rows = series.map((s) => {
    const m = new Map<string, number>();
    for (let t = 0; t < s.dates.length; t++) m.set(s.dates[t], t);
    return m;
  });
  // The shortest series bounds the intersection, so walk it.
  let shortest = 0;
  for (let i = 1; i < series.length; i++) {
    if (series[i].dates.length < series[shortest].dates.length) shortest = i;
  }
  let dates = series[shortest].dates.filter((d) => rows.every((m) => m.has(d)));
  if (keep !== undefined && dates.length > keep) dates = dates.slice(dates.length - keep);
  const closes = series.map((s, i) => {
    const out = new Float64Array(dates.length);
    for (let t = 0; t < dates.length; t++) out[t] = s.closes[rows[i].get(dates[t])!];
    return out;
  });
  return { symbols: series.map((s) => s.symbol), dates, closes };
}

/**
 * Overlapping simple returns over `horizon` days: `r[t] = close[t + h] / close[t] − 1`, one per
 * start day, so n closes give n − h returns (consecutive ones share h − 1 days).
 */
export function horizonReturns(closes: ArrayLike<number>, horizon = 1): Float64Array {
  const n = Math.max(0, closes.length - horizon);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = closes[t + horizon] / closes[t] - 1;
  return out;
}
