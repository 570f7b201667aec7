/**
 * Performance metrics of a backtest. Formulas (also shown on the Backtesting page, from
 * `METRIC_FORMULAS`): daily returns rₜ = Eₜ / Eₜ₋₁ − 1 of the equity curve E over N bars; a year
 * is 252 bars; the risk-free rate is 0. Sharpe and Sortino come from lib/analytics (one
 * implementation for account analytics and backtests).
 *
 * A metric that the run cannot define (no losing trade for the profit factor, a flat benchmark
 * for beta) is null, never Infinity or NaN.
 *
 * @module
 */
import { mean, sharpe, sortino, stdev, TRADING_DAYS } from "../analytics/pnl/stats.ts";
import type { Trade } from "./engine.ts";

export interface Metrics {
  totalReturnPct: number;
  cagrPct: number | null;
  volatilityPct: number | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  maxDrawdownPct: number;
  maxDrawdownBars: number;
  avgDrawdownPct: number;
  avgDrawdownBars: number;
  exposurePct: number;
  trades: number;
  winRatePct: number | null;
  bestTradePct: number | null;
  worstTradePct: number | null;
  avgTradePct: number | null;
  profitFactor: number | null;
  expectancy: number | null;
  sqn: number | null;
  kellyPct: number | null;
  buyHoldReturnPct: number | null;
  benchmarkReturnPct: number | null;
  alphaPct: number | null;
  beta: number | null;
}

export const METRIC_FORMULAS: Record<keyof Metrics, string> = {
  totalReturnPct: "100 × (E_N / E_0 − 1)",
  cagrPct: "100 × ((E_N / E_0)^(252 / N) − 1)",
  volatilityPct: "100 × stdev(r) × √252",
  sharpe: "mean(r) / stdev(r) × √252 (risk-free 0)",
  sortino: "mean(r) / √(Σ min(r,0)² / N) × √252",
  calmar: "CAGR / max drawdown",
  maxDrawdownPct: "100 × max over t of (1 − E_t / max_{s≤t} E_s)",
  maxDrawdownBars: "longest bars from a peak until equity is back at it (or the end)",
  avgDrawdownPct: "mean depth of each drawdown episode (peak → recovery)",
  avgDrawdownBars: "mean length in bars of each drawdown episode",
  exposurePct: "100 × bars with a position open / N",
  trades: "closed round trips (open positions at the end are listed apart)",
  winRatePct: "100 × trades with pnl > 0 / trades",
  bestTradePct: "largest trade return, % of its entry cost",
  worstTradePct: "smallest trade return, %",
  avgTradePct: "mean trade return, %",
  profitFactor: "Σ winning pnl / |Σ losing pnl|",
  expectancy: "mean trade pnl, USD",
  sqn: "√trades × mean(trade R) / stdev(trade R), R = trade return %",
  kellyPct: "100 × (W − (1 − W) / (avg win / |avg loss|)), W = win rate",
  buyHoldReturnPct: "equal-weight buy at the first open of the same universe, held, no costs",
  benchmarkReturnPct: "100 × (B_N / B_0 − 1) of the benchmark close",
  alphaPct: "100 × 252 × (mean(r) − β × mean(r_B))",
  beta: "cov(r, r_B) / var(r_B)",
};

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const r4n = (x: number | null) => (x === null || !Number.isFinite(x) ? null : r4(x));

export interface DrawdownStats {
  maxPct: number;
  maxBars: number;
  avgPct: number;
  avgBars: number;
  /** Drawdown in % at each bar (≤ 0). */
  series: Float64Array;
}

export function drawdowns(equity: ArrayLike<number>): DrawdownStats {
  const n = equity.length;
  const series = new Float64Array(n);
  let peak = -Infinity;
  let peakAt = 0;
  let maxPct = 0;
  let maxBars = 0;
  const episodes: { depth: number; bars: number }[] = [];
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i];
    if (e >= peak) {
      if (i - peakAt > 1 && depth > 0) episodes.push({ depth, bars: i - peakAt });
      if (i - peakAt > maxBars && depth > 0) maxBars = i - peakAt;
      peak = e;
      peakAt = i;
      depth = 0;
      series[i] = 0;
      continue;
    }
    const d = 100 * (1 - e / peak);
    series[i] = -d;
    if (d > depth) depth = d;
    if (d > maxPct) maxPct = d;
  }
  if (depth > 0) {
    episodes.push({ depth, bars: n - 1 - peakAt });
    maxBars = Math.max(maxBars, n - 1 - peakAt);
  }
  const avgPct = episodes.length ? mean(episodes.map((e) => e.depth)) : 0;
  const avgBars = episodes.length ? mean(episodes.map((e) => e.bars)) : 0;
  return { maxPct, maxBars, avgPct, avgBars, series };
}

