/**
 * Option evaluations per second (`deno bench -A bench/greeks_bench.ts`): one iteration prices
 * a 1,000-contract chain (calls and puts on strikes 50–150 around a spot of 100, 30 days), so
 * evaluations/s = 1,000 × the iterations/s deno bench reports.
 *
 * On the 2-core development machine, shared with other work, so averages swing with the load
 * and the minimum time per iteration is the steadier figure. Avg / min per iteration:
 *
 * | benchmark                        | continued-fraction tails | Cody's rational ranges |
 * | -------------------------------- | ------------------------ | ---------------------- |
 * | (load average)                   | 1.7                      | 12.7                   |
 * | bsGreeks × 1,000                 | 342 µs / 282 µs          | 365 µs / 104 µs        |
 * | impliedVolatility × 1,000        | 4.9 ms / 4.4 ms          | 1.7 ms / 423 µs        |
 * | impliedVolatility, σ off grid    | —                        | 2.4 ms / 653 µs        |
 *
 * At the minimum: 3.5 M → 9.7 M Greeks/s, 0.23 M → 2.4 M (1.5 M off grid) solves/s.
 *
 * Then d2's e^(-d²/2) came from d1's (a product, not an exponential; lib/shared/greeks.ts),
 * 2026-12-05, same command, three runs of each alternated on a quiet machine, avg / min:
 *
 * | benchmark                        | before           | after            |
 * | -------------------------------- | ---------------- | ---------------- |
 * | bsGreeks × 1,000                 | 109 µs / 102 µs  | 94 µs / 87 µs    |
 * | impliedVolatility × 1,000        | 447 µs / 417 µs  | 409 µs / 378 µs  |
 * | impliedVolatility, σ off grid    | 688 µs / 643 µs  | 610 µs / 569 µs  |
 *
 * On average 9.2 M → 10.7 M Greeks/s and 2.2 M → 2.4 M solves/s (1.5 M → 1.6 M off grid).
 */
import { bsGreeks, bsPrice, impliedVolatility } from "../lib/analytics/greeks.ts";

const CHAIN = 1_000;
const inputs = Array.from({ length: CHAIN }, (_, n) => ({
  type: n % 2 === 0 ? "call" as const : "put" as const,
  spot: 100,
  strike: 50 + (n >> 1) * 0.2,
  years: 30 / 365,
  rate: 0.04,
  dividendYield: 0.01,
  volatility: 0.25,
}));
const prices = inputs.map((i) => bsPrice(i));

Deno.bench("bsPrice × 1,000 contracts", { group: "greeks", baseline: true }, () => {
  let sum = 0;
  for (const i of inputs) sum += bsPrice(i);
  if (!(sum > 0)) throw new Error("no prices");
});

Deno.bench("bsGreeks × 1,000 contracts", { group: "greeks" }, () => {
  let sum = 0;
  for (const i of inputs) sum += bsGreeks(i).delta;
  if (Number.isNaN(sum)) throw new Error("NaN");
});

Deno.bench("impliedVolatility × 1,000 contracts", { group: "greeks" }, () => {
  let sum = 0;
  for (let n = 0; n < CHAIN; n++) {
    try {
      sum += impliedVolatility({ ...inputs[n], price: prices[n] });
    } catch {
      // Deep in-the-money contracts priced at their floor have no volatility to recover.
    }
  }
  if (Number.isNaN(sum)) throw new Error("NaN");
});

// σ = 0.25 is a midpoint of the solver's first bisections, which flatters it; a volatility off
// that grid shows the usual number of steps.
const offGrid = inputs.map((i) => ({ ...i, volatility: 0.2345 }));
const offGridPrices = offGrid.map((i) => bsPrice(i));

Deno.bench("impliedVolatility × 1,000 contracts, σ off the bisection grid", {
  group: "greeks",
}, () => {
  let sum = 0;
  for (let n = 0; n < CHAIN; n++) {
    sum += impliedVolatility({ ...offGrid[n], price: offGridPrices[n] });
  }
  if (Number.isNaN(sum)) throw new Error("NaN");
});
