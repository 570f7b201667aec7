import assert from "node:assert/strict";
import type { ScanSeries } from "../scanner/series.ts";
import { overview, YEAR_WINDOW } from "./market.ts";

function series(symbol: string, sector: string, closes: number[]): ScanSeries {
  const start = Date.parse("2019-01-01T00:00:00Z");
  const dates = closes.map((_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
  return {
    symbol,
    name: symbol,
    sector,
    dates,
    open: closes,
    high: closes,
    low: closes,
    close: closes,
    volume: closes.map(() => 1),
  };
}

const flat = (n: number, v: number) => Array.from({ length: n }, () => v);

Deno.test("breadth, 52-week highs and lows, movers and sectors on one day", () => {
  const n = YEAR_WINDOW + 1;
  const s = [
    // A close above every close of the previous 252 days: a new high.
    series("UP", "Tech", [...flat(n - 1, 10), 11]),
    // Equal to the old high is not a new one.
    series("EQ", "Tech", [...flat(n - 2, 10), 9, 10]),
    series("DOWN", "Energy", [...flat(n - 1, 10), 8]),
    series("SAME", "Energy", flat(n, 10)),
    // Too short for a 52-week verdict, still counted in the breadth.
    series("NEW", "Tech", [20, 21]),
  ];
  s[4] = { ...s[4], dates: s[0].dates.slice(-2) };
  const asOf = s[0].dates.at(-1)!;
  const o = overview(s, asOf, "replay", [
    { symbol: "SPX", label: "S&P 500", close: 2529.19, prevClose: 2386.13 },
  ]);
  const b = o.breadth;
  assert.deepEqual(
    [b.universe, b.advancers, b.decliners, b.unchanged, b.newHighs, b.newLows].map((f) => f.value),
    [5, 3, 1, 1, 1, 1],
  );
  assert.deepEqual(o.gainers.map((m) => [m.symbol, m.changePercent.value]), [
    ["EQ", 11.11],
    ["UP", 10],
    ["NEW", 5],
  ]);
  assert.deepEqual(o.losers.map((m) => m.symbol), ["DOWN"]);
  assert.deepEqual(o.sectors.map((x) => [x.sector, x.members.value, x.changePercent.value]), [
    ["Tech", 3, 8.7],
    ["Energy", 2, -10],
  ]);
  assert.deepEqual(o.indexes[0].change, { value: 143.06, unit: "points", source: "replay", asOf });
  assert.equal(o.indexes[0].changePercent.value, 6);
});
