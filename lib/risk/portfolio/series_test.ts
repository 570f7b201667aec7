import { deepEqual, equal } from "node:assert/strict";
import { alignCloses, horizonReturns, seriesFromBars } from "./series.ts";

Deno.test("closes are lined up on the dates every series has, keeping the latest", () => {
  const a = { symbol: "A", dates: ["d1", "d2", "d3", "d4"], closes: [1, 2, 3, 4] };
  const b = { symbol: "B", dates: ["d2", "d4", "d5"], closes: [20, 40, 50] };
  const all = alignCloses([a, b]);
  deepEqual(all.dates, ["d2", "d4"]);
  deepEqual([...all.closes[0]], [2, 4]);
  deepEqual([...all.closes[1]], [20, 40]);
  deepEqual(alignCloses([a, b], 1).dates, ["d4"]);
  equal(alignCloses([]).dates.length, 0);
});

Deno.test("overlapping h-day returns: n closes give n − h of them", () => {
  const r = horizonReturns([100, 110, 99, 121], 2);
  equal(r.length, 2);
  equal(r[0], 99 / 100 - 1);
  equal(r[1], 121 / 110 - 1);
  equal(horizonReturns([1], 10).length, 0);
});

Deno.test("series from bars drop closes that cannot make a return", () => {
  const s = seriesFromBars("X", [
    { time: "2020-01-02", close: 10 },
    { time: "2020-01-03", close: 0 },
    { time: "2020-01-06T00:00:00Z", close: 11 },
  ]);
  deepEqual(s.dates, ["2020-01-02", "2020-01-06"]);
});
