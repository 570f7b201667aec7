/**
 * Geometry of the payoff chart: scales from the price axis and the P&L to SVG coordinates, the
 * expiry line and the chosen date's line as SVG paths (d3-shape), round-number ticks, and where
 * the breakevens and the spot fall. Pure, so the island only draws.
 */
import { line } from "d3-shape";
import type { Analysis } from "./options_builder.ts";

// d3-shape ships no types; the one generator used here is spelled out.
interface LineGenerator {
  (points: [number, number][]): string | null;
}

export interface Scale {
  (v: number): number;
  invert(px: number): number;
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const scale = ((v: number) => r0 + (v - d0) * k) as Scale;
  scale.invert = (px: number) => k === 0 ? d0 : d0 + (px - r0) / k;
  return scale;
}

/** About `count` round values (1, 2 or 5 × a power of ten apart) inside [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    // Rounded to the step, a tick far from zero can land a float's width outside the domain
    // (min 99,999.99999999999, span 0.001): such a tick is dropped, not drawn off the axis.
    const tick = Math.round(v / step) * step;
    if (tick >= min && tick <= max) out.push(tick);
  }
  return out;
}

export interface ChartSize {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export const CHART_SIZE: ChartSize = {
  width: 720,
  height: 320,
  margin: { top: 16, right: 16, bottom: 36, left: 72 },
};

export interface ChartGeometry {
  x: Scale;
  y: Scale;
  expiryPath: string;
  datePath: string | null;
  zeroY: number;
  xTicks: number[];
  yTicks: number[];
  breakevens: { price: number; x: number }[];
  spotX: number;
}

/**
 * The chart of `a`: its expiry curve and, unless `seriesIndex` is the expiry itself, the curve
 * at that date. The P&L axis spans both curves and always shows zero.
 */
export function chartGeometry(a: Analysis, seriesIndex: number, size = CHART_SIZE): ChartGeometry {
  const { prices, series } = a.curves;
  const expiry = series[series.length - 1];
  const chosen = seriesIndex >= 0 && seriesIndex < series.length - 1 ? series[seriesIndex] : null;
  let lo = 0;
  let hi = 0;
  for (const s of chosen ? [expiry, chosen] : [expiry]) {
    for (const v of s.pnl) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const pad = (hi - lo) * 0.08 || 1;
  const { width, height, margin } = size;
  const x = linearScale([prices[0], prices[prices.length - 1]], [
    margin.left,
    width - margin.right,
  ]);
  const y = linearScale([lo - pad, hi + pad], [height - margin.bottom, margin.top]);
  const path = line() as unknown as LineGenerator;
  const toPath = (pnl: number[]) => path(prices.map((p, i) => [x(p), y(pnl[i])])) ?? "";
  return {
    x,
    y,
    expiryPath: toPath(expiry.pnl),
    datePath: chosen ? toPath(chosen.pnl) : null,
    zeroY: y(0),
    xTicks: niceTicks(prices[0], prices[prices.length - 1], 6),
    yTicks: niceTicks(lo - pad, hi + pad, 5),
    breakevens: a.breakevens
      .filter((b) => b >= prices[0] && b <= prices[prices.length - 1])
      .map((price) => ({ price, x: x(price) })),
    spotX: x(a.underlyingPrice),
  };
}
