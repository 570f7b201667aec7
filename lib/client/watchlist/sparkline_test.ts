import assert from "node:assert/strict";
import fc from "fast-check";
import { moved, pushPoint, sparklinePath } from "./sparkline.ts";

Deno.test("the series keeps the newest points and skips repeats", () => {
  let s: number[] = [];
  for (const v of [1, 1, 2, 2, 3]) s = pushPoint(s, v, 2);
  assert.deepEqual(s, [2, 3]);
  assert.deepEqual(pushPoint([1], NaN), [1]);
});

Deno.test("the path spans the box: the highest value at the top, the lowest at the bottom", () => {
  assert.equal(sparklinePath([1], 60, 20), "");
  assert.equal(sparklinePath([5, 5], 60, 20), "M0,10L60,10");
  assert.equal(sparklinePath([1, 3, 2], 60, 20), "M0,19L30,1L60,10");
  fc.assert(fc.property(
    fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 80 }),
    (values) => {
      const points = sparklinePath(values, 100, 30).slice(1).split("L").map((p) =>
        p.split(",").map(Number)
      );
      assert.equal(points.length, values.length);
      for (const [x, y] of points) {
        assert.ok(x >= 0 && x <= 100 && y >= 0 && y <= 30, `${x},${y}`);
      }
    },
  ));
});

Deno.test("moving a symbol reorders the list and clamps at its ends", () => {
  const list = ["A", "B", "C"];
  assert.deepEqual(moved(list, "C", -1), ["A", "C", "B"]);
  assert.deepEqual(moved(list, "A", -1), ["A", "B", "C"]);
  assert.deepEqual(moved(list, "A", 5), ["B", "C", "A"]);
  assert.deepEqual(moved(list, "Z", 1), list);
});
