import assert from "node:assert/strict";
import { History } from "../market/replay/history.ts";
import {
  classify,
  type Feature,
  nameStates,
  regimeFeatures,
  type RegimeModel,
  trainRegimes,
} from "./regime.ts";
import { MODEL_URL } from "./train_cli.ts";

const history = new History();
const rows = regimeFeatures(await history.series("SPX"), await history.series("VIX"));

Deno.test("training is reproducible: same seed, same states, the shipped model file", async () => {
  const a = trainRegimes(rows, { k: 4, seed: 16 });
  const b = trainRegimes(rows, { k: 4, seed: 16 });
  assert.deepEqual(a, b);
  const shipped: RegimeModel = JSON.parse(await Deno.readTextFile(MODEL_URL));
  assert.deepEqual(JSON.parse(JSON.stringify(a)), shipped, "run `deno task train` to refresh it");
  assert.deepEqual(a.states.map((s) => s.name).sort(), [
    "calm uptrend",
    "correction",
    "crisis",
    "volatile uptrend",
  ]);
  // Every training day falls in the state its centroid is nearest to.
  const counts = new Array(4).fill(0);
  for (const r of rows) counts[classify(a, r.x)]++;
  assert.deepEqual(counts, a.states.map((s) => s.days));
});

Deno.test("the March 2020 crash is the crisis state, a quiet 2017 day the calm uptrend", () => {
  const model = trainRegimes(rows, { k: 4, seed: 16 });
  const at = (d: string) => model.states[classify(model, rows.find((r) => r.date === d)!.x)].name;
  assert.equal(at("2020-03-16"), "crisis");
  assert.equal(at("2017-07-14"), "calm uptrend");
});

Deno.test("features are read from closes through the day, checked by hand for one day", async () => {
  const spx = await history.series("SPX");
  const vix = await history.series("VIX");
  const row = rows.find((r) => r.date === "2019-06-03")!;
  const t = spx.row.get("2019-06-03")!;
  const v = vix.row.get("2019-06-03")!;
  assert.ok(Math.abs(row.x[0] - (spx.close[t] / spx.close[t - 20] - 1) * 100) < 1e-9);
  const rets = Array.from(
    { length: 20 },
    (_, i) => Math.log(spx.close[t - i] / spx.close[t - i - 1]),
  );
  const m = rets.reduce((a, b) => a + b) / 20;
  const sd = Math.sqrt(rets.reduce((s, r) => s + (r - m) ** 2, 0) / 19);
  assert.ok(Math.abs(row.x[1] - sd * Math.sqrt(252) * 100) < 1e-9);
  assert.equal(row.x[2], vix.close[v]);
  assert.ok(Math.abs(row.x[3] - (vix.close[v] / vix.close[v - 5] - 1) * 100) < 1e-9);
  assert.ok(Math.abs(row.forward! - (spx.close[t + 20] / spx.close[t] - 1) * 100) < 1e-9);
  // Changing the days after t changes nothing in its features.
  const cut = {
    dates: spx.dates.slice(0, t + 1),
    close: spx.close.slice(0, t + 1),
  };
  const early = regimeFeatures(cut, vix).find((r) => r.date === "2019-06-03")!;
  assert.deepEqual(early.x, row.x);
  assert.equal(early.forward, null);
});

Deno.test("states are named by their statistics", () => {
  const m = (return20: number, vol20: number, vix: number): Record<Feature, number> => ({
    return20,
    vol20,
    vix,
    vixChange5: 0,
  });
  assert.deepEqual(nameStates([m(2, 10, 13), m(-15, 60, 50), m(-3, 18, 22), m(1, 20, 21)]), [
    "calm uptrend",
    "crisis",
    "correction",
    "volatile uptrend",
  ]);
  assert.deepEqual(nameStates([m(2, 10, 13), m(-3, 18, 22)]), ["calm uptrend", "correction"]);
  assert.deepEqual(nameStates([m(2, 10, 13), m(3, 12, 15), m(1, 30, 25)]), [
    "calm uptrend",
    "volatile uptrend",
    "volatile uptrend 2",
  ]);
});
