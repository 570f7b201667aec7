import assert from "node:assert/strict";
import fc from "fast-check";
import { backoffDelay } from "./backoff.ts";

Deno.test("backoff doubles from the base and stops at the maximum", () => {
  assert.deepEqual(
    [1, 2, 3, 4, 11].map((n) => backoffDelay(n, { baseMs: 100, maxMs: 1000 })),
    [100, 200, 400, 800, 1000],
  );
  // Without a cap it keeps doubling.
  assert.equal(backoffDelay(11, { baseMs: 100 }), 102_400);
  // A first attempt (0) or a fraction counts as the first retry.
  assert.equal(backoffDelay(0, { baseMs: 100 }), 100);
  assert.equal(backoffDelay(2.7, { baseMs: 100 }), 200);
});

Deno.test("full jitter spans [0, d) and equal jitter [d/2, d) of the capped delay", () => {
  const at = (r: number) => () => r;
  const o = { baseMs: 100, maxMs: 1000 };
  assert.equal(backoffDelay(3, { ...o, jitter: "full", random: at(0) }), 0);
  assert.equal(backoffDelay(3, { ...o, jitter: "full", random: at(0.5) }), 200);
  assert.equal(backoffDelay(3, { ...o, jitter: "equal", random: at(0) }), 200);
  assert.equal(backoffDelay(3, { ...o, jitter: "equal", random: at(0.5) }), 300);
  assert.equal(backoffDelay(9, { ...o, jitter: "equal", random: at(0.999) }), 999.5);
});

Deno.test("a jittered delay never exceeds the exact one nor falls below its jitter floor", () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 60 }),
    fc.integer({ min: 1, max: 10_000 }),
    fc.integer({ min: 0, max: 100_000 }),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    (retry, baseMs, extra, r) => {
      const o = { baseMs, maxMs: baseMs + extra, random: () => r };
      const exact = backoffDelay(retry, o);
      assert.ok(exact >= baseMs && exact <= o.maxMs);
      const full = backoffDelay(retry, { ...o, jitter: "full" });
      const equal = backoffDelay(retry, { ...o, jitter: "equal" });
      assert.ok(full >= 0 && full <= exact);
      assert.ok(equal >= exact / 2 && equal <= exact);
    },
  ));
});

Deno.test("a base that is not positive or a cap below the base is refused", () => {
  assert.throws(() => backoffDelay(1, { baseMs: 0 }), RangeError);
  assert.throws(() => backoffDelay(1, { baseMs: Number.NaN }), RangeError);
  assert.throws(() => backoffDelay(1, { baseMs: 100, maxMs: 50 }), RangeError);
});
