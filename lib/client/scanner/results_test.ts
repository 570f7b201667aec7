import assert from "node:assert/strict";
import fc from "fast-check";
import { nextSort, sortHits, sparkPoints } from "./results.ts";
import type { ScanHit } from "../../shared/scan.ts";

const hit = (symbol: string, close: number, rsi?: number): ScanHit => ({
  symbol,
  name: symbol,
  sector: null,
  close,
  values: rsi === undefined ? {} : { "RSI(14)": rsi },
  reasons: [],
  spark: [],
});

Deno.test("sorting by a value, missing values last", () => {
  const hits = [hit("A", 10, 40), hit("B", 30), hit("C", 20, 20)];
  const asc = sortHits(hits, { key: "value:RSI(14)", direction: "asc" });
  assert.deepEqual(asc.map((h) => h.symbol), ["C", "A", "B"]);
  const desc = sortHits(hits, { key: "value:RSI(14)", direction: "desc" });
  assert.deepEqual(desc.map((h) => h.symbol), ["A", "C", "B"]);
  assert.deepEqual(sortHits(hits, { key: "symbol", direction: "desc" }).map((h) => h.symbol), [
    "C",
    "B",
    "A",
  ]);
  assert.deepEqual(sortHits(hits, null), hits);
});

Deno.test("sorting by close orders the closes", () => {
  fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true })), (closes) => {
    const sorted = sortHits(closes.map((c, i) => hit(`S${i}`, c)), {
      key: "close",
      direction: "asc",
    });
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1].close <= sorted[i].close);
  }));
});

Deno.test("a click on the same column flips it", () => {
  const a = nextSort(null, "close");
  assert.deepEqual(a, { key: "close", direction: "desc" });
  assert.deepEqual(nextSort(a, "close"), { key: "close", direction: "asc" });
  assert.deepEqual(nextSort(a, "symbol"), { key: "symbol", direction: "asc" });
});

Deno.test("sparkline points span the box", () => {
  assert.equal(sparkPoints([1, 2, 3], 100, 20), "0.0,20.0 50.0,10.0 100.0,0.0");
  assert.equal(sparkPoints([5, 5], 10, 20), "0.0,10.0 10.0,10.0");
  assert.equal(sparkPoints([], 10, 10), "");
});
