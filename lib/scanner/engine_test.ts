import assert from "node:assert/strict";
import fc from "fast-check";
import { runScan } from "./engine.ts";
import { PRESETS } from "./presets.ts";
import { column, type ScanSeries, truncate } from "./series.ts";
import { replayUniverse } from "./universe.ts";
import type { ScanSpec } from "../shared/scan.ts";

Deno.test("no scan reads a bar after its day: the same answer with the future cut off", async () => {
  const universe = await replayUniverse();
  const days = universe.find((s) => s.symbol === "AAPL")!.dates.filter((d) => d >= "2013-01-01");
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: days.length - 1 }),
      fc.constantFrom(...PRESETS),
      (i, preset) => {
        const day = days[i];
        const cut = universe.map((s) => {
          // -1 (a series that starts later) leaves an empty series.
          return truncate(s, s.dates.findLastIndex((d) => d <= day));
        });
        const full = runScan(universe, day, preset.spec);
        const past = runScan(cut, day, preset.spec);
        assert.deepEqual(full, past, `${preset.id} on ${day}`);
        return Promise.resolve();
      },
    ),
    { numRuns: 30 },
  );
});

function series(close: number[], extra: Partial<ScanSeries> = {}): ScanSeries {
  return {
    symbol: "T",
    name: "Test",
    sector: null,
    dates: close.map((_, i) => `2020-01-${String(i + 1).padStart(2, "0")}`),
    open: close,
    high: close,
    low: close,
    close,
    volume: close.map(() => 100),
    ...extra,
  };
}

Deno.test("prior highs and lows equal the brute-force window", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 1, maxLength: 80 }),
      fc.integer({ min: 1, max: 30 }),
      (xs, n) => {
        const s = series(xs);
        const hi = column(s, "highest", n);
        const lo = column(s, "lowest", n);
        xs.forEach((_, t) => {
          if (t < n) {
            assert.ok(Number.isNaN(hi[t]) && Number.isNaN(lo[t]));
          } else {
            assert.equal(hi[t], Math.max(...xs.slice(t - n, t)));
            assert.equal(lo[t], Math.min(...xs.slice(t - n, t)));
          }
        });
      },
    ),
  );
});

Deno.test("volume ratio divides by the average of the days before", () => {
  const volume = [100, 100, 100, 100, 500];
  const s = series([1, 1, 1, 1, 1], { volume });
  const ratio = column(s, "volume_ratio", 4);
  assert.equal(ratio[4], 5);
  assert.ok(Number.isNaN(ratio[3]));
});

Deno.test("filters, sort and limit", () => {
  const a = { ...series([10, 11, 12]), symbol: "A", sector: "Tech" };
  const b = { ...series([50, 55, 70]), symbol: "B", sector: "Energy" };
  const c = { ...series([5, 5.5, 6]), symbol: "C", sector: "Tech" };
  const up: ScanSpec = {
    conditions: [{ left: { indicator: "return", period: 2 }, op: ">", right: { value: 0 } }],
    sort: { by: { indicator: "return", period: 2 }, direction: "desc" },
  };
  const day = a.dates[2];
  assert.deepEqual(runScan([a, b, c], day, up).hits.map((h) => h.symbol), ["B", "A", "C"]);
  assert.deepEqual(
    runScan([a, b, c], day, { ...up, sector: "Tech" }).hits.map((h) => h.symbol),
    ["A", "C"],
  );
  assert.deepEqual(
    runScan([a, b, c], day, { ...up, minPrice: 8 }).hits.map((h) => h.symbol),
    ["B", "A"],
  );
  assert.deepEqual(runScan([a, b, c], day, { ...up, limit: 1 }).hits.map((h) => h.symbol), ["B"]);
  const [hit] = runScan([b], day, up).hits;
  assert.equal(hit.reasons[0], "2-day return 40.00 % > 0");
  assert.equal(hit.values["2-day return"], 40);
});

Deno.test("a cross needs the day before on the other side", () => {
  const fast = series([1, 2, 3, 4]);
  const spec: ScanSpec = {
    conditions: [{ left: { indicator: "close" }, op: "crosses_above", right: { value: 2.5 } }],
  };
  assert.equal(runScan([fast], fast.dates[2], spec).hits.length, 1);
  assert.equal(runScan([fast], fast.dates[3], spec).hits.length, 0);
  assert.match(runScan([fast], fast.dates[2], spec).hits[0].reasons[0], /crossed above 2.5/);
});
