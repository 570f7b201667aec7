/**
 * Black-Scholes-Merton pricing of European options with a continuous dividend yield, the
 * Greeks, and an implied-volatility solver.
 *
 * ```ts
 * const input = { type: "call", spot: 42, strike: 40, years: 0.5, rate: 0.1, volatility: 0.2 };
 * bsPrice(input); // 4.759…
 * impliedVolatility({ ...input, price: 4.76 }); // ≈ 0.2
 * ```
 *
 * Conventions: theta is per calendar day (per-year theta / 365), vega per volatility point
 * (0.01), rho per percentage point of the rate (0.01). At expiry or with zero volatility the
 * option is worth its discounted intrinsic value and the Greeks take their limits, so nothing
 * here returns NaN for valid inputs.
 *
 * @module
 */

export interface OptionInput {
  type: "call" | "put";
  /** Price of the underlying. */
  spot: number;
  strike: number;
  /** Time to expiry in years (0 = expiring now). */
  years: number;
  /** Continuously compounded risk-free rate, as a fraction (0.05 = 5 %). */
  rate: number;
  /** Continuous dividend yield, as a fraction; 0 when omitted. */
  dividendYield?: number;
  /** Annualised volatility, as a fraction (0.2 = 20 %). */
  volatility: number;
}

export interface OptionGreeks {
  price: number;
  delta: number;
  gamma: number;
  /** Change in price per calendar day that passes. */
  theta: number;
  /** Change in price per volatility point (0.01). */
  vega: number;
  /** Change in price per percentage point of the rate (0.01). */
  rho: number;
}

/** Input that is not a valid option (negative spot, NaN volatility, unknown type, …). */
export class OptionInputError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "OptionInputError";
  }
}

/** No volatility reproduces the given price: it is below the no-arbitrage floor or at/above the cap. */
export class NoImpliedVolatilityError extends Error {
  constructor(
    message: string,
    readonly bounds: { lower: number; upper: number },
  ) {
    super(message);
    this.name = "NoImpliedVolatilityError";
  }
}

const DAYS_PER_YEAR = 365;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density. */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Standard normal cumulative distribution, to about 1e-14 relative in both tails: Hart's
 * rational approximation (1968) near the centre, and beyond |x| = 3 the continued fraction of
 * Mills' ratio evaluated to convergence (Lentz). The tail is computed directly rather than as
 * 1 - Φ, which is what keeps deep out-of-the-money prices and the solver meaningful.
 */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = Math.abs(x);
  let tail: number;
  if (z > 38.5) {
    tail = 0; // below the smallest double
  } else if (z < 3) {
    const num = (((((3.52624965998911e-2 * z + 0.700383064443688) * z + 6.37396220353165) * z +
                  33.912866078383) * z + 112.079291497871) * z + 221.213596169931) * z +
      220.206867912376;
    const den = ((((((8.83883476483184e-2 * z + 1.75566716318264) * z + 16.064177579207) * z +
                      86.7807322029461) * z + 296.564248779674) * z + 637.333633378831) * z +
          793.826512519948) * z + 440.413735824752;
    tail = Math.exp(-0.5 * z * z) * num / den;
  } else {
    tail = normPdf(z) / millsDenominator(z);
  }
  return x > 0 ? 1 - tail : tail;
}

/** z + 1/(z + 2/(z + 3/(z + …))), i.e. φ(z)/Q(z), by the modified Lentz method (z ≥ 3). */
function millsDenominator(z: number): number {
  let f = z;
  let c = z;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    d = 1 / (z + n * d);
    c = z + n / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}

function check(name: string, value: unknown, ok: (v: number) => boolean, rule: string): void {
  if (typeof value !== "number" || Number.isNaN(value) || !ok(value)) {
    throw new OptionInputError(`${name} must be ${rule} (got ${String(value)})`);
  }
}

function validate(i: Omit<OptionInput, "volatility"> & { volatility?: number }): void {
  if (i.type !== "call" && i.type !== "put") {
    throw new OptionInputError(`type must be "call" or "put" (got ${String(i.type)})`);
  }
  const finite = Number.isFinite;
  check("spot", i.spot, (v) => finite(v) && v > 0, "a positive number");
  check("strike", i.strike, (v) => finite(v) && v > 0, "a positive number");
  check("years", i.years, (v) => finite(v) && v >= 0, "a non-negative number");
  check("rate", i.rate, finite, "a finite number");
  if (i.dividendYield !== undefined) {
    check("dividendYield", i.dividendYield, finite, "a finite number");
  }
  if ("volatility" in i) {
    check("volatility", i.volatility, (v) => finite(v) && v >= 0, "a non-negative number");
  }
}

