import assert from "node:assert/strict";
import { ema, sma } from "./indicators.ts";

function close(actual: (number | null)[], expected: (number | null)[]) {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    if (e === null) assert.equal(a, null, `index ${i}`);
    else assert.ok(a !== null && Math.abs(a - e) < 1e-9, `index ${i}: ${a} ≠ ${e}`);
  });
}

Deno.test("sma averages the trailing window and is null until it is full", () => {
  close(sma([2, 4, 6, 8, 10], 3), [null, null, 4, 6, 8]);
  close(sma([5], 1), [5]);
  close(sma([1, 2], 3), [null, null]);
});

Deno.test("sma stays exact over a long series (no drift from the running sum)", () => {
  const values = Array.from({ length: 5000 }, (_, i) => 100 + Math.sin(i) * 10);
  const out = sma(values, 20);
  const i = 4999;
  const direct = values.slice(i - 19, i + 1).reduce((a, b) => a + b, 0) / 20;
  assert.ok(Math.abs(out[i]! - direct) < 1e-9);
});

Deno.test("ema is seeded with the SMA and then smooths with 2/(n+1)", () => {
  // period 3 → k = 0.5; seed = mean(1,2,3) = 2; then 4*.5+2*.5 = 3; 11*.5+3*.5 = 7.
  close(ema([1, 2, 3, 4, 11], 3), [null, null, 2, 3, 7]);
  close(ema([1, 2], 3), [null, null]);
  // A constant series averages to itself.
  close(ema([7, 7, 7, 7], 2), [null, 7, 7, 7]);
});

Deno.test("period must be a positive integer", () => {
  assert.throws(() => sma([1], 0), RangeError);
  assert.throws(() => ema([1], 1.5), RangeError);
});
