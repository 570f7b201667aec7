import assert from "node:assert/strict";
import fc from "fast-check";
import { maxDrawdown, sharpe, sortino } from "./stats.ts";

Deno.test("a flat series has no Sharpe or Sortino: null with a reason, not NaN", () => {
  for (const f of [sharpe, sortino]) {
    const flat = f([0.001, 0.001, 0.001, 0.001]);
    assert.equal(flat.value, null);
    assert.ok(flat.reason);
    assert.equal(f([]).value, null);
    assert.equal(f([0.02]).value, null);
  }
  assert.equal(sortino([0.01, 0.02, 0]).value, null, "no losing day");
});

Deno.test("Sharpe and Sortino by hand", () => {
  // r = [0.02, −0.01]: mean 0.005, sample sd = √((0.015² + 0.015²) / 1) = 0.0212132,
  // Sharpe = 0.005 / 0.0212132 × √252 = 3.741657; downside = √(0.01² / 2) = 0.00707107,
  // Sortino = 0.005 / 0.00707107 × √252 = 11.224972.
  assert.ok(Math.abs(sharpe([0.02, -0.01]).value! - 3.741657) < 1e-6);
  assert.ok(Math.abs(sortino([0.02, -0.01]).value! - 11.224972) < 1e-6);
});

Deno.test("Sharpe and Sortino are always finite or null (property)", () => {
  fc.assert(fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true })), (rs) => {
    for (const f of [sharpe, sortino]) {
      const v = f(rs).value;
      assert.ok(v === null || Number.isFinite(v));
    }
  }));
});

Deno.test("max drawdown: depth, peak, trough and recovery", () => {
  // Peaks at 120 (index 1), falls to 90 (index 3): 1 − 90/120 = 0.25; back to 120 at index 5.
  const dd = maxDrawdown([100, 120, 110, 90, 100, 120, 80 / 0.7]);
  assert.ok(Math.abs(dd!.depth - 0.25) < 1e-12);
  assert.equal(dd!.peak, 1);
  assert.equal(dd!.trough, 3);
  assert.equal(dd!.recovery, 5);
  assert.deepEqual(maxDrawdown([1, 2, 3]), { depth: 0, peak: null, trough: null, recovery: null });
  assert.equal(maxDrawdown([1]), null);
  assert.equal(maxDrawdown([100, 95])!.recovery, null);
});

Deno.test("drawdown depth is in [0, 1) and never above the fall from the first value's peak", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0.01, max: 1000, noNaN: true }), { minLength: 2 }),
      (w) => {
        const dd = maxDrawdown(w)!;
        assert.ok(dd.depth >= 0 && dd.depth < 1);
        if (dd.peak !== null) {
          assert.ok(Math.abs(1 - w[dd.trough!] / w[dd.peak] - dd.depth) < 1e-12);
          assert.ok(dd.peak < dd.trough!);
        }
      },
    ),
  );
});
