import assert from "node:assert/strict";
import { bandRuns, regimeColor } from "./regime_view.ts";

Deno.test("runs of one state merge into one rectangle", () => {
  const h = [0, 0, 1, 1, 1, 0].map((state, i) => ({ date: `d${i}`, state }));
  assert.deepEqual(bandRuns(h, 60), [
    { state: 0, from: "d0", to: "d1", x: 0, width: 20 },
    { state: 1, from: "d2", to: "d4", x: 20, width: 30 },
    { state: 0, from: "d5", to: "d5", x: 50, width: 10 },
  ]);
  assert.deepEqual(bandRuns([], 60), []);
});

Deno.test("numbered states share their colour", () => {
  assert.equal(regimeColor("volatile uptrend 2"), regimeColor("volatile uptrend"));
  assert.equal(regimeColor("crisis"), "#ef4444");
});
