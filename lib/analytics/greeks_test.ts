import assert from "node:assert/strict";
import fc from "fast-check";
import {
  bsGreeks,
  bsPrice,
  impliedVolatility,
  NoImpliedVolatilityError,
  normCdf,
  type OptionInput,
  OptionInputError,
  priceBounds,
  spotPricer,
} from "./greeks.ts";
import { normCdfPrecise, normCdfPrevious } from "./testing.ts";

function near(actual: number, expected: number, tolerance: number, what = "") {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );
}

Deno.test("normCdf matches published values of Φ to 1e-13 relative, far into the tails", () => {
  const table: [number, number][] = [
    [0, 0.5],
    [1, 0.8413447460685429],
    [1.96, 0.9750021048517795],
    [-1.96, 0.024997895148220435],
    [-3, 0.0013498980316300946],
    [-5, 2.866515718791939e-7],
    [-10, 7.619853024160527e-24],
    [-20, 2.7536241186062337e-89],
  ];
  for (const [x, p] of table) near(normCdf(x), p, 1e-13 * p, `Φ(${x})`);
  assert.equal(normCdf(-40), 0);
  assert.equal(normCdf(40), 1);
});

/** Φ(x) is a normal double (not subnormal) from here up. */
const NORMAL_FLOOR = -37.5;

function relativeError(actual: number, exact: number): number {
  return Math.abs(actual - exact) / exact;
}

Deno.test("normCdf is within 1e-12 relative of Φ computed in 30-digit decimals, x ≥ -37.5", () => {
  // Either side of where Cody's ranges meet (0.66291 and √32), a grid over the whole range,
  // and random points near the centre, where most prices are.
  const edges = [-5.656854249492381, -5.656854249492382, -0.66291, -0.6629101, 0.66291, 0];
  const grid = Array.from({ length: 46 }, (_, n) => NORMAL_FLOOR + n * 0.99 + 0.01);
  const centre = fc.sample(fc.double({ min: -8, max: 8, noNaN: true }), { numRuns: 40, seed: 21 });
  const samples = [...edges, ...grid, ...centre];
  for (const x of samples) {
    const exact = normCdfPrecise(x).toNumber();
    const error = relativeError(normCdf(x), exact);
    assert.ok(error <= 1e-12, `Φ(${x}) = ${normCdf(x)}, exactly ${exact}: relative ${error}`);
  }
});

Deno.test("normCdf agrees with the implementation it replaced to 1e-12 relative", () => {
  fc.assert(
    fc.property(fc.double({ min: NORMAL_FLOOR, max: 38.5, noNaN: true }), (x) => {
      const error = relativeError(normCdf(x), normCdfPrevious(x));
      assert.ok(error <= 1e-12, `Φ(${x}): ${normCdf(x)} vs ${normCdfPrevious(x)}`);
    }),
    { numRuns: 20_000 },
  );
});

Deno.test("normCdf in the far tails: published values, symmetry, and a monotone fade to 0", () => {
  // Φ(-x) for the lower tail (as R's pnorm and Wolfram give them).
  const table: [number, number][] = [
    [-6, 9.865876450376981e-10],
    [-8, 6.220960574271784e-16],
    [-30, 4.906713927148187e-198],
    [-37, 5.725571222524577e-300],
  ];
  for (const [x, p] of table) near(normCdf(x), p, 1e-13 * p, `Φ(${x})`);
  fc.assert(
    fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
      near(normCdf(x) + normCdf(-x), 1, 2e-16, `Φ(${x}) + Φ(${-x})`);
    }),
    { numRuns: 2_000 },
  );
  // Through the subnormals Φ keeps falling, never below 0 and never back up.
  let previous = normCdf(NORMAL_FLOOR);
  for (let x = NORMAL_FLOOR - 0.01; x > -39; x -= 0.01) {
    const p = normCdf(x);
    assert.ok(p >= 0 && p <= previous, `Φ(${x}) = ${p} after ${previous}`);
    previous = p;
  }
  assert.equal(normCdf(-38.5), 0);
  assert.ok(Number.isNaN(normCdf(NaN)));
  assert.equal(normCdf(-Infinity), 0);
  assert.equal(normCdf(Infinity), 1);
});

