/**
 * Chart patterns on daily bars, by fixed rules (written here: no maintained npm package detects
 * these with documented rules we could check). Every pattern is dated by the bar that completes
 * it, and uses only bars up to that one, so a scan on day t sees what a trader could have seen.
 *
 * Pivots: bar i is a swing high when its high is the highest of bars i−5…i+5 (a swing low
 * likewise with lows); it is known only from bar i+5 on.
 *
 * - Double top (bearish): the last two swing highs 10–60 bars apart within 1.5 % of each other,
 *   the lowest low between them at least 3 % under the lower peak; completed when a close falls
 *   below that low within 30 bars of the second peak. Double bottom (bullish): the mirror.
 * - Head and shoulders (bearish): three consecutive swing highs within 90 bars, the middle one
 *   at least 2 % above both others, the outer two within 3 % of each other; completed when a
 *   close falls below the lower of the two lows between them (the neckline) within 30 bars of
 *   the right shoulder. Inverse (bullish): the mirror.
 * - Ascending triangle (bullish): the last two swing highs within 1 % (flat resistance) and
 *   the last two swing lows rising by at least 2 %, all four within the last 60 bars; completed
 *   when a close rises above the resistance. Descending triangle (bearish): the mirror.
 * - Symmetrical triangle: the last two swing highs falling by at least 2 % and the last two
 *   swing lows rising by at least 2 %, all four within the last 60 bars, and the two trendlines
 *   (through the highs, through the lows) not yet met at the bar; it can break either way, so it
 *   is two patterns: completed up (bullish) when a close crosses above the upper trendline, down
 *   (bearish) when a close crosses below the lower one, each line drawn to that bar.
 * - Support and resistance: levels where at least two swing lows (support) or highs
 *   (resistance) of the last 120 bars lie within 1.5 % of each other.
 *
 * @module
 */

export const PATTERN_TYPES = [
  "double_top",
  "double_bottom",
  "head_and_shoulders",
  "inverse_head_and_shoulders",
  "ascending_triangle",
  "descending_triangle",
  "symmetrical_triangle_up",
  "symmetrical_triangle_down",
] as const;
export type PatternType = typeof PATTERN_TYPES[number];

export const PATTERN_INFO: Record<PatternType, { name: string; direction: "bullish" | "bearish" }> =
  {
    double_top: { name: "Double top", direction: "bearish" },
    double_bottom: { name: "Double bottom", direction: "bullish" },
    head_and_shoulders: { name: "Head and shoulders", direction: "bearish" },
    inverse_head_and_shoulders: { name: "Inverse head and shoulders", direction: "bullish" },
    ascending_triangle: { name: "Ascending triangle", direction: "bullish" },
    descending_triangle: { name: "Descending triangle", direction: "bearish" },
    symmetrical_triangle_up: { name: "Symmetrical triangle, broken up", direction: "bullish" },
    symmetrical_triangle_down: {
      name: "Symmetrical triangle, broken down",
      direction: "bearish",
    },
  };

export interface Bars {
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
}

export interface Pivot {
  row: number;
  price: number;
}

export interface PatternEvent {
  type: PatternType;
  /** The bar that completed the pattern. */
  row: number;
  /** The pivots that make it, oldest first. */
  points: Pivot[];
  /** The level the close crossed. */
  level: number;
}

export const PIVOT_WINDOW = 5;

/** Swing highs and lows with the bar each becomes known on. */
function pivots(b: Bars): { highs: Pivot[]; lows: Pivot[] } {
  const n = b.close.length;
  const w = PIVOT_WINDOW;
  const highs: Pivot[] = [];
  const lows: Pivot[] = [];
  for (let i = w; i + w < n; i++) {
    let isHigh = true;
    let isLow = true;
    for (let j = i - w; j <= i + w && (isHigh || isLow); j++) {
      if (j === i) continue;
      // Ties go to the earlier bar, so a flat top makes one pivot.
      if (j < i ? b.high[j] >= b.high[i] : b.high[j] > b.high[i]) isHigh = false;
      if (j < i ? b.low[j] <= b.low[i] : b.low[j] < b.low[i]) isLow = false;
    }
    if (isHigh) highs.push({ row: i, price: b.high[i] });
    if (isLow) lows.push({ row: i, price: b.low[i] });
  }
  return { highs, lows };
}

