import assert from "node:assert/strict";
import fc from "fast-check";
import { atr, realizedVolatility, trueRange } from "./volatility.ts";

Deno.test("true range widens the bar's range to a gap from the previous close", () => {
  const bars = [
    { high: 11, low: 9, close: 10 },
    { high: 14, low: 12, close: 13 }, // gap up: |14 − 10| = 4
    { high: 13.5, low: 8, close: 9 }, // range 5.5
  ];
  assert.deepEqual(trueRange(bars), [2, 4, 5.5]);
});

Deno.test("ATR: the mean of the first `period` ranges, then Wilder's smoothing", () => {
  const bars = [
    { high: 11, low: 9, close: 10 },
    { high: 14, low: 12, close: 13 },
    { high: 13.5, low: 8, close: 9 },
    { high: 10, low: 9, close: 9.5 },
  ];
  const out = atr(bars, 2);
  assert.equal(out[0], null);
  assert.equal(out[1], 3); // (2 + 4) / 2
  assert.equal(out[2], (3 * 1 + 5.5) / 2);
  assert.equal(out[3], ((3 + 5.5) / 2 * 1 + 1) / 2);
});

Deno.test("ATR of bars with a constant range is that range", () => {
  fc.assert(fc.property(fc.double({ min: 0.01, max: 50, noNaN: true }), (range) => {
    const bars = Array.from({ length: 30 }, () => ({ high: 100 + range, low: 100, close: 100 }));
    const out = atr(bars, 14);
    return Math.abs(out[29]! - range) < 1e-9;
  }));
});

Deno.test("realized volatility: zero for a steady trend, scales with the size of the moves", () => {
  const steady = Array.from({ length: 30 }, (_, i) => 100 * 1.01 ** i);
  assert.ok(realizedVolatility(steady)! < 1e-12);
  const zigzag = (amp: number) =>
    Array.from({ length: 30 }, (_, i) => 100 * (1 + (i % 2 ? amp : 0)));
  const small = realizedVolatility(zigzag(0.01))!;
  const large = realizedVolatility(zigzag(0.02))!;
  assert.ok(large > 1.9 * small && large < 2.1 * small);
  assert.equal(realizedVolatility([1, 2, 3], 20), null);
});