Deno.test("Hull's example: S=42, K=40, r=10 %, σ=20 %, T=0.5 gives call 4.76 and put 0.81", () => {
  const base = { spot: 42, strike: 40, years: 0.5, rate: 0.1, volatility: 0.2 };
  near(bsPrice({ ...base, type: "call" }), 4.76, 0.005, "call");
  near(bsPrice({ ...base, type: "put" }), 0.81, 0.005, "put");
});

Deno.test("Hull's Greeks example: S=49, K=50, r=5 %, σ=20 %, 20 weeks", () => {
  const g = bsGreeks({
    type: "call",
    spot: 49,
    strike: 50,
    years: 20 / 52,
    rate: 0.05,
    volatility: 0.2,
  });
  near(g.price, 2.40, 0.005, "price");
  near(g.delta, 0.522, 0.0005, "delta");
  near(g.gamma, 0.066, 0.0005, "gamma");
  near(g.theta * 365, -4.31, 0.005, "theta per year");
  near(g.theta, -4.31 / 365, 0.0001, "theta per day");
  near(g.vega, 0.121, 0.0005, "vega per vol point");
  near(g.rho, 0.0891, 0.00005, "rho per rate point");
});

Deno.test("Haug's generalized BSM examples with a dividend yield", () => {
  // Index put: S=100, K=95, T=0.5, r=10 %, q=5 %, σ=20 % → 2.4648.
  near(
    bsPrice({
      type: "put",
      spot: 100,
      strike: 95,
      years: 0.5,
      rate: 0.1,
      dividendYield: 0.05,
      volatility: 0.2,
    }),
    2.4648,
    0.00005,
    "index put",
  );
  // Delta with cost of carry 0 (q = r): call 0.5946, put -0.3566.
  const carry0 = { spot: 105, strike: 100, years: 0.5, rate: 0.1, dividendYield: 0.1 };
  near(bsGreeks({ ...carry0, type: "call", volatility: 0.36 }).delta, 0.5946, 0.00005, "Δc");
  near(bsGreeks({ ...carry0, type: "put", volatility: 0.36 }).delta, -0.3566, 0.00005, "Δp");
  // Gamma: S=55, K=60, T=0.75, r=b=10 %, σ=30 % → 0.0278.
  near(
    bsGreeks({ type: "call", spot: 55, strike: 60, years: 0.75, rate: 0.1, volatility: 0.3 })
      .gamma,
    0.0278,
    0.00005,
    "gamma",
  );
  // Put theta: S=430, K=405, T=0.0833, r=7 %, b=2 % (q=5 %), σ=20 % → -31.1924 per year.
  const theta = bsGreeks({
    type: "put",
    spot: 430,
    strike: 405,
    years: 0.0833,
    rate: 0.07,
    dividendYield: 0.05,
    volatility: 0.2,
  }).theta;
  near(theta * 365, -31.1924, 0.00005, "theta");
  // Call rho: S=72, K=75, T=1, r=b=9 %, σ=19 % → 38.7325 per unit rate.
  near(
    bsGreeks({ type: "call", spot: 72, strike: 75, years: 1, rate: 0.09, volatility: 0.19 }).rho *
      100,
    38.7325,
    0.00005,
    "rho",
  );
});

