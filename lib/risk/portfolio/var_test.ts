import { equal, ok } from "node:assert/strict";
import fc from "fast-check";
import { historicalVar, parametricVar, portfolioPnl } from "./var.ts";
import { horizonReturns } from "./series.ts";
import { History } from "../../market/replay/history.ts";

const returns = fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), {
  minLength: 1,
  maxLength: 400,
});

Deno.test("historical VaR: the empirical quantile and the mean of the tail beyond it", () => {
  // Losses 1..100: the 95 % quantile is the 95th smallest, the tail is 95..100.
  const pnl = Array.from({ length: 100 }, (_, i) => -(i + 1));
  const r = historicalVar(pnl, 0.95)!;
  equal(r.var, 95);
  equal(r.cvar, (95 + 96 + 97 + 98 + 99 + 100) / 6);
  equal(historicalVar(pnl, 0.99)!.var, 99);
  equal(historicalVar([], 0.95), null);
});

Deno.test("VaR and CVaR grow with the confidence level, and CVaR ≥ VaR (property)", () => {
  fc.assert(
    fc.property(returns, fc.double({ min: 1, max: 1e6, noNaN: true }), (r, value) => {
      const pnl = portfolioPnl([r], [value]);
      const v95 = historicalVar(pnl, 0.95)!, v99 = historicalVar(pnl, 0.99)!;
      ok(v99.var >= v95.var, `${v99.var} < ${v95.var}`);
      ok(v95.cvar >= v95.var - 1e-9 && v99.cvar >= v99.var - 1e-9);
      ok(v99.cvar >= v95.cvar - 1e-9);
    }),
  );
});

Deno.test("parametric VaR grows with confidence and with horizon as √h (property)", () => {
  const series = fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), {
    minLength: 3,
    maxLength: 300,
  }).filter((r) => r.some((x) => x !== r[0]));
  fc.assert(
    fc.property(series, series, (a, b) => {
      const n = Math.min(a.length, b.length);
      const cols = [a.slice(0, n), b.slice(0, n)];
      const values = [10_000, 5_000];
      const p1 = parametricVar(cols, values, 0.95, 1)!;
      const p10 = parametricVar(cols, values, 0.95, 10)!;
      const q1 = parametricVar(cols, values, 0.99, 1)!;
      ok(q1.var >= p1.var);
      ok(p10.var >= p1.var);
      ok(Math.abs(p10.var - p1.var * Math.sqrt(10)) <= 1e-9 * Math.max(1, p10.var));
    }),
  );
});

Deno.test("historical VaR grows with horizon when every day loses (property)", () => {
  // Daily returns in [−d−e, −d+e] with 0 < e ≤ d − e: every 10-day loss is at least every 1-day
  // loss, so each quantile is too. Overlapping windows make no general promise, hence the class.
  const falling = fc.record({
    a: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
    e: fc.double({ min: 0, max: 1, noNaN: true }),
    noise: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
      minLength: 30,
      maxLength: 300,
    }),
  });
  fc.assert(
    fc.property(falling, ({ a, e, noise }) => {
      const spread = a * e, drift = a + spread;
      const closes = [100];
      for (const z of noise) closes.push(closes.at(-1)! * (1 - drift + spread * z));
      const v1 = historicalVar(portfolioPnl([horizonReturns(closes, 1)], [1000]), 0.95)!;
      const v10 = historicalVar(portfolioPnl([horizonReturns(closes, 10)], [1000]), 0.95)!;
      ok(v10.var >= v1.var, `${v10.var} < ${v1.var}`);
    }),
  );
});

Deno.test("on AAPL's shipped history the 10-day VaR is above the 1-day VaR", async () => {
  const s = await new History().series("AAPL");
  for (const c of [0.95, 0.99]) {
    const v1 = historicalVar(portfolioPnl([horizonReturns(s.close, 1)], [10_000]), c)!;
    const v10 = historicalVar(portfolioPnl([horizonReturns(s.close, 10)], [10_000]), c)!;
    ok(v10.var > v1.var, `${c}: ${v10.var} ≤ ${v1.var}`);
    ok(v1.var > 0);
  }
});

Deno.test("a short position's VaR comes from the up days", () => {
  const r = [0.01, -0.02, 0.05, 0.0, -0.01];
  const long = historicalVar(portfolioPnl([r], [100]), 0.99)!;
  const short = historicalVar(portfolioPnl([r], [-100]), 0.99)!;
  ok(Math.abs(long.var - 2) < 1e-12);
  ok(Math.abs(short.var - 5) < 1e-12);
});