function minLow(b: Bars, from: number, to: number): number {
  let m = Infinity;
  for (let i = from; i <= to; i++) m = Math.min(m, b.low[i]);
  return m;
}
function maxHigh(b: Bars, from: number, to: number): number {
  let m = -Infinity;
  for (let i = from; i <= to; i++) m = Math.max(m, b.high[i]);
  return m;
}
/** The price on the straight line through two pivots, at bar `r`. */
const line = (p: Pivot, q: Pivot, r: number) =>
  p.price + ((q.price - p.price) * (r - p.row)) / (q.row - p.row);
const near = (a: number, b: number, pct: number) => Math.abs(a - b) / Math.max(a, b) <= pct / 100;

/** Every pattern completed in `b`, in bar order (each pivot set completes at most once). */
export function detectPatterns(b: Bars): PatternEvent[] {
  const n = b.close.length;
  const { highs, lows } = pivots(b);
  const out: PatternEvent[] = [];
  const done = new Set<string>();
  let hi = 0;
  let lo = 0;
  const knownHighs: Pivot[] = [];
  const knownLows: Pivot[] = [];
  const emit = (type: PatternType, t: number, points: Pivot[], level: number) => {
    const key = type + points.map((p) => p.row).join(",");
    if (done.has(key)) return;
    done.add(key);
    out.push({ type, row: t, points, level });
  };
  const crossDown = (t: number, level: number) => b.close[t - 1] >= level && b.close[t] < level;
  const crossUp = (t: number, level: number) => b.close[t - 1] <= level && b.close[t] > level;

  for (let t = 1; t < n; t++) {
    while (hi < highs.length && highs[hi].row + PIVOT_WINDOW <= t) knownHighs.push(highs[hi++]);
    while (lo < lows.length && lows[lo].row + PIVOT_WINDOW <= t) knownLows.push(lows[lo++]);
    const [h1, h2] = knownHighs.slice(-2);
    const [l1, l2] = knownLows.slice(-2);

    if (h2 && h2.row - h1.row >= 10 && h2.row - h1.row <= 60 && t - h2.row <= 30) {
      const trough = minLow(b, h1.row, h2.row);
      if (
        near(h1.price, h2.price, 1.5) && trough <= Math.min(h1.price, h2.price) * 0.97 &&
        crossDown(t, trough)
      ) emit("double_top", t, [h1, h2], trough);
    }
    if (l2 && l2.row - l1.row >= 10 && l2.row - l1.row <= 60 && t - l2.row <= 30) {
      const peak = maxHigh(b, l1.row, l2.row);
      if (
        near(l1.price, l2.price, 1.5) && peak >= Math.max(l1.price, l2.price) * 1.03 &&
        crossUp(t, peak)
      ) emit("double_bottom", t, [l1, l2], peak);
    }

    const hs = knownHighs.slice(-3);
    if (hs.length === 3 && hs[2].row - hs[0].row <= 90 && t - hs[2].row <= 30) {
      const [l, h, r] = hs;
      const neck = Math.min(minLow(b, l.row, h.row), minLow(b, h.row, r.row));
      if (
        h.price >= 1.02 * Math.max(l.price, r.price) && near(l.price, r.price, 3) &&
        crossDown(t, neck)
      ) emit("head_and_shoulders", t, hs, neck);
    }
    const ls = knownLows.slice(-3);
    if (ls.length === 3 && ls[2].row - ls[0].row <= 90 && t - ls[2].row <= 30) {
      const [l, h, r] = ls;
      const neck = Math.max(maxHigh(b, l.row, h.row), maxHigh(b, h.row, r.row));
      if (
        h.price <= Math.min(l.price, r.price) / 1.02 && near(l.price, r.price, 3) &&
        crossUp(t, neck)
      ) emit("inverse_head_and_shoulders", t, ls, neck);
    }

    if (h2 && l2 && Math.min(h1.row, l1.row) >= t - 60) {
      const resistance = Math.max(h1.price, h2.price);
      if (near(h1.price, h2.price, 1) && l2.price >= l1.price * 1.02 && crossUp(t, resistance)) {
        emit("ascending_triangle", t, [h1, l1, h2, l2].sort((a, c) => a.row - c.row), resistance);
      }
      const support = Math.min(l1.price, l2.price);
      if (near(l1.price, l2.price, 1) && h2.price <= h1.price / 1.02 && crossDown(t, support)) {
        emit("descending_triangle", t, [h1, l1, h2, l2].sort((a, c) => a.row - c.row), support);
      }
      if (h2.price <= h1.price / 1.02 && l2.price >= l1.price * 1.02) {
        const upper = (r: number) => line(h1, h2, r);
        const lower = (r: number) => line(l1, l2, r);
        const points = [h1, l1, h2, l2].sort((a, c) => a.row - c.row);
        if (upper(t) > lower(t)) {
          if (b.close[t - 1] <= upper(t - 1) && b.close[t] > upper(t)) {
            emit("symmetrical_triangle_up", t, points, upper(t));
          }
          if (b.close[t - 1] >= lower(t - 1) && b.close[t] < lower(t)) {
            emit("symmetrical_triangle_down", t, points, lower(t));
          }
        }
      }
    }
  }
  return out;
}

