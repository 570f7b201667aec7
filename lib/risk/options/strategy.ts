/**
 * A multi-leg option position's profit and loss: at expiry, at any time before it (each leg
 * priced with Black-Scholes on its own implied volatility, optionally shifted), its breakevens,
 * its largest profit and loss (or "unlimited"), the probability of a profit and its Greeks.
 *
 * ```ts
 * const straddle: Leg[] = [
 *   { type: "call", side: "buy", strike: 100, years: 0.1, quantity: 1, premium: 3, iv: 0.3 },
 *   { type: "put", side: "buy", strike: 100, years: 0.1, quantity: 1, premium: 2.5, iv: 0.3 },
 * ];
 * analyze(straddle, { spot: 100, rate: 0.01 }).breakevens; // [94.5, 105.5]
 * ```
 *
 * Conventions: quantities are contracts of 100 shares (shares for a stock leg), premiums are
 * per share, and every amount out is the whole position's in USD. Time is in years from now.
 * Pricing assumes no dividends (q = 0), so calls and puts obey C − P = S − K·e^(−rT).
 *
 * @module
 */
import { bsGreeks, normCdf, spotPricer } from "../../analytics/greeks.ts";

export const CONTRACT_SHARES = 100;

export type Side = "buy" | "sell";

export interface OptionLeg {
  type: "call" | "put";
  side: Side;
  strike: number;
  /** Years from now to this leg's expiry. */
  years: number;
  /** Contracts. */
  quantity: number;
  /** Paid (bought) or received (sold) per share. */
  premium: number;
  /** Implied volatility as a fraction (0.3 = 30 %). */
  iv: number;
}

export interface StockLeg {
  type: "stock";
  side: Side;
  /** Shares. */
  quantity: number;
  /** Price paid or received per share. */
  premium: number;
}

export type Leg = OptionLeg | StockLeg;

export interface Scenario {
  spot: number;
  /** Continuously compounded risk-free rate, as a fraction. */
  rate: number;
  /** Added to every leg's implied volatility before expiry (0.05 = 5 volatility points). */
  ivShift?: number;
}

/** Lowest volatility a shift may leave a leg with, so a large negative shift stays priceable. */
const MIN_IV = 0.001;

/** Shares the leg stands for, signed: positive long, negative short. */
export function legUnits(leg: Leg): number {
  const sign = leg.side === "buy" ? 1 : -1;
  return sign * leg.quantity * (leg.type === "stock" ? 1 : CONTRACT_SHARES);
}

/** What opening the position costs: positive is a debit (paid), negative a credit (received). */
export function netPremium(legs: readonly Leg[]): number {
  let sum = 0;
  for (const leg of legs) sum += legUnits(leg) * leg.premium;
  return sum;
}

export function netKind(amount: number): "debit" | "credit" | "even" {
  return Math.abs(amount) < 1e-9 ? "even" : amount > 0 ? "debit" : "credit";
}

export function intrinsic(leg: OptionLeg, spot: number): number {
  return Math.max(0, leg.type === "call" ? spot - leg.strike : leg.strike - spot);
}

/** When the first option leg expires (0 for a stock-only position): "expiry" below. */
export function firstExpiry(legs: readonly Leg[]): number {
  let first = Infinity;
  for (const leg of legs) if (leg.type !== "stock" && leg.years < first) first = leg.years;
  return first === Infinity ? 0 : first;
}

/**
 * The position's P&L as a function of the spot, `horizon` years from now: legs that have
 * expired by then are worth their intrinsic value, the rest their Black-Scholes value with the
 * time left. Pricers are built once, so one call per spot allocates nothing.
 */
export function pnlFunction(
  legs: readonly Leg[],
  horizon: number,
  s: Omit<Scenario, "spot">,
): (spot: number) => number {
  const shift = s.ivShift ?? 0;
  const parts = legs.map((leg) => {
    const units = legUnits(leg);
    if (leg.type === "stock") return { units, cost: leg.premium, value: (x: number) => x };
    const left = leg.years - horizon;
    const value = left <= 1e-12 ? (x: number) => intrinsic(leg, x) : spotPricer({
      type: leg.type,
      strike: leg.strike,
      years: left,
      rate: s.rate,
      volatility: Math.max(MIN_IV, leg.iv + shift),
    });
    return { units, cost: leg.premium, value };
  });
  return (spot) => {
    let sum = 0;
    for (const p of parts) sum += p.units * (p.value(spot) - p.cost);
    return sum;
  };
}

