/**
 * Portfolio VaR for 20 holdings over the full shipped history (`deno bench -A
 * bench/portfolio_var_bench.ts`): 2012-01-03 to 2021-04-21, every day the 20 stocks and the
 * S&P 500 share (2,339 daily returns). Three levels:
 *
 * - historical VaR/CVaR: the P&L scenarios of today's holdings (1-day and overlapping 10-day)
 *   and their 95 % and 99 % quantiles, from aligned closes;
 * - parametric VaR: the 20 × 20 sample covariance matrix and √(vᵀΣv);
 * - the whole analysis `portfolioRisk` (alignment, beta, correlation, both VaRs, the three
 *   episodes and the shock, limit usage): what `GET /api/risk/portfolio` computes once its
 *   data is read.
 *
 * On the 2-core development machine shared with other work (load average about 5), so the
 * minimum per iteration is the steadier figure. Avg / min per iteration, two runs:
 *
 * | benchmark                                   | run 1           | run 2           |
 * | ------------------------------------------- | --------------- | --------------- |
 * | historical VaR+CVaR, 1- and 10-day, 95/99 % | 5.7 ms / 3.2 ms | 6.9 ms / 3.3 ms |
 * | parametric VaR (20 × 20 covariance)         | 2.7 ms / 2.3 ms | 3.8 ms / 2.3 ms |
 * | portfolioRisk: the whole analysis           | 7.0 ms / 6.2 ms | 11.5 ms / 5.9 ms |
 *
 * Centring each column once for the covariance matrix (instead of per pair) took the
 * parametric figure from 5.2 / 2.7 ms; with a per-element `Float64Array.from` callback it
 * had been 17 / 9 ms.
 */
import { History } from "../lib/market/replay/history.ts";
import { portfolioRisk } from "../lib/risk/portfolio/analyze.ts";
import { alignCloses, horizonReturns, type PriceSeries } from "../lib/risk/portfolio/series.ts";
import { covarianceMatrix } from "../lib/risk/portfolio/stats.ts";
import { historicalVar, portfolioPnl, portfolioSigma, Z } from "../lib/risk/portfolio/var.ts";

const SYMBOLS = [
  "AAPL",
  "MSFT",
  "AMZN",
  "GOOGL",
  "JPM",
  "JNJ",
  "XOM",
  "PG",
  "KO",
  "PFE",
  "INTC",
  "CSCO",
  "WMT",
  "HD",
  "BAC",
  "CVX",
  "MRK",
  "T",
  "DIS",
  "MCD",
]; // deno-fmt-ignore

const history = new History();
const load = async (s: string): Promise<PriceSeries> => {
  const d = await history.series(s);
  return { symbol: s, dates: d.dates, closes: d.close };
};
const series = await Promise.all(SYMBOLS.map(load));
const index = await load("SPX");
const holdings = series.map((s, i) => ({
  symbol: s.symbol,
  qty: 10 + i,
  price: s.closes[s.closes.length - 1],
  sector: null,
}));
const values = holdings.map((h) => h.qty * h.price);
// The day after the last shipped close, so every close is history.
const CURRENT_DAY = "2021-04-22";
const FULL = index.dates.length;

const aligned = alignCloses([index, ...series]);
if (aligned.dates.length < 2_300) throw new Error(`only ${aligned.dates.length} common days`);

Deno.bench("historical VaR+CVaR, 1- and 10-day, 95/99 %", { group: "var", baseline: true }, () => {
  const a = alignCloses(series);
  const r1 = a.closes.map((c) => horizonReturns(c, 1));
  const r10 = a.closes.map((c) => horizonReturns(c, 10));
  const p1 = portfolioPnl(r1, values), p10 = portfolioPnl(r10, values);
  let sum = 0;
  for (const c of [0.95, 0.99]) sum += historicalVar(p1, c)!.var + historicalVar(p10, c)!.cvar;
  if (!(sum > 0)) throw new Error("no VaR");
});

Deno.bench("parametric VaR (20 × 20 covariance)", { group: "var" }, () => {
  const a = alignCloses(series);
  const r1 = a.closes.map((c) => horizonReturns(c, 1));
  const v = Z[0.99] * portfolioSigma(covarianceMatrix(r1), values);
  if (!(v > 0)) throw new Error("no VaR");
});

Deno.bench("portfolioRisk: the whole analysis", { group: "var" }, () => {
  const r = portfolioRisk({
    holdings,
    equity: 1_000_000,
    dayPl: 0,
    history: new Map(series.map((s) => [s.symbol, s])),
    index,
    lookback: FULL,
    shockPercent: -10,
    currentDay: CURRENT_DAY,
    settings: {
      maxPositionPercent: 10,
      dailyLossLimit: 5_000,
      maxOrderValue: 25_000,
      allowShortSelling: false,
    },
  });
  if (r.window.observations < 2_300 || r.var.historical[0].var === null) {
    throw new Error(`window of ${r.window.observations}`);
  }
});