Deno.test("the Greeks agree with finite differences of the price", () => {
  const i: OptionInput = {
    type: "put",
    spot: 87,
    strike: 90,
    years: 0.4,
    rate: 0.03,
    dividendYield: 0.012,
    volatility: 0.31,
  };
  const g = bsGreeks(i);
  const at = (patch: Partial<OptionInput>) => bsPrice({ ...i, ...patch });
  const h = 1e-4;
  near(g.delta, (at({ spot: 87 + h }) - at({ spot: 87 - h })) / (2 * h), 1e-7, "delta");
  near(
    g.gamma,
    (at({ spot: 87 + 0.01 }) - 2 * g.price + at({ spot: 87 - 0.01 })) / 1e-4,
    1e-6,
    "gamma",
  );
  near(g.vega, (at({ volatility: 0.31 + h }) - at({ volatility: 0.31 - h })) / (2 * h) / 100, 1e-8);
  near(g.rho, (at({ rate: 0.03 + h }) - at({ rate: 0.03 - h })) / (2 * h) / 100, 1e-8, "rho");
  near(g.theta, -(at({ years: 0.4 + h }) - at({ years: 0.4 - h })) / (2 * h) / 365, 1e-8, "θ");
});

const optionArb = fc.record({
  spot: fc.double({ min: 1, max: 5_000, noNaN: true }),
  moneyness: fc.double({ min: 0.5, max: 2, noNaN: true }),
  years: fc.double({ min: 1 / 365, max: 5, noNaN: true }),
  rate: fc.double({ min: -0.01, max: 0.15, noNaN: true }),
  dividendYield: fc.double({ min: 0, max: 0.08, noNaN: true }),
  volatility: fc.double({ min: 0.01, max: 3, noNaN: true }),
});

Deno.test("put-call parity: C - P = S·e^(-qT) - K·e^(-rT)", () => {
  fc.assert(
    fc.property(optionArb, (o) => {
      const i = { ...o, strike: o.spot * o.moneyness };
      const call = bsPrice({ ...i, type: "call" });
      const put = bsPrice({ ...i, type: "put" });
      const forward = i.spot * Math.exp(-i.dividendYield * i.years) -
        i.strike * Math.exp(-i.rate * i.years);
      near(call - put, forward, 1e-9 * Math.max(i.spot, i.strike), "parity");
    }),
    { numRuns: 500 },
  );
});

Deno.test("implied volatility round-trips the price it was given", () => {
  fc.assert(
    fc.property(optionArb, fc.constantFrom("call" as const, "put" as const), (o, type) => {
      const i = { ...o, type, strike: o.spot * o.moneyness };
      const g = bsGreeks(i);
      const bounds = priceBounds(i);
      // Where the price carries no information about volatility, nothing can be recovered.
      fc.pre(g.price - bounds.lower > 1e-9 * i.spot && bounds.upper - g.price > 1e-9 * i.spot);
      const iv = impliedVolatility({ ...i, price: g.price });
      assert.ok(Number.isFinite(iv) && iv >= 0);
      near(bsPrice({ ...i, volatility: iv }), g.price, 1e-9 * i.spot, "price from iv");
      // With enough vega to resolve it, the volatility itself comes back.
      if (g.vega * 100 > 1e-3 * i.spot) near(iv, i.volatility, 1e-6, "volatility");
    }),
    { numRuns: 1_000 },
  );
});

Deno.test("implied volatility of Hull's example is 20 %", () => {
  const iv = impliedVolatility({
    type: "call",
    spot: 42,
    strike: 40,
    years: 0.5,
    rate: 0.1,
    price: 4.759422392871532,
  });
  near(iv, 0.2, 1e-10, "iv");
});

