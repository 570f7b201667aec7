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

/** Standard normal density. */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
}

/**
 * Standard normal cumulative distribution to about 1e-15 relative over the whole range where
 * the result is a normal double (x > -37.5; below it the tail fades through the subnormals to
 * 0 at -38.5). W. J. Cody's rational Chebyshev approximations (Math. Comp. 1969, and his
 * SPECFUN ANORM), in three ranges of |x|: Φ itself near the centre, and beyond it the tail
 * Q(|x|) = 1 - Φ(|x|) as e^(-x²/2) times a rational function, in x up to √32 and in 1/x² past
 * it. The tail is never formed as 1 - Φ, which keeps deep out-of-the-money prices meaningful;
 * every range costs a few dozen flops, so a wide chain is no slower than an at-the-money one.
 */
export function normCdf(x: number): number {
  const z = x < 0 ? -x : x;
  return cdfWith(x, z > CENTRE_END && z < UNDERFLOW ? gaussTail(z) : 0);
}

/**
 * Φ(x) given `g` = e^(-x²/2) to full precision (read only outside the centre range): the Greeks
 * already have it for d1, and for d2 from d1's (see `evaluate`), so no exponential is paid twice.
 */
function cdfWith(x: number, g: number): number {
  const z = x < 0 ? -x : x;
  if (z <= CENTRE_END) {
    // Φ(x) = 1/2 + x·R(x²): an odd function around the centre, no exponential needed.
    const s = x * x;
    const num = (((A[4] * s + A[0]) * s + A[1]) * s + A[2]) * s + A[3];
    const den = (((s + B[0]) * s + B[1]) * s + B[2]) * s + B[3];
    return 0.5 + x * num / den;
  }
  let tail: number;
  if (z <= MIDDLE_END) {
    const num = (((((((C[8] * z + C[0]) * z + C[1]) * z + C[2]) * z + C[3]) * z + C[4]) * z +
              C[5]) * z + C[6]) * z + C[7];
    const den = (((((((z + D[0]) * z + D[1]) * z + D[2]) * z + D[3]) * z + D[4]) * z + D[5]) *
            z + D[6]) * z + D[7];
    tail = g * num / den;
  } else if (z < UNDERFLOW) {
    const s = 1 / (z * z);
    const num = ((((P[5] * s + P[0]) * s + P[1]) * s + P[2]) * s + P[3]) * s + P[4];
    const den = ((((s + Q[0]) * s + Q[1]) * s + Q[2]) * s + Q[3]) * s + Q[4];
    tail = g * (INV_SQRT_2PI - s * num / den) / z;
  } else if (z >= UNDERFLOW) {
    tail = 0; // below the smallest double
  } else {
    return NaN;
  }
  return x > 0 ? 1 - tail : tail;
}

/**
 * e^(-z²/2) to full relative precision however large z is: z² rounds with a relative error of
 * 1e-16, which the exponent would multiply by up to 700, so the rounding residue of z² is
 * recovered exactly (Dekker's product) and applied to first order instead.
 */
function gaussTail(z: number): number {
  const square = z * z;
  const split = 134217729 * z; // 2^27 + 1: cuts z into two halves whose products are exact
  const high = split - (split - z);
  const low = z - high;
  const residue = ((high * high - square) + 2 * high * low) + low * low;
  return Math.exp(-0.5 * square) * (1 - 0.5 * residue);
}

/** Where Cody's centre range ends, and the middle one (√32). */
const CENTRE_END = 0.66291;
const MIDDLE_END = 5.656854249492380195;
/** |x| from which Q(|x|) is below the smallest subnormal double. */
const UNDERFLOW = 38.5;
/** Smallest e^(-d1²/2) that d2's is derived from: far above the subnormals, so no digit is lost. */
const MIN_CARRIED = 1e-280;
const INV_SQRT_2PI = 0.3989422804014326779;
// Cody's published coefficients (ANORM), grouped by range.
const A = [
  2.2352520354606839287,
  161.02823106855587881,
  1067.6894854603709582,
  18154.981253343561249,
  0.065682337918207449113,
];
const B = [
  47.20258190468824187,
  976.09855173777669322,
  10260.932208618978205,
  45507.789335026729956,
];
const C = [
  0.39894151208813466764,
  8.8831497943883759412,
  93.506656132177855979,
  597.27027639480026226,
  2494.5375852903726711,
  6848.1904505362823326,
  11602.651437647350124,
  9842.7148383839780218,
  1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691,
  235.38790178262499861,
  1519.377599407554805,
  6485.558298266760755,
  18615.571640885098091,
  34900.952721145977266,
  38912.003286093271411,
  19685.429676859990727,
];
const P = [
  0.21589853405795699,
  0.1274011611602473639,
  0.022235277870649807,
  0.001421619193227893466,
  2.9112874951168792e-5,
  0.02307344176494017303,
];
const Q = [
  1.28426009614491121,
  0.468238212480865118,
  0.0659881378689285515,
  0.00378239633202758244,
  7.29751555083966205e-5,
];

