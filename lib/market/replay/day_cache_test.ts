import { equal, notEqual, throws } from "node:assert/strict";
import { SimulatedDays } from "./day_cache.ts";
import type { DailySeries } from "./history.ts";

/** Three made-up trading days of one symbol. */
function series(): DailySeries {
  const dates = ["2020-01-02", "2020-01-03", "2020-01-06"];
  const f = (xs: number[]) => Float64Array.from(xs);
  return {
    symbol: "TEST",
    dates,
    open: f([10, 11, 12]),
    high: f([11, 12, 13]),
    low: f([9, 10, 11]),
    close: f([10.5, 11.5, 12.5]),
    volume: f([1e6, 2e6, 3e6]),
    adjClose: null,
    row: new Map(dates.map((d, i) => [d, i])),
  };
}

Deno.test("a cached day is returned again without simulating it anew", () => {
  const cache = new SimulatedDays(2);
  const s = series();
  const first = cache.get("TEST", s, 0);
  equal(cache.get("TEST", s, 0), first);
  notEqual(cache.get("TEST", s, 1), first);
  equal(cache.size, 2);
});

Deno.test("past its capacity the least recently used day goes first", () => {
  const cache = new SimulatedDays(2);
  const s = series();
  const day0 = cache.get("TEST", s, 0);
  const day1 = cache.get("TEST", s, 1);
  equal(cache.get("TEST", s, 0), day0); // day 0 is now the most recent
  cache.get("TEST", s, 2); // evicts day 1
  equal(cache.size, 2);
  equal(cache.get("TEST", s, 0), day0);
  notEqual(cache.get("TEST", s, 1), day1);
});

Deno.test("clear empties the cache; a capacity below one is refused", () => {
  const cache = new SimulatedDays(4);
  cache.get("TEST", series(), 0);
  cache.clear();
  equal(cache.size, 0);
  throws(() => new SimulatedDays(0), RangeError);
});
