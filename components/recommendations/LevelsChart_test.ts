import assert from "node:assert/strict";
import { spreadLabels } from "./LevelsChart.tsx";

Deno.test("spreadLabels: labels of far-apart levels sit on their lines", () => {
  assert.deepEqual(spreadLabels([8, 30, 56]), [12, 34, 60]);
});

Deno.test("spreadLabels: close levels are pushed apart and kept inside the chart", () => {
  const out = spreadLabels([50, 55, 56], 11, 9, 62);
  assert.deepEqual(out, [40, 51, 62]);
  const top = spreadLabels([0, 1, 2], 11, 9, 62);
  assert.deepEqual(top, [9, 20, 31]);
});