function check(name: string, value: unknown, ok: (v: number) => boolean, rule: string): void {
  if (typeof value !== "number" || Number.isNaN(value) || !ok(value)) {
    throw new OptionInputError(`${name} must be ${rule} (got ${String(value)})`);
  }
}

type Unpriced = Omit<OptionInput, "volatility"> & { volatility?: number };

/** Throws `OptionInputError` naming the first invalid field. */
function validate(i: Unpriced): void {
  // The common case in one expression, so a chain of valid contracts costs no closures;
  // anything odd takes the slow path, which names the field.
  const finite = Number.isFinite;
  if (
    (i.type === "call" || i.type === "put") && finite(i.spot) && i.spot > 0 &&
    finite(i.strike) && i.strike > 0 && finite(i.years) && i.years >= 0 && finite(i.rate) &&
    (i.dividendYield === undefined || finite(i.dividendYield)) &&
    (!("volatility" in i) || (finite(i.volatility) && i.volatility! >= 0))
  ) return;
  explainInvalid(i);
}

function explainInvalid(i: Unpriced): void {
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
  const rootT = Math.sqrt(t);
  const sigT = sigma * rootT;

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
  const g1 = gauss(d1);
  const g2 = gaussOfD2(g1, d2, sq, kr);
  const pdf = g1 * INV_SQRT_2PI;
  const decay = -sq * pdf * sigma / (2 * rootT);
  const gamma = dq * pdf / (s * sigT);
  const vega = sq * pdf * rootT / 100;
  if (call) {
    const n1 = cdfWith(d1, g1);
    const n2 = cdfWith(d2, g2);
    return {
      price: Math.max(0, sq * n1 - kr * n2),
      delta: dq * n1,
      gamma,
      theta: (decay - r * kr * n2 + q * sq * n1) / DAYS_PER_YEAR,
      vega,
      rho: k * t * dr * n2 / 100,
    };
  }
  const m1 = cdfWith(-d1, g1);
  const m2 = cdfWith(-d2, g2);
  return {
    price: Math.max(0, kr * m2 - sq * m1),
    delta: -dq * m1,
    gamma,
    theta: (decay + r * kr * m2 - q * sq * m1) / DAYS_PER_YEAR,
    vega,
    rho: -k * t * dr * m2 / 100,
  };
}

/** e^(-d²/2) to full precision; 0 past where Φ's tail underflows; NaN for NaN. */
function gauss(d: number): number {
  const z = d < 0 ? -d : d;
  return z < UNDERFLOW ? gaussTail(z) : z >= UNDERFLOW ? 0 : NaN;
}

/**
 * e^(-d2²/2) from d1's `g1`: d1² - d2² = 2·ln(sq/kr), so it is g1·sq/kr, a product instead of an
 * exponential. Where g1 is too small to carry its digits (or the ratio overflows), computed itself.
 */
function gaussOfD2(g1: number, d2: number, sq: number, kr: number): number {
  const g2 = g1 * (sq / kr);
  return g1 >= MIN_CARRIED && g2 < Infinity ? g2 : gauss(d2);
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

  const curve = new PriceCurve(i);
  let lo = 0;
  let hi = 1;
  while (curve.priceAt(hi) < target) {
    lo = hi;
    hi *= 2;
    if (hi > MAX_VOLATILITY) {
      throw new NoImpliedVolatilityError(
        `price ${target} needs a volatility above ${MAX_VOLATILITY * 100} %`,
        bounds,
      );
    }
  }

  // Start where the inflection of price in volatility lies (Manaster & Koehler). Newton steps
  // on the logarithm of the out-of-the-money twin's price (this option less its forward
  // intrinsic value, by put-call parity): that price falls like e^(-c/σ²) as σ shrinks, which
  // plain Newton crawls along, while its logarithm bends gently. Bisection guards every step,
  // and convergence is judged on this option's own price.
  const intrinsic = curve.forwardIntrinsic;
  const twinTarget = target - intrinsic;
  let sigma = Math.sqrt(2 * Math.abs(curve.forwardLog) / i.years);
  if (!(sigma > lo && sigma < hi)) sigma = (lo + hi) / 2;

  for (let n = 0; n < MAX_ITERATIONS; n++) {
    const price = curve.priceAt(sigma);
    const diff = price - target;
    if (Math.abs(diff) <= 1e-13 * target || hi - lo <= 1e-15 * hi) {
      return sigma;
    }
    if (diff > 0) hi = sigma;
    else lo = sigma;
    const vega = curve.vega;
    const twin = price - intrinsic;
    const next = twin > 0 && twinTarget > 0
      ? sigma - Math.log(twin / twinTarget) * twin / vega
      : sigma - diff / vega;
    sigma = vega > 0 && next > lo && next < hi ? next : (lo + hi) / 2;
  }
  return sigma;
}

