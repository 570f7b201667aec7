import assert from "node:assert/strict";
import fc from "fast-check";
import { atrSized, fixedFractional, kelly, SizingError, volatilityTarget } from "./sizing.ts";

Deno.test("fixed fractional: 1 % of $100,000 to a $5 stop is 200 shares, $1,000 at the stop", () => {
  const r = fixedFractional({ equity: 100_000, entry: 50, stop: 45, riskPercent: 1, side: "buy" });
  assert.equal(r.shares, 200);
  assert.equal(r.value, 10_000);
  assert.equal(r.percentOfEquity, 10);
  assert.equal(r.lossAtStop, 1_000);
  assert.match(r.formula, /\$1000\.00 at risk/);
});

Deno.test("fixed fractional never risks more than asked (property)", () => {
  fc.assert(fc.property(
    fc.double({ min: 1_000, max: 1e7, noNaN: true }),
    fc.double({ min: 1, max: 1_000, noNaN: true }),
    fc.double({ min: 0.001, max: 0.5, noNaN: true }),
    fc.double({ min: 0.1, max: 5, noNaN: true }),
    (equity, entry, stopFraction, riskPercent) => {
      const stop = entry * (1 - stopFraction);
      const r = fixedFractional({ equity, entry, stop, riskPercent, side: "buy" });
      const budget = equity * riskPercent / 100;
      // Whole shares rounded down: at most the budget, and one more share would exceed it.
      return r.shares * (entry - stop) <= budget + 1e-6 &&
        (r.shares + 1) * (entry - stop) > budget - 1e-6;
    },
  ));
});

Deno.test("a stop on the wrong side is refused with a reason", () => {
  assert.throws(
    () => fixedFractional({ equity: 1e5, entry: 50, stop: 55, riskPercent: 1, side: "buy" }),
    (e) => e instanceof SizingError && /below the entry/.test(e.message),
  );
  const short = fixedFractional({ equity: 1e5, entry: 50, stop: 55, riskPercent: 1, side: "sell" });
  assert.equal(short.shares, 200);
});

Deno.test("ATR sizing puts the stop multiple × ATR away", () => {
  const r = atrSized({
    equity: 100_000,
    entry: 100,
    atr: 2.5,
    atrMultiple: 2,
    riskPercent: 1,
    side: "buy",
  });
  assert.equal(r.stop, 95);
  assert.equal(r.shares, 200);
  assert.equal(r.lossAtStop, 1_000);
});

Deno.test("volatility target: half the target's volatility means double the position", () => {
  const r = volatilityTarget({ equity: 100_000, entry: 100, volatility: 20, targetVolatility: 10 });
  assert.equal(r.value, 50_000);
  assert.equal(r.shares, 500);
  assert.equal(r.stop, null);
  const calmer = volatilityTarget({
    equity: 100_000,
    entry: 100,
    volatility: 10,
    targetVolatility: 10,
  });
  assert.equal(calmer.shares, 1_000);
});

Deno.test("Kelly is used at half, and says so when there is no edge", () => {
  const r = kelly({ equity: 100_000, entry: 100, winRate: 0.55, payoffRatio: 1.5 });
  assert.ok(Math.abs(r.kellyFraction - (0.55 - 0.45 / 1.5)) < 1e-12);
  assert.ok(Math.abs(r.usedFraction - r.kellyFraction / 2) < 1e-12);
  assert.equal(r.shares, Math.floor(100_000 * r.usedFraction / 100));
  const none = kelly({ equity: 100_000, entry: 100, winRate: 0.4, payoffRatio: 1 });
  assert.equal(none.shares, 0);
  assert.match(none.formula, /no edge/);
});
