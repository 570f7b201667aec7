import assert from "node:assert/strict";
import fc from "fast-check";
import { type Bars, detectPatterns, levels, measurePatterns } from "./patterns.ts";

/** Closes along straight lines through `points` ([row, price]); highs and lows ±0.5. */
function path(points: [number, number][]): Bars {
  const close: number[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const [r0, p0] = points[k];
    const [r1, p1] = points[k + 1];
    for (let r = r0; r < r1; r++) close.push(p0 + ((p1 - p0) * (r - r0)) / (r1 - r0));
  }
  close.push(points.at(-1)![1]);
  return { close, high: close.map((c) => c + 0.5), low: close.map((c) => c - 0.5) };
}

/** The same shape upside down. */
function mirror(b: Bars): Bars {
  const flip = (a: ArrayLike<number>) => Array.from(a, (v) => 200 - v);
  return { close: flip(b.close), high: flip(b.low), low: flip(b.high) };
}

const found = (b: Bars) => detectPatterns(b).map((e) => [e.type, e.row]);

Deno.test("double top and double bottom on constructed series", () => {
  const top = path([[0, 100], [20, 120], [35, 108], [50, 120.5], [70, 100]]);
  assert.deepEqual(found(top), [["double_top", 63]]);
  assert.equal(detectPatterns(top)[0].level, 107.5);
  assert.deepEqual(found(mirror(top)), [["double_bottom", 63]]);
});

Deno.test("head and shoulders and the inverse", () => {
  const hs = path([[0, 90], [15, 110], [25, 100], [40, 120], [55, 102], [70, 110.5], [90, 85]]);
  assert.deepEqual(found(hs), [["head_and_shoulders", 79]]);
  assert.deepEqual(detectPatterns(hs)[0].points.map((p) => p.row), [15, 40, 70]);
  assert.deepEqual(found(mirror(hs)), [["inverse_head_and_shoulders", 79]]);
});

Deno.test("ascending and descending triangles", () => {
  const asc = path([[0, 100], [10, 110], [20, 100], [30, 110], [40, 104], [50, 115]]);
  assert.deepEqual(found(asc), [["ascending_triangle", 46]]);
  assert.deepEqual(found(mirror(asc)), [["descending_triangle", 46]]);
});

Deno.test("near misses are not patterns", () => {
  // Second peak 5 % higher: not a double top.
  assert.deepEqual(found(path([[0, 100], [20, 120], [35, 108], [50, 126], [70, 100]])), []);
  // Breaks the neckline too late (more than 30 bars after the second peak).
  assert.deepEqual(
    found(path([[0, 100], [20, 120], [35, 108], [50, 120.5], [60, 112], [85, 112], [95, 100]])),
    [],
  );
});

Deno.test("a pattern uses no bar after the one that completes it", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -0.04, max: 0.04, noNaN: true }), {
        minLength: 30,
        maxLength: 300,
      }),
      fc.nat(),
      (moves, cutSeed) => {
        const close = [100];
        for (const m of moves) close.push(close.at(-1)! * (1 + m));
        const b: Bars = {
          close,
          high: close.map((c, i) => c * (1 + Math.abs(moves[i % moves.length]) / 2)),
          low: close.map((c, i) => c * (1 - Math.abs(moves[(i + 1) % moves.length]) / 2)),
        };
        const t = cutSeed % close.length;
        const cut = (a: ArrayLike<number>) => Array.from(a).slice(0, t + 1);
        const early = detectPatterns({ close: cut(b.close), high: cut(b.high), low: cut(b.low) });
        assert.deepEqual(early, detectPatterns(b).filter((e) => e.row <= t));
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("support and resistance from repeated swing points", () => {
  const b = path([[0, 100], [10, 110], [20, 100], [30, 110.5], [40, 100.4], [50, 105]]);
  const lv = levels(b, 50);
  const support = lv.find((l) => l.kind === "support")!;
  const resistance = lv.find((l) => l.kind === "resistance")!;
  assert.equal(support.touches, 2);
  assert.ok(Math.abs(support.price - 99.7) < 1e-9);
  assert.equal(resistance.touches, 2);
  assert.ok(Math.abs(resistance.price - 110.75) < 1e-9);
});

Deno.test("the record counts completed patterns with a full forward window", () => {
  const top = path([[0, 100], [20, 120], [35, 108], [50, 120.5], [70, 100], [90, 90]]);
  const rec = measurePatterns([top], 20).find((r) => r.type === "double_top")!;
  assert.equal(rec.n, 1);
  const t = 63;
  const expected = (top.close[t + 20] / top.close[t] - 1) * 100;
  assert.ok(Math.abs(rec.meanForward - expected) < 1e-9);
  assert.equal(rec.hitRate, expected < 0 ? 1 : 0);
  const short = measurePatterns([path([[0, 100], [20, 120], [35, 108], [50, 120.5], [70, 100]])]);
  assert.equal(short.find((r) => r.type === "double_top")!.n, 0);
});