/**
 * One option's price as a function of volatility, for the solver: what does not depend on
 * volatility is computed once, and each step allocates nothing. The arithmetic is `evaluate`'s,
 * so a solved volatility reprices to exactly what `bsPrice` gives.
 */
class PriceCurve {
  readonly #call: boolean;
  readonly #sq: number;
  readonly #kr: number;
  readonly #rootT: number;
  /** ln(S/K) + (r - q)·T: the log-distance of the forward from the strike. */
  readonly forwardLog: number;
  /** The forward's discounted value over the strike's, when in this option's favour, else 0. */
  readonly forwardIntrinsic: number;
  /** ∂price/∂σ (per unit volatility) at the last `priceAt`. */
  vega = 0;

  constructor(i: Omit<OptionInput, "volatility">) {
    const q = i.dividendYield ?? 0;
    this.#call = i.type === "call";
    this.#sq = i.spot * Math.exp(-q * i.years);
    this.#kr = i.strike * Math.exp(-i.rate * i.years);
    this.#rootT = Math.sqrt(i.years);
    this.forwardLog = Math.log(i.spot / i.strike) + (i.rate - q) * i.years;
    this.forwardIntrinsic = Math.max(0, this.#call ? this.#sq - this.#kr : this.#kr - this.#sq);
  }

  priceAt(sigma: number): number {
    const sq = this.#sq;
    const kr = this.#kr;
    const sigT = sigma * this.#rootT;
    if (!(sigT > 0)) {
      this.vega = 0;
      return Math.max(0, this.#call ? sq - kr : kr - sq);
    }
    const d1 = this.forwardLog / sigT + sigT / 2;
    const d2 = d1 - sigT;
    const g1 = gauss(d1);
    const g2 = gaussOfD2(g1, d2, sq, kr);
    this.vega = sq * g1 * INV_SQRT_2PI * this.#rootT;
    return this.#call
      ? Math.max(0, sq * cdfWith(d1, g1) - kr * cdfWith(d2, g2))
      : Math.max(0, kr * cdfWith(-d2, g2) - sq * cdfWith(-d1, g1));
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * One option's Black-Scholes-Merton price as a function of the spot, for payoff curves that
 * price the same contract at hundreds of spots: everything that does not depend on the spot is
 * computed once, and each call allocates nothing. The spot may be 0 (the left end of a price
 * axis), where a call is worth nothing and a put its discounted strike. Throws
 * `OptionInputError` on invalid input, like `bsPrice`.
 */
export function spotPricer(i: Omit<OptionInput, "spot">): (spot: number) => number {
  validate({ ...i, spot: 1 });
  const q = i.dividendYield ?? 0;
  const call = i.type === "call";
  const dq = Math.exp(-q * i.years);
  const kr = i.strike * Math.exp(-i.rate * i.years);
  const sigT = i.volatility * Math.sqrt(i.years);
  const lnK = Math.log(i.strike) - (i.rate - q) * i.years;
  if (!(sigT > 0)) {
    return call ? (s) => Math.max(0, s * dq - kr) : (s) => Math.max(0, kr - s * dq);
  }
  const half = sigT / 2;
  return call
    ? (s) => {
      const d1 = (Math.log(s) - lnK) / sigT + half;
      return Math.max(0, s * dq * normCdf(d1) - kr * normCdf(d1 - sigT));
    }
    : (s) => {
      const d1 = (Math.log(s) - lnK) / sigT + half;
      return Math.max(0, kr * normCdf(sigT - d1) - s * dq * normCdf(-d1));
    };
}
