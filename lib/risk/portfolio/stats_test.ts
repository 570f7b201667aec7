import { equal, ok } from "node:assert/strict";
import fc from "fast-check";
import { beta, correlationMatrix, covariance } from "./stats.ts";
import { horizonReturns } from "./series.ts";
import { History } from "../../market/replay/history.ts";

Deno.test("the correlation matrix is symmetric with a unit diagonal and entries in [−1, 1]", () => {
  const col = (n: number) =>
    fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), {
      minLength: n,
      maxLength: n,
    });
  const matrix = fc.integer({ min: 2, max: 60 }).chain((n) =>
    fc.array(col(n), { minLength: 1, maxLength: 6 })
  );
  fc.assert(
    fc.property(matrix, (cols) => {
      const m = correlationMatrix(cols);
      equal(m.length, cols.length);
      for (let i = 0; i < m.length; i++) {
        equal(m[i][i], 1);
        for (let j = 0; j < m.length; j++) {
          equal(m[i][j], m[j][i]);
          if (m[i][j] !== null) ok(m[i][j]! >= -1 && m[i][j]! <= 1);
        }
      }
    }),
  );
});

Deno.test("perfectly related series correlate ±1", () => {
  const a = [0.01, -0.02, 0.03, 0.0, 0.015];
  const m = correlationMatrix([a, a.map((x) => 2 * x + 0.001), a.map((x) => -x)]);
  ok(Math.abs(m[0][1]! - 1) < 1e-12);
  ok(Math.abs(m[0][2]! + 1) < 1e-12);
  equal(correlationMatrix([a, [1, 1, 1, 1, 1]])[0][1], null);
});

Deno.test("the S&P 500's beta to itself is 1, and a 2× leveraged copy's is 2", async () => {
  const spx = await new History().series("SPX");
  const r = horizonReturns(spx.close, 1);
  ok(Math.abs(beta(r, r)! - 1) < 1e-12);
  ok(Math.abs(beta(r.map((x) => 2 * x), r)! - 2) < 1e-12);
  equal(beta(r, new Float64Array(r.length)), null);
});

Deno.test("covariance uses the n − 1 denominator", () => {
  equal(covariance([1, 2, 3, 4], [1, 2, 3, 4]), 5 / 3);
});