/** P&L over `prices` at each horizon (years from now): one row per horizon. */
export function pnlCurves(
  legs: readonly Leg[],
  prices: readonly number[],
  horizons: readonly number[],
  s: Omit<Scenario, "spot">,
): Float64Array[] {
  return horizons.map((h) => {
    const f = pnlFunction(legs, h, s);
    const out = new Float64Array(prices.length);
    for (let i = 0; i < prices.length; i++) out[i] = f(prices[i]);
    return out;
  });
}

export interface Extremes {
  maxProfit: number | "unlimited";
  /** The largest loss as a positive number of USD (negative if every outcome is a gain). */
  maxLoss: number | "unlimited";
}

/** Points where the expiry curve can bend or cross: 0, the strikes, the spot, and a grid. */
function samplePoints(legs: readonly Leg[], spot: number): { points: number[]; far: number } {
  const strikes = legs.flatMap((l) => l.type === "stock" ? [] : [l.strike]);
  const top = Math.max(spot, ...strikes);
  const far = 10 * top;
  const set = new Set<number>([0, spot, ...strikes, far]);
  // Dense near the money (curves bend there before expiry), sparse out to the far end.
  for (let i = 1; i < 600; i++) set.add((3 * top * i) / 600);
  for (let i = 1; i < 50; i++) set.add(3 * top + ((far - 3 * top) * i) / 50);
  return { points: [...set].sort((a, b) => a - b), far };
}

/**
 * Largest profit and loss of `f` over spots from 0 to infinity. At expiry with one expiration
 * the curve is piecewise linear with its kinks at the strikes, so checking 0, the strikes and
 * the far end is exact; past the far end the slope decides: rising without bound is unlimited
 * profit, falling unlimited loss. Mixed expirations (a calendar) are sampled densely.
 */
export function extremes(
  f: (spot: number) => number,
  legs: readonly Leg[],
  spot: number,
): Extremes {
  const { points, far } = samplePoints(legs, spot);
  let hi = -Infinity;
  let lo = Infinity;
  for (const x of points) {
    const y = f(x);
    if (y > hi) hi = y;
    if (y < lo) lo = y;
  }
  const slope = (f(2 * far) - f(far)) / far;
  const scale = legs.reduce((a, l) => a + Math.abs(legUnits(l)), 0);
  const flat = 1e-7 * Math.max(1, scale);
  return {
    maxProfit: slope > flat ? "unlimited" : hi,
    maxLoss: slope < -flat ? "unlimited" : -lo,
  };
}

/**
 * Spots where `f` crosses zero between 0 and the far end of the axis, found by bisection
 * between sampled points of opposite sign, ascending.
 */
export function breakevens(f: (spot: number) => number, legs: readonly Leg[], spot: number) {
  const { points } = samplePoints(legs, spot);
  const out: number[] = [];
  const push = (x: number) => {
    if (out.length === 0 || Math.abs(x - out[out.length - 1]) > 1e-6 * Math.max(1, x)) {
      out.push(x);
    }
  };
  let prevX = points[0];
  let prevY = f(prevX);
  if (prevY === 0 && f(points[1]) !== 0) push(prevX);
  for (let i = 1; i < points.length; i++) {
    const x = points[i];
    const y = f(x);
    if (y === 0) {
      // A zero exactly on a sample point is a breakeven only if the curve moves off zero there.
      const next = i + 1 < points.length ? f(points[i + 1]) : y;
      if (prevY !== 0 || next !== 0) push(x);
    } else if (prevY !== 0 && (prevY < 0) !== (y < 0)) {
      let a = prevX;
      let b = x;
      let fa = prevY;
      for (let n = 0; n < 200 && b - a > 1e-12 * b; n++) {
        const m = (a + b) / 2;
        const fm = f(m);
        if (fm === 0) (a = m, b = m);
        else if ((fm < 0) === (fa < 0)) (a = m, fa = fm);
        else b = m;
      }
      push((a + b) / 2);
    }
    prevX = x;
    prevY = y;
  }
  return out;
}

