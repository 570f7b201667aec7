import assert from "node:assert/strict";
import fc from "fast-check";
import { ema, macd, rsi, sma } from "./indicators.ts";

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

Deno.test("RSI: 100 with only gains, 0 with only losses, 50 for alternating equal moves", () => {
  const up = Array.from({ length: 20 }, (_, i) => 100 + i);
  assert.equal(rsi(up, 14)[19], 100);
  const down = Array.from({ length: 20 }, (_, i) => 100 - i);
  assert.equal(rsi(down, 14)[19], 0);
  const zigzag = Array.from({ length: 15 }, (_, i) => 100 + (i % 2));
  assert.equal(rsi(zigzag, 14)[13], null);
  assert.ok(Math.abs(rsi(zigzag, 14)[14]! - 50) < 1e-9);
});

Deno.test("RSI stays within 0–100 (property)", () => {
  fc.assert(fc.property(
    fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 16, maxLength: 80 }),
    (values) => rsi(values, 14).every((v) => v === null || (v >= 0 && v <= 100)),
  ));
});

Deno.test("MACD: line is fast EMA minus slow EMA, histogram is line minus signal", () => {
  const values = Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i / 4) * 5 + i * 0.1);
  const { line, signal, histogram } = macd(values);
  const f = ema(values, 12);
  const s = ema(values, 26);
  assert.equal(line[24], null);
  assert.ok(Math.abs(line[30]! - (f[30]! - s[30]!)) < 1e-12);
  assert.equal(signal[32], null, "signal needs 9 line values");
  assert.notEqual(signal[33], null);
  assert.ok(Math.abs(histogram[50]! - (line[50]! - signal[50]!)) < 1e-12);
});
