/**
 * The money-weighted return of a period: the one rate R at which the money put in (the starting
 * equity and every deposit, each compounding from its instant to the end) grows to the ending
 * equity. Withdrawals and resets count as negative money put in.
 *
 *     Σₖ cₖ · (1 + R)^(1 − tₖ) = V_end,    tₖ ∈ [0, 1] the share of the period before flow k
 *
 * R is the period's rate (not annualised), comparable with the time-weighted return of the same
 * period. It is the root of f(y) = Σ cₖ e^{y(1 − tₖ)} − V_end in y = ln(1 + R): bracketed by
 * widening an interval around 0 until f changes sign, then Newton steps kept inside the bracket
 * (a step that would leave it is replaced by bisection), so it always converges once bracketed.
 *
 * @module
 */

/** Money put in at share `t` of the period (negative: taken out). */
export interface Contribution {
  t: number;
  amount: number;
}

export type Rate = { value: number; reason?: undefined } | { value: null; reason: string };

const TOL = 1e-12;

export function moneyWeightedReturn(contributions: Contribution[], endValue: number): Rate {
  if (contributions.length === 0) return { value: null, reason: "no money was put in" };
  for (const c of contributions) {
    if (!(c.t >= 0 && c.t <= 1) || !Number.isFinite(c.amount)) {
      throw new RangeError("contributions need t in [0, 1] and a finite amount");
    }
  }
  const f = (y: number) => {
    let s = -endValue;
    for (const c of contributions) s += c.amount * Math.exp(y * (1 - c.t));
    return s;
  };
  const df = (y: number) => {
    let s = 0;
    for (const c of contributions) s += c.amount * (1 - c.t) * Math.exp(y * (1 - c.t));
    return s;
  };
  const bracket = findBracket(f);
  if (!bracket) return { value: null, reason: "no rate makes the money put in grow to the end" };
  let [lo, hi] = bracket;
  let flo = f(lo);
  let y = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const fy = f(y);
    if (Math.abs(fy) <= TOL * Math.max(1, Math.abs(endValue))) break;
    if (Math.sign(fy) === Math.sign(flo)) {
      lo = y;
      flo = fy;
    } else hi = y;
    const d = df(y);
    let next = d !== 0 ? y - fy / d : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - y) < 1e-15) break;
    y = next;
  }
  return { value: Math.expm1(y) };
}

/** An interval [a, b] around 0 where f changes sign, widened up to |y| = 50. */
function findBracket(f: (y: number) => number): [number, number] | null {
  if (f(0) === 0) return [0, 0];
  for (let w = 0.05; w <= 50; w *= 2) {
    const a = -w;
    const b = w;
    const fa = f(a);
    const f0 = f(0);
    const fb = f(b);
    if (Math.sign(fa) !== Math.sign(f0)) return [a, 0];
    if (Math.sign(f0) !== Math.sign(fb)) return [0, b];
  }
  return null;
}