/** Everything price and Greeks share, computed once. */
function evaluate(i: OptionInput): OptionGreeks {
  const { spot: s, strike: k, years: t, rate: r, volatility: sigma } = i;
  const q = i.dividendYield ?? 0;
  const call = i.type === "call";
  const dq = Math.exp(-q * t);
  const dr = Math.exp(-r * t);
  const sq = s * dq; // spot less the dividends paid before expiry, in today's money
  const kr = k * dr; // strike in today's money
  const sigT = sigma * Math.sqrt(t);

  if (!(sigT > 0)) {
    // No uncertainty left: the option is a forward if in the money, worthless otherwise.
    const itm = call ? sq > kr : kr > sq;
    if (!itm) return { price: 0, delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0 };
    const sign = call ? 1 : -1;
    return {
      price: sign * (sq - kr),
      delta: sign * dq,
      gamma: 0,
      theta: t > 0 ? sign * (q * sq - r * kr) / DAYS_PER_YEAR : 0,
      vega: 0,
      rho: sign * k * t * dr / 100,
    };
  }

  const d1 = (Math.log(s / k) + (r - q) * t) / sigT + sigT / 2;
  const d2 = d1 - sigT;
  const pdf = normPdf(d1);
  const decay = -sq * pdf * sigma / (2 * Math.sqrt(t));
  const gamma = dq * pdf / (s * sigT);
  const vega = sq * pdf * Math.sqrt(t) / 100;
  if (call) {
    const n1 = normCdf(d1);
    const n2 = normCdf(d2);
    return {
      price: Math.max(0, sq * n1 - kr * n2),
      delta: dq * n1,
      gamma,
      theta: (decay - r * kr * n2 + q * sq * n1) / DAYS_PER_YEAR,
      vega,
      rho: k * t * dr * n2 / 100,
    };
  }
  const m1 = normCdf(-d1);
  const m2 = normCdf(-d2);
  return {
    price: Math.max(0, kr * m2 - sq * m1),
    delta: -dq * m1,
    gamma,
    theta: (decay + r * kr * m2 - q * sq * m1) / DAYS_PER_YEAR,
    vega,
    rho: -k * t * dr * m2 / 100,
  };
}

/** The Black-Scholes-Merton price. Throws `OptionInputError` on invalid input. */
export function bsPrice(i: OptionInput): number {
  validate(i);
  return evaluate(i).price;
}

/** Price and Greeks (theta per day, vega per vol point, rho per rate point). */
export function bsGreeks(i: OptionInput): OptionGreeks {
  validate(i);
  return evaluate(i);
}

/** No-arbitrage bounds of a European option's price: discounted intrinsic value and its cap. */
export function priceBounds(i: Omit<OptionInput, "volatility">): { lower: number; upper: number } {
  const q = i.dividendYield ?? 0;
  const sq = i.spot * Math.exp(-q * i.years);
  const kr = i.strike * Math.exp(-i.rate * i.years);
  return i.type === "call"
    ? { lower: Math.max(0, sq - kr), upper: sq }
    : { lower: Math.max(0, kr - sq), upper: kr };
}

/** Highest volatility searched (10 000 %): beyond it a price is indistinguishable from the cap. */
export const MAX_VOLATILITY = 100;
const MAX_ITERATIONS = 200;

/**
 * The volatility at which `bsPrice` equals `price`: Newton's method on vega, kept inside a
 * bracket that shrinks every step and falling back to bisection whenever Newton would leave it
 * or vega vanishes (deep in or out of the money, days to expiry). Returns 0 for a price at the
 * intrinsic floor. Throws `NoImpliedVolatilityError` for a price below the floor or at/above
 * the cap, and `OptionInputError` for invalid input.
 */
export function impliedVolatility(i: Omit<OptionInput, "volatility"> & { price: number }): number {
  validate(i);
  check("price", i.price, (v) => Number.isFinite(v) && v >= 0, "a non-negative number");
  const bounds = priceBounds(i);
  const target = i.price;
  // Floating-point noise on the intrinsic part of an in-the-money price; an out-of-the-money
  // option has no intrinsic part, so even a price of 1e-20 still carries a volatility.
  const floorTol = bounds.lower > 0 ? 1e-12 * Math.max(i.spot, i.strike) : 0;
  const capTol = 1e-12 * Math.max(i.spot, i.strike);
  if (target < bounds.lower - floorTol) {
    throw new NoImpliedVolatilityError(
      `price ${target} is below the option's intrinsic value ${round(bounds.lower)}`,
      bounds,
    );
  }
  if (target >= bounds.upper - capTol) {
    throw new NoImpliedVolatilityError(
      `price ${target} is at or above the most the option can be worth, ${round(bounds.upper)}`,
      bounds,
    );
  }
  if (i.years === 0) {
    if (Math.abs(target - bounds.lower) > floorTol) {
      throw new NoImpliedVolatilityError(
        `an expiring option is worth its intrinsic value ${round(bounds.lower)}, not ${target}`,
        bounds,
      );
    }
    return 0;
  }
  if (target <= bounds.lower + floorTol) return 0;

  const at = (volatility: number) => evaluate({ ...i, volatility });
  let lo = 0;
  let hi = 1;
  while (at(hi).price < target) {
    lo = hi;
    hi *= 2;
    if (hi > MAX_VOLATILITY) {
      throw new NoImpliedVolatilityError(
        `price ${target} needs a volatility above ${MAX_VOLATILITY * 100} %`,
        bounds,
      );
    }
  }

  // Start where the inflection of price in volatility lies: from there Newton converges
  // monotonically (Manaster & Koehler), and bisection guards the rest.
  const forwardRatio = Math.log(i.spot / i.strike) + (i.rate - (i.dividendYield ?? 0)) * i.years;
  let sigma = Math.sqrt(2 * Math.abs(forwardRatio) / i.years);
  if (!(sigma > lo && sigma < hi)) sigma = (lo + hi) / 2;

  for (let n = 0; n < MAX_ITERATIONS; n++) {
    const g = at(sigma);
    const diff = g.price - target;
    if (Math.abs(diff) <= 1e-13 * target || hi - lo <= 1e-15 * hi) {
      return sigma;
    }
    if (diff > 0) hi = sigma;
    else lo = sigma;
    const vega = g.vega * 100;
    const next = sigma - diff / vega;
    sigma = vega > 0 && next > lo && next < hi ? next : (lo + hi) / 2;
  }
  return sigma;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