/** P(S_T ≤ x) for a lognormal spot under the risk-neutral drift. */
function lognormalCdf(x: number, spot: number, rate: number, sigma: number, years: number) {
  if (x <= 0) return 0;
  const sd = sigma * Math.sqrt(years);
  return normCdf((Math.log(x / spot) - (rate - sigma * sigma / 2) * years) / sd);
}

/**
 * Probability that the position shows a profit at `horizon` (its first expiry), the spot
 * lognormal with volatility `sigma` and the risk-free drift: the probability mass of the
 * intervals between breakevens where the curve is above zero.
 */
export function probabilityOfProfit(
  f: (spot: number) => number,
  evens: readonly number[],
  s: Scenario,
  sigma: number,
  horizon: number,
): number {
  if (!(horizon > 0) || !(sigma > 0)) return f(s.spot) > 0 ? 1 : 0;
  const edges = [0, ...evens, Infinity];
  let p = 0;
  for (let i = 0; i + 1 < edges.length; i++) {
    const a = edges[i];
    const b = edges[i + 1];
    const probe = b === Infinity ? Math.max(2 * a, s.spot * 2, 1) : (a + b) / 2;
    if (!(f(probe) > 0)) continue;
    const hi = b === Infinity ? 1 : lognormalCdf(b, s.spot, s.rate, sigma, horizon);
    p += hi - lognormalCdf(a, s.spot, s.rate, sigma, horizon);
  }
  return Math.min(1, Math.max(0, p));
}

export interface PositionGreeks {
  /** Share-equivalent delta. */
  delta: number;
  /** Change in delta per $1 of the underlying. */
  gamma: number;
  /** USD per calendar day. */
  theta: number;
  /** USD per volatility point. */
  vega: number;
  /** USD per percentage point of the rate. */
  rho: number;
}

/** The legs' Greeks now, each times its signed share count, summed. */
export function positionGreeks(legs: readonly Leg[], s: Scenario): PositionGreeks {
  const sum = { delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0 };
  for (const leg of legs) {
    const units = legUnits(leg);
    if (leg.type === "stock") {
      sum.delta += units;
      continue;
    }
    const g = bsGreeks({
      type: leg.type,
      spot: s.spot,
      strike: leg.strike,
      years: Math.max(0, leg.years),
      rate: s.rate,
      volatility: Math.max(MIN_IV, leg.iv + (s.ivShift ?? 0)),
    });
    sum.delta += units * g.delta;
    sum.gamma += units * g.gamma;
    sum.theta += units * g.theta;
    sum.vega += units * g.vega;
    sum.rho += units * g.rho;
  }
  return sum;
}

/**
 * The volatility the probability of profit uses: the legs expiring first, weighted by their
 * contracts (their IVs plus the shift).
 */
export function horizonVolatility(legs: readonly Leg[], s: Scenario): number {
  const horizon = firstExpiry(legs);
  let weight = 0;
  let sum = 0;
  for (const leg of legs) {
    if (leg.type === "stock" || leg.years > horizon + 1e-12) continue;
    weight += leg.quantity;
    sum += leg.quantity * Math.max(MIN_IV, leg.iv + (s.ivShift ?? 0));
  }
  return weight > 0 ? sum / weight : 0;
}

export interface Analysis extends Extremes {
  net: { amount: number; kind: "debit" | "credit" | "even" };
  /** Years from now to the first expiry, where the expiry figures are taken. */
  expiry: number;
  breakevens: number[];
  probabilityOfProfit: number;
  greeks: PositionGreeks;
}

/** The figures a trader reads before opening the position, all at its first expiry. */
export function analyze(legs: readonly Leg[], s: Scenario): Analysis {
  const expiry = firstExpiry(legs);
  const atExpiry = pnlFunction(legs, expiry, s);
  const evens = breakevens(atExpiry, legs, s.spot);
  const amount = netPremium(legs);
  return {
    net: { amount, kind: netKind(amount) },
    expiry,
    ...extremes(atExpiry, legs, s.spot),
    breakevens: evens,
    probabilityOfProfit: probabilityOfProfit(
      atExpiry,
      evens,
      s,
      horizonVolatility(legs, s),
      expiry,
    ),
    greeks: positionGreeks(legs, s),
  };
}
