import assert from "node:assert/strict";
import type { Metric, PnlAnalytics } from "../../shared/pnl.ts";
import {
  analyticsUrl,
  chartLines,
  csvUrl,
  dateAt,
  metricText,
  metricTitle,
  metricTone,
} from "./pnl_view.ts";

const m = (value: number | null, unit: Metric["unit"], reason?: string): Metric => ({
  label: "x",
  value,
  unit,
  formula: "a / b",
  ...(reason ? { reason } : {}),
});

Deno.test("metric text carries its unit and sign; a missing value is a dash", () => {
  assert.equal(metricText("twr", m(0.0123, "fraction")), "+1.23 %");
  assert.equal(metricText("pnl", m(-45.5, "USD")), "−$45.50");
  assert.equal(metricText("avgWin", m(12, "USD")), "+$12.00");
  assert.equal(metricText("winRate", m(0.5, "fraction")), "50.0 %");
  assert.equal(metricText("maxDrawdown", m(0.0425, "fraction")), "−4.25 %");
  assert.equal(metricText("maxDrawdown", m(0, "fraction")), "0.00 %");
  assert.equal(metricText("sharpe", m(1.23456, "ratio")), "1.23");
  assert.equal(metricText("roundTrips", m(3, "count")), "3");
  assert.equal(metricText("sharpe", m(null, "ratio", "flat")), "—");
});

Deno.test("tones: gains green, losses and drawdowns red, counts and rates plain", () => {
  assert.equal(metricTone("twr", m(0.01, "fraction")), "gain");
  assert.equal(metricTone("pnl", m(-1, "USD")), "loss");
  assert.equal(metricTone("maxDrawdown", m(0.1, "fraction")), "loss");
  assert.equal(metricTone("winRate", m(0.9, "fraction")), "");
  assert.equal(metricTone("sharpe", m(null, "ratio", "x")), "");
});

Deno.test("the tooltip is the formula, and why a value is missing", () => {
  assert.equal(metricTitle(m(1, "ratio")), "a / b");
  assert.equal(metricTitle(m(null, "ratio", "no losing day")), "a / b. No value: no losing day.");
});

Deno.test("addresses encode the period", () => {
  assert.equal(analyticsUrl("1M"), "/api/analytics?period=1M");
  assert.equal(csvUrl("YTD"), "/api/analytics/export.csv?period=YTD");
});

Deno.test("chart lines: percent, one point per second ascending, S&P 500 where known", () => {
  const r = {
    curve: [
      { time: "2026-12-01T15:00:00.100Z", date: "2020-01-02", equity: 100, cumulative: 0 },
      { time: "2026-12-01T15:00:00.900Z", date: "2020-01-02", equity: 101, cumulative: 0.01 },
      { time: "2026-12-02T15:00:00.000Z", date: "2020-01-03", equity: 99, cumulative: -0.0123 },
    ],
    daily: [
      { time: "2026-12-01T15:00:00.100Z", date: "2020-01-02", benchmarkCumulative: 0 },
      { time: "2026-12-02T15:00:00.000Z", date: "2020-01-03", benchmarkCumulative: 0.005 },
      { time: "2026-12-03T15:00:00.000Z", date: "2020-01-06", benchmarkCumulative: null },
    ],
  } as unknown as PnlAnalytics;
  const lines = chartLines(r);
  const t0 = Date.parse("2026-12-01T15:00:00Z") / 1000;
  assert.deepEqual(lines.account, [{ time: t0, value: 1 }, { time: t0 + 86400, value: -1.23 }]);
  assert.deepEqual(lines.benchmark, [{ time: t0, value: 0 }, { time: t0 + 86400, value: 0.5 }]);
  assert.equal(dateAt(lines.dates, t0 + 100), "2020-01-02");
  assert.equal(dateAt(lines.dates, t0 + 86400), "2020-01-03");
  assert.equal(dateAt(lines.dates, t0 - 1), null);
});
