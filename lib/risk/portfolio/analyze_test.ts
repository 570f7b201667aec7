import { deepEqual, equal, ok } from "node:assert/strict";
import { portfolioRisk, type PortfolioRiskInput } from "./analyze.ts";
import type { PriceSeries } from "./series.ts";
import { History } from "../../market/replay/history.ts";

const history = new History();
async function shipped(symbol: string): Promise<PriceSeries> {
  const s = await history.series(symbol);
  return { symbol, dates: s.dates, closes: s.close };
}

const settings = {
  maxPositionPercent: 10,
  dailyLossLimit: 5_000,
  maxOrderValue: 25_000,
  allowShortSelling: false,
};

async function input(over: Partial<PortfolioRiskInput> = {}): Promise<PortfolioRiskInput> {
  return {
    holdings: [
      { symbol: "AAPL", qty: 100, price: 75, sector: "Information Technology" },
      { symbol: "XOM", qty: 50, price: 70, sector: "Energy" },
    ],
    equity: 100_000,
    dayPl: 0,
    history: new Map([["AAPL", await shipped("AAPL")], ["XOM", await shipped("XOM")]]),
    index: await shipped("SPX"),
    lookback: 252,
    shockPercent: -10,
    currentDay: "2020-01-06",
    settings,
    ...over,
  };
}

Deno.test("the window ends before the priced day, even when later closes are passed in", async () => {
  const r = portfolioRisk(await input());
  equal(r.window.to, "2020-01-03");
  equal(r.window.observations, 252);
  deepEqual(r.window.included, ["AAPL", "XOM"]);
  equal(r.window.coveragePercent, 100);
  // Episodes after the priced day are withheld; the earlier ones are there.
  const status = Object.fromEntries(r.stress.map((s) => [s.id, s.status]));
  equal(status.covid_2020, "after_current_day");
  equal(status.q4_2018, "ok");
  equal(status.aug_2015, "ok");
});

Deno.test("one holding: the 1-day VaR is its value × the return quantile of the window", async () => {
  const aapl = await shipped("AAPL");
  const end = aapl.dates.indexOf("2020-01-06");
  const closes = Array.from(aapl.closes).slice(end - 253, end);
  const losses = closes.slice(1).map((c, i) => -(7_500 * (c / closes[i] - 1))).sort((a, b) =>
    a - b
  );
  const r = portfolioRisk(
    await input({ holdings: [{ symbol: "AAPL", qty: 100, price: 75, sector: null }] }),
  );
  const v95 = r.var.historical.find((v) => v.confidence === 0.95 && v.horizonDays === 1)!;
  equal(v95.observations, 252);
  ok(Math.abs(v95.var! - losses[Math.ceil(0.95 * 252) - 1]) < 0.006, `${v95.var}`);
  const v99 = r.var.historical.find((v) => v.confidence === 0.99 && v.horizonDays === 1)!;
  ok(v99.var! >= v95.var! && v99.cvar! >= v99.var!);
  const p10 = r.var.parametric.find((v) => v.confidence === 0.99 && v.horizonDays === 10)!;
  ok(p10.var! > 0 && /Φ⁻¹/.test(p10.formula));
  // The correlation of one holding with itself, and a beta near the market's.
  deepEqual(r.correlation.matrix, [[1]]);
  ok(r.beta.portfolio! > 0);
});

Deno.test("a holding with too little history is left out of the window, and said to be", async () => {
  const aapl = await shipped("AAPL");
  const from = aapl.dates.indexOf("2019-11-01");
  const young = {
    symbol: "NEW",
    dates: aapl.dates.slice(from),
    closes: Array.from(aapl.closes).slice(from),
  };
  const base = await input();
  const r = portfolioRisk({
    ...base,
    holdings: [...base.holdings, { symbol: "NEW", qty: 10, price: 100, sector: null }],
    history: new Map([...base.history, ["NEW", young]]),
  });
  deepEqual(r.window.included, ["AAPL", "XOM"]);
  equal(r.window.excluded[0].symbol, "NEW");
  equal(r.window.observations, 252, "the others keep the whole window");
  ok(r.window.coveragePercent! < 100);
});

Deno.test("no holdings: exposure zero, no figures, nothing thrown", async () => {
  const r = portfolioRisk(await input({ holdings: [] }));
  equal(r.exposure.gross, 0);
  equal(r.var.historical[0].var, null);
  equal(r.beta.portfolio, null);
  deepEqual(r.correlation.matrix, []);
});
