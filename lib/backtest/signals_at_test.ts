import assert from "node:assert/strict";
import { compile } from "./compile.ts";
import { barSignal, signalsAt } from "./signals_at.ts";
import { panelOf, rulesOf, walk } from "./testing.ts";

/** A seeded generator (mulberry32): the same walk every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("signals at bar t on the cut panel are the full run's signals at t, bar by bar", () => {
  const rand = seeded(7);
  const panel = panelOf({ AAA: walk(120, rand), BBB: walk(120, rand, 50) });
  const ema = { type: "indicator", name: "ema", period: 8 } as const;
  const rules = rulesOf({
    universe: { type: "symbols", symbols: ["AAA", "BBB"] },
    entry: { left: { type: "price", field: "close" }, op: "crosses_above", right: ema },
    exit: {
      any: [
        {
          left: { type: "indicator", name: "rsi", period: 5 },
          op: ">",
          right: { type: "const", value: 70 },
        },
        { left: { type: "price", field: "close", barsAgo: 2 }, op: ">", right: ema },
      ],
    },
    ranking: { by: { type: "indicator", name: "roc", period: 10 }, order: "desc", top: 1 },
  });
  const compiled = compile(rules);
  const full = panel.symbols.map((_, s) => compiled.signals(panel, s));
  let entries = 0;
  for (let t = 0; t < panel.dates.length; t++) {
    const { bySymbol, series } = signalsAt(compiled, panel, t);
    panel.symbols.forEach((sym, s) => {
      assert.deepEqual(bySymbol[sym], barSignal(full[s], t), `${sym} at bar ${t}`);
      assert.equal(series[s].entry!.length, t + 1);
      entries += bySymbol[sym].entry ?? 0;
    });
  }
  assert.ok(entries > 3, `a test with no entries proves little (${entries})`);
  assert.throws(() => signalsAt(compiled, panel, panel.dates.length), RangeError);
});
