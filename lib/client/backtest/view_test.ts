import assert from "node:assert/strict";
import {
  type BacktestForm,
  compareRuns,
  formatMetric,
  heatColor,
  metricTone,
  monthlyGrid,
  requestBody,
  series,
} from "./view.ts";

const form: BacktestForm = {
  template: "sma-cross",
  symbols: "aapl, msft brk.b",
  start: "2016-01-04",
  end: "2019-12-31",
  splitDate: "",
  commissionPerShare: "0.005",
  commissionMinimum: "1",
  slippageBps: "5",
  spread: "paper_broker",
  adjustment: "split",
};

Deno.test("the form becomes the API's body; mistakes are named", () => {
  const r = requestBody(form);
  assert.ok(r.ok);
  assert.deepEqual(r.body, {
    template: "sma-cross",
    start: "2016-01-04",
    end: "2019-12-31",
    symbols: ["AAPL", "MSFT", "BRK.B"],
    costs: {
      commissionPerShare: 0.005,
      commissionMinimum: 1,
      slippageBps: 5,
      spread: "paper_broker",
    },
  });
  const tr = requestBody({ ...form, adjustment: "total_return" });
  assert.ok(tr.ok && tr.body.adjustment === "total_return");
  const noSymbols = requestBody({ ...form, symbols: " " });
  assert.ok(noSymbols.ok && !("symbols" in noSymbols.body), "empty: the template's universe");
  const bad = (f: Partial<BacktestForm>) => {
    const x = requestBody({ ...form, ...f });
    return x.ok ? null : x.message;
  };
  assert.match(bad({ symbols: "AAPL, 12$" })!, /not a ticker/);
  assert.match(bad({ end: "2015-01-01" })!, /after the start/);
  assert.match(bad({ splitDate: "2020-06-01" })!, /between/);
  assert.match(bad({ slippageBps: "-1" })!, /Slippage/);
  assert.match(bad({ start: "" })!, /start and an end/);
});

Deno.test("metrics carry a sign and a unit; n/a for what a run cannot define", () => {
  assert.equal(formatMetric("totalReturnPct", 12.3456), "+12.35 %");
  assert.equal(formatMetric("totalReturnPct", -3.04), "-3.04 %");
  assert.equal(formatMetric("maxDrawdownPct", 4.45), "4.45 %");
  assert.equal(formatMetric("sharpe", 1.2345), "1.23");
  assert.equal(formatMetric("expectancy", -304), "−$304.00");
  assert.equal(formatMetric("trades", 13), "13");
  assert.equal(formatMetric("maxDrawdownBars", 499), "499 bars");
  assert.equal(formatMetric("profitFactor", null), "n/a");
  assert.equal(metricTone("totalReturnPct", 2), "gain");
  assert.equal(metricTone("maxDrawdownPct", 2), "loss");
  assert.equal(metricTone("sharpe", 2), "");
});

Deno.test("monthly returns fill a year × month grid with compounded year totals", () => {
  const grid = monthlyGrid([
    { month: "2019-11", returnPct: 10 },
    { month: "2019-12", returnPct: -10 },
    { month: "2020-01", returnPct: 2 },
  ]);
  assert.equal(grid.length, 2);
  assert.equal(grid[0].year, 2019);
  assert.equal(grid[0].months[10], 10);
  assert.equal(grid[0].months[0], null);
  assert.equal(grid[0].total, -1); // 1.1 × 0.9 − 1
  assert.equal(grid[1].total, 2);
  assert.equal(heatColor(null), "transparent");
  assert.match(heatColor(3), /^rgba\(16, 185, 129/);
  assert.match(heatColor(-3), /^rgba\(239, 68, 68/);
});

Deno.test("chart points are UTC seconds of each day; comparisons show the difference", () => {
  assert.deepEqual(series(["2020-01-02"], [5]), [{ time: 1577923200, value: 5 }]);
  const rows = compareRuns({ totalReturnPct: 10, sharpe: null }, {
    totalReturnPct: 12.5,
    sharpe: 1,
  });
  const total = rows.find((r) => r.key === "totalReturnPct")!;
  assert.deepEqual([total.a, total.b, total.diff], ["+10.00 %", "+12.50 %", "+2.50"]);
  assert.equal(rows.find((r) => r.key === "sharpe")!.diff, "n/a");
});

Deno.test("sweep values parse from lists and ranges; a sweep becomes a grid", async () => {
  const { parseValues, sweepGrid, sweepColor } = await import("./view.ts");
  assert.deepEqual(parseValues("10..30 step 10"), [10, 20, 30]);
  assert.deepEqual(parseValues("5, 3 3"), [3, 5]);
  assert.match(String(parseValues("30..10")), /from ≤ to/);
  assert.match(String(parseValues("a, 2")), /numbers/);
  const g = sweepGrid(
    {
      metric: "sharpe",
      tried: 3,
      best: null,
      points: [
        { params: { fast: 5, slow: 20 }, metrics: { sharpe: 1 } },
        { params: { fast: 10, slow: 20 }, metrics: { sharpe: 2 } },
        { params: { fast: 5, slow: 30 }, metrics: { sharpe: null } },
      ],
    },
    "fast",
    "slow",
  );
  assert.deepEqual(g.xs, [5, 10]);
  assert.deepEqual(g.ys, [20, 30]);
  assert.deepEqual(g.cells, [[1, 2], [null, null]]);
  assert.equal(g.min, 1);
  assert.equal(g.max, 2);
  assert.equal(sweepColor(2, 1, 2, false), "rgba(16, 185, 129, 0.55)");
  assert.equal(sweepColor(2, 1, 2, true), "rgba(239, 68, 68, 0.55)");
  assert.equal(sweepColor(null, 1, 2, false), "transparent");
});

Deno.test("trades become entry and exit markers; an open position has no exit marker", async () => {
  const { tradeMarkers } = await import("./view.ts");
  const base = { symbol: "AAA", qty: 10, pnl: 0, returnPct: 0, bars: 2 };
  const m = tradeMarkers([
    {
      ...base,
      direction: "long",
      entryDate: "2020-01-03",
      entryPrice: 10,
      exitDate: "2020-01-07",
      exitPrice: 11,
      reason: "signal",
    },
    {
      ...base,
      direction: "short",
      entryDate: "2020-01-02",
      entryPrice: 12,
      exitDate: "2020-01-09",
      exitPrice: 12,
      reason: "end",
    },
  ]);
  assert.deepEqual(m.map((x) => [x.shape, x.position, x.text]), [
    ["arrowDown", "aboveBar", "Short 10 @ 12.00"],
    ["arrowUp", "belowBar", "Buy 10 @ 10.00"],
    ["arrowDown", "aboveBar", "Sell @ 11.00 (signal)"],
  ]);
  assert.equal(m[1].time, Date.UTC(2020, 0, 3) / 1000);
});