Deno.test("the wings give finite numbers: deep ITM/OTM, minutes to expiry, huge volatility", () => {
  const cases: OptionInput[] = [
    { type: "call", spot: 100, strike: 1e-6, years: 1, rate: 0.05, volatility: 0.2 },
    { type: "call", spot: 100, strike: 1e6, years: 1, rate: 0.05, volatility: 0.2 },
    { type: "put", spot: 100, strike: 100, years: 1e-9, rate: 0.05, volatility: 0.2 },
    { type: "put", spot: 100, strike: 100, years: 0, rate: 0.05, volatility: 0.2 },
    { type: "call", spot: 100, strike: 99, years: 0, rate: 0.05, volatility: 0.2 },
    { type: "call", spot: 100, strike: 100, years: 1, rate: 0.05, volatility: 0 },
    { type: "put", spot: 100, strike: 120, years: 1, rate: 0.05, volatility: 0 },
    { type: "call", spot: 100, strike: 100, years: 30, rate: 0.05, volatility: 20 },
  ];
  for (const i of cases) {
    const g = bsGreeks(i);
    for (const [name, value] of Object.entries(g)) {
      assert.ok(Number.isFinite(value), `${name} of ${JSON.stringify(i)} is ${value}`);
    }
  }
  // At expiry the option is its intrinsic value, with delta 1 in the money.
  const expiring = bsGreeks(cases[4]);
  near(expiring.price, 1, 1e-12, "expiring call");
  assert.equal(expiring.delta, 1);
  // A deep out-of-the-money option's tiny price still has a volatility.
  const otm = { type: "call" as const, spot: 100, strike: 200, years: 0.05, rate: 0.01 };
  const tiny = bsPrice({ ...otm, volatility: 0.3 });
  assert.ok(tiny > 0 && tiny < 1e-20);
  near(impliedVolatility({ ...otm, price: tiny }), 0.3, 1e-9, "deep OTM iv");
  // A price at the intrinsic floor is zero volatility, not NaN.
  assert.equal(
    impliedVolatility({ type: "call", spot: 100, strike: 50, years: 0, rate: 0, price: 50 }),
    0,
  );
});

Deno.test("no volatility fits a price below intrinsic or at/above the cap: a clear error", () => {
  const base = { type: "call" as const, spot: 100, strike: 90, years: 0.5, rate: 0 };
  assert.throws(
    () => impliedVolatility({ ...base, price: 5 }),
    (e: unknown) =>
      e instanceof NoImpliedVolatilityError &&
      /below the option's intrinsic value 10/.test(e.message),
  );
  assert.throws(
    () => impliedVolatility({ ...base, price: 100 }),
    (e: unknown) => e instanceof NoImpliedVolatilityError && /at or above/.test(e.message),
  );
  assert.throws(
    () => impliedVolatility({ ...base, years: 0, price: 12 }),
    NoImpliedVolatilityError,
  );
  assert.throws(
    () => impliedVolatility({ ...base, type: "put", price: 95 }),
    NoImpliedVolatilityError,
  );
});

Deno.test("invalid inputs throw OptionInputError naming the field", () => {
  const ok: OptionInput = {
    type: "call",
    spot: 100,
    strike: 100,
    years: 1,
    rate: 0.05,
    volatility: 0.2,
  };
  const bad: [Partial<OptionInput> | Record<string, unknown>, RegExp][] = [
    [{ spot: -1 }, /spot/],
    [{ spot: 0 }, /spot/],
    [{ strike: NaN }, /strike/],
    [{ years: -0.1 }, /years/],
    [{ volatility: -0.2 }, /volatility/],
    [{ volatility: NaN }, /volatility/],
    [{ rate: Infinity }, /rate/],
    [{ dividendYield: NaN }, /dividendYield/],
    [{ type: "straddle" }, /type/],
  ];
  for (const [patch, field] of bad) {
    const input = { ...ok, ...patch } as OptionInput;
    assert.throws(
      () => bsPrice(input),
      (e: unknown) => e instanceof OptionInputError && field.test((e as Error).message),
    );
    assert.throws(() => bsGreeks(input), OptionInputError);
  }
  assert.throws(
    () => impliedVolatility({ type: "put", spot: 100, strike: 100, years: 1, rate: 0, price: -1 }),
    (e: unknown) => e instanceof OptionInputError && /price/.test((e as Error).message),
  );
});

