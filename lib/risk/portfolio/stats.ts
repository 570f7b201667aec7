/**
 * Sample statistics of daily return series of equal length: covariance (n − 1 denominator),
 * Pearson correlation, and beta against a market series.
 *
 * @module
 */

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : NaN;
}

/** Sample covariance; NaN with fewer than two observations. */
export function covariance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n < 2) return NaN;
  const ma = mean(a), mb = mean(b);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] - ma) * (b[i] - mb);
  return s / (n - 1);
}

/** The covariance matrix of the columns (symmetric; each column is centred once). */
export function covarianceMatrix(cols: readonly ArrayLike<number>[]): number[][] {
  const k = cols.length;
  const n = k ? Math.min(...cols.map((c) => c.length)) : 0;
  const centred = cols.map((c) => {
    let m = 0;
    for (let t = 0; t < n; t++) m += c[t];
    m /= n;
    const out = new Float64Array(n);
    for (let t = 0; t < n; t++) out[t] = c[t] - m;
    return out;
  });
  const out = Array.from({ length: k }, () => new Array<number>(k).fill(NaN));
  if (n < 2) return out;
  for (let i = 0; i < k; i++) {
    const a = centred[i];
    for (let j = i; j < k; j++) {
      const b = centred[j];
      let s = 0;
      for (let t = 0; t < n; t++) s += a[t] * b[t];
      out[i][j] = out[j][i] = s / (n - 1);
    }
  }
  return out;
}

/**
 * Pearson correlation matrix: `ρ_ij = cov_ij / (σ_i σ_j)`. The diagonal is 1 by definition;
 * a pair with a series that never moves has no correlation and gets null.
 */
export function correlationMatrix(cols: readonly ArrayLike<number>[]): (number | null)[][] {
  const cov = covarianceMatrix(cols);
  return cov.map((row, i) =>
    row.map((c, j) => {
      if (i === j) return 1;
      const d = Math.sqrt(cov[i][i] * cov[j][j]);
      if (!(d > 0)) return null;
      // Rounding can push |ρ| a hair past 1.
      return Math.max(-1, Math.min(1, c / d));
    })
  );
}

/** `β = cov(r, r_m) / var(r_m)`; null when the market did not move or data is too short. */
export function beta(asset: ArrayLike<number>, market: ArrayLike<number>): number | null {
  const v = covariance(market, market);
  if (!(v > 0)) return null;
  const b = covariance(asset, market) / v;
  return Number.isFinite(b) ? b : null;
}
