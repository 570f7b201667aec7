/**
 * Value at risk of a portfolio held unchanged: historical simulation (today's holdings through
 * past returns) with expected shortfall, and the variance-covariance (delta-normal) method.
 * Losses are positive numbers in USD.
 *
 * @module
 */
import { covarianceMatrix } from "./stats.ts";

export type Confidence = 0.95 | 0.99;
export const CONFIDENCES: readonly Confidence[] = [0.95, 0.99];

/** Standard normal quantiles Φ⁻¹(c) for the two confidence levels shown. */
export const Z: Record<Confidence, number> = {
  0.95: 1.6448536269514722,
  0.99: 2.3263478740408408,
};

/** P&L of each scenario: `Σ_i value_i × r_i[t]` (values signed: a short gains when r < 0). */
export function portfolioPnl(
  returns: readonly ArrayLike<number>[],
  values: readonly number[],
): Float64Array {
  const n = returns.length ? returns[0].length : 0;
  const out = new Float64Array(n);
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i], v = values[i];
    for (let t = 0; t < n; t++) out[t] += v * r[t];
  }
  return out;
}

export interface TailRisk {
  /** Loss not exceeded in `confidence` of the scenarios, USD. */
  var: number;
  /** Mean loss of the scenarios at or beyond the VaR (expected shortfall), USD. */
  cvar: number;
  observations: number;
}

/**
 * Historical VaR and CVaR of P&L scenarios. With the losses sorted ascending `L(1) ≤ … ≤ L(n)`
 * and `k = ⌈c·n⌉`: `VaR = L(k)` (the empirical c-quantile, no interpolation) and
 * `CVaR = mean(L(k) … L(n))`, so CVaR ≥ VaR and both grow with c. Null with no scenarios.
 */
export function historicalVar(pnl: ArrayLike<number>, confidence: number): TailRisk | null {
  const n = pnl.length;
  if (n === 0) return null;
  const losses = Float64Array.from(pnl, (x) => -x).sort();
  const k = Math.min(n, Math.max(1, Math.ceil(confidence * n - 1e-9)));
  let tail = 0;
  for (let i = k - 1; i < n; i++) tail += losses[i];
  return { var: losses[k - 1], cvar: tail / (n - k + 1), observations: n };
}

export interface ParametricVar {
  var: number;
  /** Standard deviation of the portfolio's daily P&L, USD: `√(vᵀΣv)`. */
  sigmaDaily: number;
}

/**
 * Delta-normal VaR: `z_c × √(vᵀΣv) × √h`, Σ the sample covariance of daily returns and the
 * mean taken as zero (over days it is small next to the spread and noisily estimated).
 */
export function parametricVar(
  returns: readonly ArrayLike<number>[],
  values: readonly number[],
  confidence: Confidence,
  horizonDays: number,
): ParametricVar | null {
  if (returns.length === 0 || returns[0].length < 2) return null;
  const sigmaDaily = portfolioSigma(covarianceMatrix(returns), values);
  return { var: Z[confidence] * sigmaDaily * Math.sqrt(horizonDays), sigmaDaily };
}

/** `√(vᵀΣv)`. */
export function portfolioSigma(cov: readonly number[][], values: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values.length; j++) s += values[i] * cov[i][j] * values[j];
  }
  return Math.sqrt(Math.max(0, s));
}
