/**
 * The portfolio's risk in one pass over data the caller has gathered: exposure, beta to the
 * S&P 500, correlation, historical and parametric VaR, stress tests and limit usage. Pure, so
 * the API route, the tests and the benchmark run the same code.
 *
 * The look-back window is the last `lookback` daily returns on the dates the S&P 500 and every
 * included holding share. A holding is left out of the window's figures (and listed in
 * `window.excluded`) when it has fewer than 90 % of the index's closes there: one short history
 * would otherwise shrink the window for all.
 *
 * @module
 */
import { alignCloses, horizonReturns, type PriceSeries } from "./series.ts";
import { beta as betaOf, correlationMatrix, covarianceMatrix } from "./stats.ts";
import {
  type Confidence,
  CONFIDENCES,
  historicalVar,
  portfolioPnl,
  portfolioSigma,
  Z,
} from "./var.ts";
import { cents, type Exposure, exposure, type Holding } from "./exposure.ts";
import {
  customShocks,
  EPISODES,
  stressEpisode,
  type StressHolding,
  type StressResult,
} from "./stress.ts";
import { type LimitSettings, type LimitUsage, limitUsage } from "./limits.ts";

/** Fewest daily returns a VaR, beta or correlation is computed from. */
export const MIN_OBSERVATIONS = 20;
/** A holding needs at least this share of the index's closes in the window to be included. */
const COVERAGE = 0.9;

export interface PortfolioRiskInput {
  holdings: readonly Holding[];
  equity: number;
  /** Today's P&L so far, USD (negative = loss). */
  dayPl: number;
  /** Completed daily closes per holding symbol, before `currentDay`. */
  history: ReadonlyMap<string, PriceSeries>;
  /** The S&P 500's completed daily closes. */
  index: PriceSeries;
  lookback: number;
  shockPercent: number;
  /** The day being priced (`YYYY-MM-DD`); no close on or after it is used. */
  currentDay: string;
  settings: LimitSettings;
}

export interface VarFigure {
  confidence: Confidence;
  horizonDays: 1 | 10;
  var: number | null;
  cvar?: number | null;
  varPercentOfEquity: number | null;
  observations: number;
  method: string;
  formula: string;
}

