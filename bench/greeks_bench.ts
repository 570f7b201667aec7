/**
 * Option evaluations per second (`deno bench -A bench/greeks_bench.ts`): one iteration prices
 * a 1,000-contract chain (calls and puts over a strike ladder), so evaluations/s = 1,000 × the
 * iterations/s deno bench reports.
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
