/**
 * Payoff curves per second (`deno bench -A bench/options_payoff_bench.ts`): one iteration
 * values a 4-leg iron condor at 500 prices on 10 dates before expiry (20,000 Black-Scholes
 * prices), so curve sets/s = the iterations/s deno bench reports, and option values/s = 20,000
 * times that. The second bench adds what an analysis costs besides the curves (breakevens,
 * max profit/loss, probability of profit, Greeks).
 *
 * Measured on the shared 2-core machine (load average 2.7, Deno 2.9.6): 1.8 ms avg / 1.6 ms min
 * per iteration, 548 curve sets/s (about 11 M option values/s); a full analysis 135 µs avg.
 */
import { analyze, type Leg, pnlCurves } from "../lib/risk/options/strategy.ts";

const YEARS = 45 / 365;
const leg = (type: "call" | "put", side: "buy" | "sell", strike: number, premium: number) => ({
  type,
  side,
  strike,
  years: YEARS,
  quantity: 1,
  premium,
  iv: 0.28 + (strike - 100) * 0.001,
});
const CONDOR: Leg[] = [
  leg("put", "buy", 85, 0.6),
  leg("put", "sell", 92, 1.5),
  leg("call", "sell", 108, 1.3),
  leg("call", "buy", 115, 0.5),
];
const PRICES = Array.from({ length: 500 }, (_, i) => 60 + i * 0.16);
const HORIZONS = Array.from({ length: 10 }, (_, i) => (YEARS * i) / 10);
const scenario = { spot: 100, rate: 0.01, ivShift: 0.02 };

let sink = 0;
Deno.bench("payoff curves: 4 legs × 500 prices × 10 dates", () => {
  const curves = pnlCurves(CONDOR, PRICES, HORIZONS, scenario);
  sink += curves[9][250];
});

Deno.bench("full analysis (breakevens, extremes, PoP, Greeks) of the same condor", () => {
  sink += analyze(CONDOR, scenario).probabilityOfProfit;
});

globalThis.addEventListener("unload", () => {
  if (Number.isNaN(sink)) console.log(sink);
});