export function dailyReturns(x: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 1; i < x.length; i++) out.push(x[i] / x[i - 1] - 1);
  return out;
}

export interface MetricsInput {
  equity: ArrayLike<number>;
  gross: ArrayLike<number>;
  benchmark: ArrayLike<number>;
  buyHold: ArrayLike<number> | null;
  trades: Trade[];
}

export function computeMetrics(m: MetricsInput): Metrics {
  const e = m.equity;
  const n = e.length;
  const rets = dailyReturns(e);
  const total = e[n - 1] / e[0] - 1;
  const years = (n - 1) / TRADING_DAYS;
  const cagr = years > 0 && e[n - 1] > 0 ? Math.pow(e[n - 1] / e[0], 1 / years) - 1 : null;
  const vol = rets.length > 1 ? stdev(rets) * Math.sqrt(TRADING_DAYS) : null;
  const dd = drawdowns(e);
  let exposed = 0;
  for (let i = 0; i < n; i++) if (m.gross[i] > 1e-9) exposed++;

  const tr = m.trades;
  const wins = tr.filter((t) => t.pnl > 0);
  const losses = tr.filter((t) => t.pnl <= 0);
  const grossWin = wins.reduce((a, t) => a + t.pnl, 0);
  const grossLoss = losses.reduce((a, t) => a + t.pnl, 0);
  const rs = tr.map((t) => t.returnPct);
  const winRate = tr.length ? wins.length / tr.length : null;
  const avgWin = wins.length ? mean(wins.map((t) => t.pnl)) : null;
  const avgLoss = losses.length ? mean(losses.map((t) => t.pnl)) : null;
  const kelly = winRate !== null && avgWin !== null && avgLoss !== null && avgLoss < 0
    ? winRate - (1 - winRate) / (avgWin / -avgLoss)
    : null;
  const sqn = tr.length > 1 && stdev(rs) > 0 ? Math.sqrt(tr.length) * mean(rs) / stdev(rs) : null;

  const b = m.benchmark;
  const bRets = dailyReturns(b);
  let beta: number | null = null;
  let alpha: number | null = null;
  if (bRets.length > 1) {
    const mb = mean(bRets);
    const ms = mean(rets);
    let cov = 0;
    let varB = 0;
    for (let i = 0; i < bRets.length; i++) {
      cov += (rets[i] - ms) * (bRets[i] - mb);
      varB += (bRets[i] - mb) ** 2;
    }
    if (varB > 0) {
      beta = cov / varB;
      alpha = TRADING_DAYS * (ms - beta * mb);
    }
  }
  const bh = m.buyHold;
  const maxDd = dd.maxPct;
  return {
    totalReturnPct: r4(100 * total),
    cagrPct: r4n(cagr === null ? null : 100 * cagr),
    volatilityPct: r4n(vol === null ? null : 100 * vol),
    sharpe: r4n(sharpe(rets).value),
    sortino: r4n(sortino(rets).value),
    calmar: r4n(cagr !== null && maxDd > 0 ? (100 * cagr) / maxDd : null),
    maxDrawdownPct: r4(maxDd),
    maxDrawdownBars: dd.maxBars,
    avgDrawdownPct: r4(dd.avgPct),
    avgDrawdownBars: r4(dd.avgBars),
    exposurePct: r4(100 * exposed / n),
    trades: tr.length,
    winRatePct: r4n(winRate === null ? null : 100 * winRate),
    bestTradePct: r4n(tr.length ? Math.max(...rs) : null),
    worstTradePct: r4n(tr.length ? Math.min(...rs) : null),
    avgTradePct: r4n(tr.length ? mean(rs) : null),
    profitFactor: r4n(grossLoss < 0 ? grossWin / -grossLoss : null),
    expectancy: r4n(tr.length ? (grossWin + grossLoss) / tr.length : null),
    sqn: r4n(sqn),
    kellyPct: r4n(kelly === null ? null : 100 * kelly),
    buyHoldReturnPct: r4n(bh && bh.length ? 100 * (bh[bh.length - 1] / bh[0] - 1) : null),
    benchmarkReturnPct: r4n(b.length > 1 ? 100 * (b[b.length - 1] / b[0] - 1) : null),
    alphaPct: r4n(alpha === null ? null : 100 * alpha),
    beta: r4n(beta),
  };
}