export interface Level {
  kind: "support" | "resistance";
  price: number;
  touches: number;
}

/** Support and resistance as of bar `t` (pivots known by then, from the last 120 bars). */
export function levels(b: Bars, t: number): Level[] {
  const cut: Bars = {
    high: Array.from(b.high).slice(0, t + 1),
    low: Array.from(b.low).slice(0, t + 1),
    close: Array.from(b.close).slice(0, t + 1),
  };
  const { highs, lows } = pivots(cut);
  const recent = (ps: Pivot[]) => ps.filter((p) => p.row >= t - 120 && p.row + PIVOT_WINDOW <= t);
  const group = (ps: Pivot[], kind: Level["kind"]): Level[] => {
    const sorted = recent(ps).map((p) => p.price).sort((a, c) => a - c);
    const out: Level[] = [];
    let run: number[] = [];
    const flush = () => {
      if (run.length >= 2) {
        out.push({ kind, price: run.reduce((a, c) => a + c) / run.length, touches: run.length });
      }
      run = [];
    };
    for (const p of sorted) {
      if (run.length && !near(run[0], p, 1.5)) flush();
      run.push(p);
    }
    flush();
    return out;
  };
  return [...group(lows, "support"), ...group(highs, "resistance")];
}

export interface PatternRecord {
  type: PatternType;
  name: string;
  direction: "bullish" | "bearish";
  forwardDays: number;
  /** Completed patterns with a full forward window. */
  n: number;
  /** Mean forward return, %. */
  meanForward: number;
  /** Share of them that moved the pattern's way (up for bullish, down for bearish). */
  hitRate: number;
}

/** Each pattern's record over `universe`: what the close did `forwardDays` after completion. */
export function measurePatterns(universe: Bars[], forwardDays = 20): PatternRecord[] {
  const acc = new Map<PatternType, number[]>(PATTERN_TYPES.map((p) => [p, []]));
  for (const b of universe) {
    for (const e of detectPatterns(b)) {
      const end = e.row + forwardDays;
      if (end < b.close.length) {
        acc.get(e.type)!.push((b.close[end] / b.close[e.row] - 1) * 100);
      }
    }
  }
  return PATTERN_TYPES.map((type) => {
    const f = acc.get(type)!;
    const info = PATTERN_INFO[type];
    const hits = f.filter((v) => (info.direction === "bullish" ? v > 0 : v < 0)).length;
    return {
      type,
      name: info.name,
      direction: info.direction,
      forwardDays,
      n: f.length,
      meanForward: f.length ? f.reduce((a, c) => a + c, 0) / f.length : NaN,
      hitRate: f.length ? hits / f.length : NaN,
    };
  });
}

/** What any day did: the mean forward return and the share up, to judge the patterns against. */
export function baseline(
  universe: Bars[],
  forwardDays = 20,
): { forwardDays: number; n: number; meanForward: number; upRate: number } {
  let n = 0;
  let sum = 0;
  let up = 0;
  for (const b of universe) {
    for (let t = 0; t + forwardDays < b.close.length; t++) {
      const r = (b.close[t + forwardDays] / b.close[t] - 1) * 100;
      n++;
      sum += r;
      if (r > 0) up++;
    }
  }
  return { forwardDays, n, meanForward: sum / n, upRate: up / n };
}
