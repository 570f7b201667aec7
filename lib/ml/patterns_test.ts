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
  // Its right half (high 120 then 110.5, low 100 then 102) is also a symmetrical triangle by the
  // rules, broken down at bar 76 under the line through the lows, before the neckline gives way.
  assert.deepEqual(found(hs), [["symmetrical_triangle_down", 76], ["head_and_shoulders", 79]]);
  assert.deepEqual(detectPatterns(hs)[1].points.map((p) => p.row), [15, 40, 70]);
  assert.deepEqual(found(mirror(hs)), [
    ["symmetrical_triangle_up", 76],
    ["inverse_head_and_shoulders", 79],
  ]);
});

Deno.test("ascending and descending triangles", () => {
  const asc = path([[0, 100], [10, 110], [20, 100], [30, 110], [40, 104], [50, 115]]);
  assert.deepEqual(found(asc), [["ascending_triangle", 46]]);
  assert.deepEqual(found(mirror(asc)), [["descending_triangle", 46]]);
});

Deno.test("symmetrical triangles break either way across their trendlines", () => {
  // Highs 120.5 (bar 10) then 116.5 (bar 30): falling 3.3 %; lows 99.5 (bar 20) then 103.5
  // (bar 40): rising 4 %. The upper line is 120.5 − 0.2·(r − 10), so 113.3 at bar 46, the first
  // close above it (113.6; bar 45 closed at 112 under 113.5).
  const up = path([[0, 100], [10, 120], [20, 100], [30, 116], [40, 104], [50, 120]]);
  const [e] = detectPatterns(up);
  assert.deepEqual(found(up), [["symmetrical_triangle_up", 46]]);
  assert.deepEqual(e.points.map((p) => p.row), [10, 20, 30, 40]);
  assert.ok(Math.abs(e.level - 113.3) < 1e-9);
  assert.deepEqual(found(mirror(up)), [["symmetrical_triangle_down", 46]]);
  // The same triangle broken downwards: the lower line 99.5 + 0.2·(r − 20) is 104.7 at bar 46,
  // where the close falls to 104 from 105.5.
  const down = path([[0, 100], [10, 120], [20, 100], [30, 116], [40, 104], [42, 110], [52, 95]]);
  assert.deepEqual(found(down), [["symmetrical_triangle_down", 46]]);
  assert.ok(Math.abs(detectPatterns(down)[0].level - 104.7) < 1e-9);
});

Deno.test("a widening or sloping channel is no symmetrical triangle", () => {
  // Highs falling but lows falling too (a falling channel), then a break up.
  assert.deepEqual(
    found(path([[0, 100], [10, 120], [20, 100], [30, 116], [40, 96], [50, 120]])).filter((f) =>
      String(f[0]).startsWith("symmetrical")
    ),
    [],
  );
  // Lows rising only 1 %: not enough to call it a triangle.
  assert.deepEqual(
    found(path([[0, 100], [10, 120], [20, 100], [30, 116], [40, 101], [50, 120]])).filter((f) =>
      String(f[0]).startsWith("symmetrical")
    ),
    [],
  );
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
