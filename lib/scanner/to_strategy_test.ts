import assert from "node:assert/strict";
import { compile } from "../backtest/compile.ts";
import { panelOf, walk } from "../backtest/testing.ts";
import { ruleSchema } from "../strategy/schema.ts";
import type { ScanSpec } from "../shared/scan.ts";
import { runScan } from "./engine.ts";
import { PRESETS } from "./presets.ts";
import type { ScanSeries } from "./series.ts";
import { DEFAULT_HOLD_DAYS, scanToRules } from "./to_strategy.ts";

/** A seeded generator (mulberry32): the same walks every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const N = 420;
const rand = seeded(16);
const bars = Object.fromEntries(
  ["AAA", "BBB", "CCC", "DDD"].map((s, i) => {
    const w = walk(N, rand, 40 + 30 * i);
    // Wider swings than the helper's walk, so RSI extremes and crosses happen.
    const close = w.close.map((_, k) => w.close[k] * (1 + Math.sin(k / (9 + i)) * 0.25));
    const open = close.map((c, k) => (k ? close[k - 1] : c) * (1 + (rand() - 0.5) * 0.01));
    const high = close.map((c, k) => Math.max(c, open[k]) * (1 + rand() * 0.01));
    const low = close.map((c, k) => Math.min(c, open[k]) * (1 - rand() * 0.01));
    return [s, { open, high, low, close, volume: close.map(() => 1e6 + rand() * 1e6) }];
  }),
);
const panel = panelOf(bars);
const universe: ScanSeries[] = panel.symbols.map((symbol, s) => ({
  symbol,
  name: symbol,
  sector: null,
  dates: panel.dates,
  open: panel.open[s],
  high: panel.high[s],
  low: panel.low[s],
  close: panel.close[s],
  volume: panel.volume[s],
}));

/** The days (after a year of warm-up) on which the scan and the compiled entry rule agree. */
function compare(spec: ScanSpec) {
  const made = scanToRules("t", spec);
  assert.ok(made.ok, JSON.stringify(made));
  const compiled = compile(ruleSchema.parse({ ...made.rules, universe: { type: "all" } }));
  const entries = panel.symbols.map((_, s) => compiled.signals(panel, s).entry!);
  let matches = 0;
  for (let t = 260; t < N; t++) {
    const hits = new Set(runScan(universe, panel.dates[t], spec).hits.map((h) => h.symbol));
    panel.symbols.forEach((sym, s) => {
      assert.equal(entries[s][t] === 1, hits.has(sym), `${sym} on ${panel.dates[t]}`);
    });
    matches += hits.size;
  }
  return matches;
}

Deno.test("a translated scan enters exactly on the days the scan matches", () => {
  const translated = PRESETS.filter((p) => scanToRules(p.name, p.spec).ok);
  assert.deepEqual(translated.map((p) => p.id).sort(), [
    "death_cross",
    "golden_cross",
    "momentum",
    "overbought",
    "oversold",
    "reversal",
  ]);
  let total = 0;
  for (const p of translated) {
    const { sort: _, limit: __, minDollarVolume: ___, ...spec } = p.spec;
    total += compare(spec);
  }
  assert.ok(total > 20, `too few matches to prove anything (${total})`);
  // New highs and lows (the scan's window ends the day before).
  assert.ok(
    compare({
          conditions: [{ left: { indicator: "close" }, op: ">", right: { indicator: "highest" } }],
        }) +
        compare({
          conditions: [{
            left: { indicator: "low" },
            op: "<",
            right: { indicator: "lowest", period: 10, ago: 1 },
          }],
        }) > 0,
  );
  // Returns, ago offsets and a price floor.
  assert.ok(
    compare({
      conditions: [
        { left: { indicator: "return", period: 10 }, op: ">", right: { value: 3 } },
        { left: { indicator: "close", ago: 1 }, op: "<", right: { indicator: "ema", period: 10 } },
      ],
      minPrice: 50,
    }) > 0,
  );
});

Deno.test("the document states its exit and universe; ratios are refused with reasons", () => {
  const made = scanToRules("Oversold tech", {
    conditions: [{ left: { indicator: "rsi" }, op: "<", right: { value: 30 } }],
    sector: "Information Technology",
    minDollarVolume: 5e6,
  });
  assert.ok(made.ok);
  const rules = ruleSchema.parse(made.rules);
  assert.deepEqual(rules.universe, { type: "sector", sector: "Information Technology" });
  assert.equal(rules.exits.maxBars, DEFAULT_HOLD_DAYS);
  assert.ok(made.assumptions.some((a) => a.includes(`${DEFAULT_HOLD_DAYS} trading days`)));
  assert.ok(made.assumptions.some((a) => a.startsWith("Liquidity floor not applied")));

  const refused = scanToRules("x", {
    conditions: [
      { left: { indicator: "volume_ratio" }, op: ">=", right: { value: 2 } },
      {
        left: { indicator: "close" },
        op: "<",
        right: { indicator: "lowest", period: 252, times: 1.05 },
      },
      { left: { indicator: "rsi" }, op: "<", right: { value: 30 } },
    ],
  });
  assert.ok(!refused.ok);
  assert.equal(refused.problems.length, 2);
  assert.match(refused.problems[0], /volume ÷ 20-day avg/);
  assert.match(refused.problems[1], /factor/);
});