Deno.test("spotPricer prices like bsPrice at every spot, and takes the limits at a spot of 0", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("call" as const, "put" as const),
      fc.double({ min: 1, max: 500, noNaN: true }),
      fc.double({ min: 1, max: 500, noNaN: true }),
      fc.double({ min: 0, max: 3, noNaN: true }),
      fc.double({ min: 0, max: 1.5, noNaN: true }),
      fc.double({ min: -0.01, max: 0.1, noNaN: true }),
      (type, spot, strike, years, volatility, rate) => {
        const input = { type, strike, years, rate, volatility, dividendYield: 0.01 };
        const price = spotPricer(input)(spot);
        near(price, bsPrice({ ...input, spot }), 1e-9 * Math.max(spot, strike), "price");
      },
    ),
  );
  const input = { strike: 100, years: 0.5, rate: 0.03, volatility: 0.3 };
  assert.equal(spotPricer({ ...input, type: "call" })(0), 0);
  near(spotPricer({ ...input, type: "put" })(0), 100 * Math.exp(-0.015), 1e-12, "put at 0");
  assert.throws(() => spotPricer({ ...input, type: "put", volatility: -1 }), OptionInputError);
});

/** BSM with each Φ and φ computed on its own: what `bsGreeks` computed before it shared them. */
function greeksEachAlone(i: OptionInput) {
  const { spot: s, strike: k, years: t, rate: r, volatility: v } = i;
  const q = i.dividendYield ?? 0;
  const sq = s * Math.exp(-q * t);
  const kr = k * Math.exp(-r * t);
  const sigT = v * Math.sqrt(t);
  const d1 = (Math.log(s / k) + (r - q) * t) / sigT + sigT / 2;
  const d2 = d1 - sigT;
  const pdf = Math.exp(-0.5 * d1 * d1) / Math.sqrt(2 * Math.PI);
  const sign = i.type === "call" ? 1 : -1;
  const n1 = normCdf(sign * d1);
  const n2 = normCdf(sign * d2);
  return {
    price: sign * (sq * n1 - kr * n2),
    delta: sign * Math.exp(-q * t) * n1,
    gamma: Math.exp(-q * t) * pdf / (s * sigT),
    theta: (-sq * pdf * v / (2 * Math.sqrt(t)) - sign * r * kr * n2 + sign * q * sq * n1) / 365,
    vega: sq * pdf * Math.sqrt(t) / 100,
    rho: sign * k * t * Math.exp(-r * t) * n2 / 100,
  };
}

Deno.test("d2's Gaussian derived from d1's changes no price or Greek beyond 1e-12", () => {
  fc.assert(
    fc.property(optionArb, fc.boolean(), (o, call) => {
      const i: OptionInput = {
        type: call ? "call" : "put",
        spot: o.spot,
        strike: o.spot * o.moneyness,
        years: o.years,
        rate: o.rate,
        dividendYield: o.dividendYield,
        volatility: o.volatility,
      };
      const got = bsGreeks(i);
      const want = greeksEachAlone(i);
      for (const key of ["price", "delta", "gamma", "theta", "vega", "rho"] as const) {
        // Relative, with a floor (1e-15 of the spot) for figures that are themselves ~0.
        const scale = Math.max(Math.abs(want[key]), o.spot * 1e-3);
        near(got[key], want[key], 1e-12 * scale, key);
      }
    }),
    { numRuns: 2_000 },
  );
});

Deno.test("where d1's Gaussian underflows or goes subnormal, d2's is computed itself", () => {
  // Spot 1e300 against strike 1e-4: d1 is so far out that e^(-d1²/2) is 0 (vol 29.1) or
  // subnormal (vol 29.5), while the put still has a (tiny) price through d2.
  for (const volatility of [29.1, 29.5]) {
    const i: OptionInput = {
      type: "put",
      spot: 1e300,
      strike: 1e-4,
      years: 1,
      rate: 0,
      volatility,
    };
    const got = bsGreeks(i).price;
    const want = greeksEachAlone(i).price;
    assert.ok(want > 0, `a price at vol ${volatility}`);
    near(got, want, 1e-12 * want, `put price at vol ${volatility}`);
  }
});

Deno.test("inputs that make d1 NaN give NaN Greeks, not zeros", () => {
  const g = bsGreeks({
    type: "call",
    spot: 100,
    strike: 100,
    years: 1e20,
    rate: 1e300,
    volatility: 1e300,
  });
  for (const key of ["gamma", "vega"] as const) assert.ok(Number.isNaN(g[key]), key);
});