export interface PortfolioRisk {
  equity: number;
  exposure: Exposure & { method: string };
  window: {
    lookback: number;
    observations: number;
    from: string | null;
    to: string | null;
    included: string[];
    excluded: { symbol: string; reason: string }[];
    /** Σ|value| of the included holdings ÷ gross exposure × 100: how much of the book VaR sees. */
    coveragePercent: number | null;
  };
  beta: {
    portfolio: number | null;
    betaWeightedExposure: number | null;
    bySymbol: { symbol: string; beta: number | null }[];
    method: string;
  };
  correlation: { symbols: string[]; matrix: (number | null)[][]; method: string };
  var: { historical: VarFigure[]; scaled: VarFigure[]; parametric: VarFigure[] };
  stress: StressResult[];
  limits: LimitUsage[];
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export function portfolioRisk(input: PortfolioRiskInput): PortfolioRisk {
  const { equity } = input;
  const exp = exposure(input.holdings, equity);
  const pctEq = (v: number | null) => (v !== null && equity > 0 ? cents((v / equity) * 100) : null);

  // The window: the index's last lookback + 1 closes, before the priced day.
  const idx = trimBefore(input.index, input.currentDay);
  const windowDates = idx.dates.slice(Math.max(0, idx.dates.length - (input.lookback + 1)));
  const windowSet = new Set(windowDates);
  const included: Holding[] = [];
  const excluded: { symbol: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const h of input.holdings) {
    if (seen.has(h.symbol)) continue;
    seen.add(h.symbol);
    const s = input.history.get(h.symbol);
    const have = s ? s.dates.filter((d) => windowSet.has(d)).length : 0;
    if (have >= COVERAGE * windowDates.length && windowDates.length > 0) included.push(h);
    else {
      excluded.push({
        symbol: h.symbol,
        reason: `${have} of the window's ${windowDates.length} daily closes`,
      });
    }
  }
  const aligned = alignCloses(
    [idx, ...included.map((h) => trimBefore(input.history.get(h.symbol)!, input.currentDay))],
    input.lookback + 1,
  );
  const observations = Math.max(0, aligned.dates.length - 1);
  const enough = observations >= MIN_OBSERVATIONS && included.length > 0;
  const values = included.map((h) => h.qty * h.price);
  const ret1 = aligned.closes.map((c) => horizonReturns(c, 1));
  const marketRet = ret1[0];
  const holdRet = ret1.slice(1);

  // Beta.
  const betas = new Map<string, number | null>();
  included.forEach((h, i) =>
    betas.set(h.symbol, enough ? nullable(betaOf(holdRet[i], marketRet), round4) : null)
  );
  let betaWeighted: number | null = null;
  if (enough && included.every((h) => betas.get(h.symbol) !== null)) {
    betaWeighted = included.reduce((s, h, i) => s + values[i] * betas.get(h.symbol)!, 0);
  }

  // VaR.
  const historical: VarFigure[] = [];
  const scaled: VarFigure[] = [];
  const parametric: VarFigure[] = [];
  const pnl1 = enough ? portfolioPnl(holdRet, values) : new Float64Array();
  const ret10 = aligned.closes.slice(1).map((c) => horizonReturns(c, 10));
  const pnl10 = enough ? portfolioPnl(ret10, values) : new Float64Array();
  const sigma = enough ? portfolioSigma(covarianceMatrix(holdRet), values) : null;
  for (const c of CONFIDENCES) {
    const pc = `${c * 100} %`;
    const h1 = pnl1.length >= MIN_OBSERVATIONS ? historicalVar(pnl1, c) : null;
    historical.push({
      confidence: c,
      horizonDays: 1,
      var: nullable(h1?.var, cents),
      cvar: nullable(h1?.cvar, cents),
      varPercentOfEquity: pctEq(nullable(h1?.var, cents)),
      observations: pnl1.length,
      method: "Historical simulation, 1-day",
      formula:
        `Today's holdings × each of the ${pnl1.length} past daily returns: P&L_t = Σ v_i r_i,t. ` +
        `VaR = the ${pc} quantile of the losses (L sorted ascending, VaR = L(⌈${c}·n⌉), no ` +
        `interpolation); CVaR = mean of the losses from VaR up.`,
    });
    const h10 = pnl10.length >= MIN_OBSERVATIONS ? historicalVar(pnl10, c) : null;
    historical.push({
      confidence: c,
      horizonDays: 10,
      var: nullable(h10?.var, cents),
      cvar: nullable(h10?.cvar, cents),
      varPercentOfEquity: pctEq(nullable(h10?.var, cents)),
      observations: pnl10.length,
      method: "Historical simulation, 10-day from overlapping 10-day returns",
      formula: `r_i,t = close_i,t+10 ÷ close_i,t − 1 for every start day t (windows overlap, so ` +
        `the ${pnl10.length} scenarios are not independent); VaR and CVaR as for 1 day.`,
    });
    const s10 = h1 ? h1.var * Math.sqrt(10) : null;
    scaled.push({
      confidence: c,
      horizonDays: 10,
      var: nullable(s10, cents),
      varPercentOfEquity: pctEq(nullable(s10, cents)),
      observations: pnl1.length,
      method: "Square-root-of-time scaling of the 1-day historical VaR",
      formula: "VaR₁₀ ≈ √10 × VaR₁ (assumes independent, identically distributed daily P&L).",
    });
    for (const h of [1, 10] as const) {
      const v = sigma !== null ? Z[c] * sigma * Math.sqrt(h) : null;
      parametric.push({
        confidence: c,
        horizonDays: h,
        var: nullable(v, cents),
        varPercentOfEquity: pctEq(nullable(v, cents)),
        observations: pnl1.length,
        method: "Parametric (variance-covariance, delta-normal, zero mean)",
        formula: `VaR = z × σ_p × √h with z = Φ⁻¹(${c}) = ${Z[c].toFixed(4)}, h = ${h} day${
          h > 1 ? "s" : ""
        }, σ_p = √(vᵀΣv) = ${
          sigma === null ? "n/a" : `$${cents(sigma)}`
        } a day, Σ the sample covariance of the daily returns.`,
      });
    }
  }

  // Stress tests.
  const stressHoldings: StressHolding[] = mergeBySymbol(input.holdings).map((h) => ({
    symbol: h.symbol,
    value: cents(h.value),
    beta: betas.get(h.symbol) ?? null,
  }));
  const stress = [
    ...EPISODES.map((e) =>
      stressEpisode(e, stressHoldings, input.history, idx, input.currentDay, equity)
    ),
    ...customShocks(input.shockPercent, stressHoldings, equity),
  ];

  const var95 = historical.find((v) => v.confidence === 0.95 && v.horizonDays === 1)?.var ?? null;
  const includedGross = values.reduce((s, v) => s + Math.abs(v), 0);
  return {
    equity,
    exposure: {
      ...exp,
      method: "value = shares × price now; gross = Σ |value|, net = Σ value (shorts negative); " +
        "% of equity = value ÷ equity × 100; sector: GICS sector from the market data.",
    },
    window: {
      lookback: input.lookback,
      observations,
      from: aligned.dates[0] ?? null,
      to: aligned.dates.at(-1) ?? null,
      included: included.map((h) => h.symbol),
      excluded,
      coveragePercent: exp.gross > 0 ? cents((includedGross / exp.gross) * 100) : null,
    },
    beta: {
      portfolio: betaWeighted !== null && equity > 0 ? round4(betaWeighted / equity) : null,
      betaWeightedExposure: nullable(betaWeighted, cents),
      bySymbol: included.map((h) => ({ symbol: h.symbol, beta: betas.get(h.symbol) ?? null }))
        .concat(excluded.map((e) => ({ symbol: e.symbol, beta: null }))),
      method: "β_i = cov(r_i, r_SPX) ÷ var(r_SPX) on the window's daily returns; the " +
        "portfolio's β = Σ v_i β_i ÷ equity (cash has β 0).",
    },
    correlation: {
      symbols: enough ? included.map((h) => h.symbol) : [],
      matrix: enough
        ? correlationMatrix(holdRet).map((r) => r.map((x) => nullable(x, round4)))
        : [],
      method: "Pearson correlation of the window's daily returns: ρ_ij = cov_ij ÷ (σ_i σ_j).",
    },
    var: { historical, scaled, parametric },
    stress,
    limits: limitUsage(input.settings, exp, input.dayPl, var95),
  };
}

function nullable<T>(v: T | null | undefined, f: (x: T) => T): T | null {
  return v === null || v === undefined ? null : f(v);
}

/** The series without closes on or after `day`: the caller's data should not have any, and if
 * it did, using them would look into the future. */
function trimBefore(s: PriceSeries, day: string): PriceSeries {
  let n = s.dates.length;
  while (n > 0 && s.dates[n - 1] >= day) n--;
  if (n === s.dates.length) return s;
  return { symbol: s.symbol, dates: s.dates.slice(0, n), closes: Array.from(s.closes).slice(0, n) };
}

function mergeBySymbol(holdings: readonly Holding[]) {
  const m = new Map<string, number>();
  for (const h of holdings) m.set(h.symbol, (m.get(h.symbol) ?? 0) + h.qty * h.price);
  return [...m].map(([symbol, value]) => ({ symbol, value }));
}
