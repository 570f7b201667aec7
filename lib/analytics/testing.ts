/**
 * References for testing the normal distribution (tests only): `normCdf` as it was before
 * Cody's approximations replaced it, and Φ to any precision in decimal arithmetic.
 *
 * @module
 */
import { Decimal } from "decimal.js";

/**
 * The previous `normCdf`: Hart's rational approximation (1968) for |x| < 3 and, beyond, the
 * continued fraction of Mills' ratio evaluated to convergence (modified Lentz). Accurate but
 * slow in the tails; kept so the replacement can be checked against it.
 */
export function normCdfPrevious(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = Math.abs(x);
  let tail: number;
  if (z > 38.5) {
    tail = 0;
  } else if (z < 3) {
    const num = (((((3.52624965998911e-2 * z + 0.700383064443688) * z + 6.37396220353165) * z +
                  33.912866078383) * z + 112.079291497871) * z + 221.213596169931) * z +
      220.206867912376;
    const den = ((((((8.83883476483184e-2 * z + 1.75566716318264) * z + 16.064177579207) * z +
                      86.7807322029461) * z + 296.564248779674) * z + 637.333633378831) * z +
          793.826512519948) * z + 440.413735824752;
    tail = Math.exp(-0.5 * z * z) * num / den;
  } else {
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
    tail = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) / f;
  }
  return x > 0 ? 1 - tail : tail;
}

/**
 * Φ(x) to `digits` significant digits, for the double `x` exactly as stored: the series
 * Φ(x) = 1/2 + φ(x)·Σ x^(2n+1) / (1·3·5·…·(2n+1)), whose terms all share x's sign, worked with
 * enough extra digits to absorb the cancellation of 1/2 against the sum deep in the lower
 * tail (about x²/(2 ln 10) of them). Milliseconds per call far out: for tests only.
 */
export function normCdfPrecise(x: number, digits = 30): Decimal {
  const precision = digits + 10 + Math.ceil((x * x) / 2 / Math.LN10);
  const D = Decimal.clone({ precision });
  // toFixed(100) spells out the double's exact binary value for the |x| ≥ 1e-10 used here.
  const X = new D(x.toFixed(100));
  const square = X.times(X);
  const negligible = new D(10).pow(-precision);
  let term = X;
  let sum = X;
  for (let n = 1; term.abs().gt(sum.abs().times(negligible)); n++) {
    term = term.times(square).div(2 * n + 1);
    sum = sum.plus(term);
  }
  const density = square.div(-2).exp().div(D.acos(-1).times(2).sqrt());
  return new Decimal(density.times(sum).plus(0.5).toSignificantDigits(digits));
}
