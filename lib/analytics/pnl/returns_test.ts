import assert from "node:assert/strict";
import fc from "fast-check";
import { chain, groupReturns, subPeriods, timeWeightedReturn, type Valuation } from "./returns.ts";

const HOUR = 3_600_000;

/** Equity that compounds `rets` from `start`, with `deposit` landing at step `at`. */
function account(start: number, rets: number[], deposit?: { at: number; amount: number }) {
  const vals: Valuation[] = [{ ms: 0, equity: start }];
  let v = start;
  rets.forEach((r, i) => {
    v = v * (1 + r) + (deposit && deposit.at === i + 1 ? deposit.amount : 0);
    vals.push({ ms: (i + 1) * HOUR, equity: v });
  });
  return vals;
}

Deno.test("TWR is unchanged by a cash deposit (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 100, max: 1e7, noNaN: true }),
      fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 40 }),
      fc.nat(),
      fc.double({ min: 1, max: 1e7, noNaN: true }),
      (start, rets, at, amount) => {
        const step = (at % rets.length) + 1;
        const plain = timeWeightedReturn(account(start, rets), []);
        const withCash = timeWeightedReturn(account(start, rets, { at: step, amount }), [
          { ms: step * HOUR, amount, kind: "deposit", equityBefore: null },
        ]);
        const expected = rets.reduce((g, r) => g * (1 + r), 1) - 1;
        assert.ok(Math.abs(plain - expected) <= 1e-9 * Math.max(1, Math.abs(expected)));
        assert.ok(
          Math.abs(withCash - plain) <= 1e-9 * Math.max(1, Math.abs(plain)),
          `${withCash} vs ${plain}`,
        );
      },
    ),
  );
});

Deno.test("a deposit without a correction would read as a gain: the flow is taken out", () => {
  const vals = [{ ms: 0, equity: 1000 }, { ms: HOUR, equity: 2000 }];
  assert.equal(timeWeightedReturn(vals, []), 1);
  assert.equal(
    timeWeightedReturn(vals, [{ ms: HOUR, amount: 1000, kind: "deposit", equityBefore: null }]),
    0,
  );
});

Deno.test("a reset with the equity before it splits the day at the reset", () => {
  // 10,000 → 9,000 (−10 %) just before a reset to 50,000, then 50,000 → 51,000 (+2 %).
  const subs = subPeriods(
    [{ ms: 0, equity: 10_000 }, { ms: 2 * HOUR, equity: 50_000 }, {
      ms: 3 * HOUR,
      equity: 51_000,
    }],
    [{ ms: 2 * HOUR, amount: 41_000, kind: "reset", equityBefore: 9_000 }],
  );
  const expected = [-0.1, 0, 0.02];
  subs.forEach((s, i) => assert.ok(Math.abs(s.ret! - expected[i]) < 1e-12, `${i}: ${s.ret}`));
  assert.ok(Math.abs(chain(subs.map((s) => s.ret)) - (0.9 * 1.02 - 1)) < 1e-12);
});

Deno.test("flows at or before the first valuation are already in it", () => {
  const subs = subPeriods(
    [{ ms: HOUR, equity: 100 }, { ms: 2 * HOUR, equity: 110 }],
    [{ ms: HOUR, amount: 50, kind: "deposit", equityBefore: null }],
  );
  assert.equal(subs.length, 1);
  assert.ok(Math.abs(subs[0].ret! - 0.1) < 1e-12);
});

Deno.test("a non-positive starting value has no return, and chaining skips it", () => {
  const subs = subPeriods([{ ms: 0, equity: 0 }, { ms: 1, equity: 10 }, { ms: 2, equity: 11 }], []);
  assert.equal(subs[0].ret, null);
  assert.ok(Math.abs(chain(subs.map((s) => s.ret)) - 0.1) < 1e-12);
});

Deno.test("grouping chains the sub-periods of one day, flows included", () => {
  const subs = subPeriods(
    [
      { ms: 0, equity: 100 },
      { ms: 1, equity: 110 }, // day 0: +10 %
      { ms: 10, equity: 230.5 }, // day 1: 110 × 1.05 = 115.5, plus 115 deposited
      { ms: 11, equity: 253.55 }, // day 1: 230.5 × 1.1
    ],
    [{ ms: 10, amount: 115, kind: "deposit", equityBefore: null }],
  );
  const days = groupReturns(subs, (ms) => Math.floor(ms / 10), (a, b) => a === b);
  assert.equal(days.length, 2);
  assert.ok(Math.abs(days[0].ret - 0.1) < 1e-12);
  assert.ok(Math.abs(days[1].ret - (1.05 * 1.1 - 1)) < 1e-12);
  assert.equal(days[1].flow, 115);
  assert.equal(days[1].equity, 253.55);
});
