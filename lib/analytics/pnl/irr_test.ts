import assert from "node:assert/strict";
import fc from "fast-check";
import { moneyWeightedReturn } from "./irr.ts";

Deno.test("without flows the money-weighted return is the plain return", () => {
  assert.ok(Math.abs(moneyWeightedReturn([{ t: 0, amount: 100 }], 110).value! - 0.1) < 1e-12);
  assert.ok(Math.abs(moneyWeightedReturn([{ t: 0, amount: 100 }], 50).value! + 0.5) < 1e-12);
});

Deno.test("a deposit half-way: 100 at the start, 100 at t = 0.5, 231 at the end", () => {
  // 100(1 + R) + 100(1 + R)^0.5 = 231. With x = √(1 + R): 100x² + 100x − 231 = 0,
  // x = (−100 + √(100² + 4·100·231)) / 200 = (−100 + √102400) / 200 = (−100 + 320) / 200 = 1.1,
  // so R = 1.1² − 1 = 0.21.
  const r = moneyWeightedReturn([{ t: 0, amount: 100 }, { t: 0.5, amount: 100 }], 231);
  assert.ok(Math.abs(r.value! - 0.21) < 1e-10, String(r.value));
});

Deno.test("the rate found makes the flows grow to the end value (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 100, max: 1e6, noNaN: true }),
      fc.array(
        fc.record({
          t: fc.double({ min: 0, max: 1, noNaN: true }),
          amount: fc.double({ min: 1, max: 1e6, noNaN: true }),
        }),
        { maxLength: 5 },
      ),
      fc.double({ min: -0.9, max: 3, noNaN: true }),
      (start, deposits, growth) => {
        const flows = [{ t: 0, amount: start }, ...deposits];
        const end = flows.reduce((s, c) => s + c.amount * (1 + growth) ** (1 - c.t), 0);
        const r = moneyWeightedReturn(flows, end);
        assert.ok(r.value !== null);
        const back = flows.reduce((s, c) => s + c.amount * (1 + r.value!) ** (1 - c.t), 0);
        assert.ok(Math.abs(back - end) <= 1e-7 * end, `${back} vs ${end}`);
        assert.ok(Math.abs(r.value! - growth) < 1e-6);
      },
    ),
  );
});

Deno.test("no rate: money in and nothing can match the end value", () => {
  // Put 100 in and take 100 out at the start: nothing was invested, yet 50 is left.
  const r = moneyWeightedReturn([{ t: 0, amount: 100 }, { t: 0, amount: -100 }], 50);
  assert.equal(r.value, null);
  assert.ok(r.reason);
  assert.throws(() => moneyWeightedReturn([{ t: 2, amount: 1 }], 1), RangeError);
});
