import assert from "node:assert/strict";
import { compile } from "../backtest/compile.ts";
import { panelOf, walk } from "../backtest/testing.ts";
import { ruleSchema } from "../strategy/schema.ts";
import type { ScanSpec } from "../shared/scan.ts";
import { runScan } from "./engine.ts";
import { presetById, PRESETS } from "./presets.ts";
import { MAX_LIMIT } from "./spec.ts";
import { replayUniverse, sharedHistory } from "./universe.ts";
import { dataRange, loadPanel } from "../backtest/data.ts";
import { describeRules } from "../strategy/sentences.ts";
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
    // Some opens gap 2-5 % from the previous close, some days trade 2-4× the usual volume.
    const gap = () => (rand() < 0.06 ? (rand() < 0.5 ? -1 : 1) * (0.02 + rand() * 0.03) : 0);
    const open = close.map((c, k) => (k ? close[k - 1] : c) * (1 + (rand() - 0.5) * 0.01 + gap()));
    const high = close.map((c, k) => Math.max(c, open[k]) * (1 + rand() * 0.01));
    const low = close.map((c, k) => Math.min(c, open[k]) * (1 - rand() * 0.01));
    const volume = close.map(() => (1e6 + rand() * 1e6) * (rand() < 0.08 ? 2 + rand() * 2 : 1));
    return [s, { open, high, low, close, volume }];
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

/**
 * Checks that the compiled entry rule fires exactly on the days the scan matches, from row
 * `from` (after a year of warm-up) on; returns the number of matches.
 */
function compare(spec: ScanSpec, on = { panel, universe }, from = 260) {
  const made = scanToRules("t", spec);
  const compiled = compile(ruleSchema.parse({ ...made.rules, universe: { type: "all" } }));
  const entries = on.panel.symbols.map((_, s) => compiled.signals(on.panel, s).entry!);
  let matches = 0;
  for (let t = from; t < on.panel.dates.length; t++) {
    const day = on.panel.dates[t];
    const hits = new Set(
      runScan(on.universe, day, { ...spec, limit: MAX_LIMIT }).hits.map((h) => h.symbol),
    );
    on.panel.symbols.forEach((sym, s) => {
      assert.equal(entries[s][t] === 1, hits.has(sym), `${sym} on ${day}`);
    });
    matches += hits.size;
  }
  return matches;
}

/** The presets the rule language could not write before it had ratios, gaps and factors. */
const NEWLY_TRANSLATED = [
  "breakout_20",
  "breakout_50",
  "breakout_52w",
  "unusual_volume",
  "gap_up",
  "gap_down",
  "near_52w_low",
  "high_atr",
];

const withoutSort = ({ sort: _, limit: __, ...spec }: ScanSpec): ScanSpec => spec;

Deno.test("a translated scan enters exactly on the days the scan matches", () => {
  assert.equal(PRESETS.length, 14);
  let total = 0;
  for (const p of PRESETS) {
    const matches = compare(withoutSort(p.spec));
    if (NEWLY_TRANSLATED.includes(p.id) && p.id !== "breakout_52w") {
      assert.ok(matches > 0, `${p.id} never matched on the built series: it proves nothing`);
    }
    total += matches;
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

Deno.test("the document states its exit and universe; ratios, gaps and factors translate", () => {
  const made = scanToRules("Oversold tech", {
    conditions: [{ left: { indicator: "rsi" }, op: "<", right: { value: 30 } }],
    sector: "Information Technology",
    minDollarVolume: 5e6,
  });
  const rules = ruleSchema.parse(made.rules);
  assert.deepEqual(rules.universe, { type: "sector", sector: "Information Technology" });
  assert.equal(rules.exits.maxBars, DEFAULT_HOLD_DAYS);
  assert.ok(made.assumptions.some((a) => a.includes(`${DEFAULT_HOLD_DAYS} trading days`)));
  assert.ok(made.assumptions.some((a) => a.startsWith("Liquidity floor not applied")));

  // Ratios, gaps and factors now have rule operands.
  const ratio = scanToRules("x", {
    conditions: [
      { left: { indicator: "volume_ratio" }, op: ">=", right: { value: 2 } },
      {
        left: { indicator: "close" },
        op: "<",
        right: { indicator: "lowest", period: 252, times: 1.05 },
      },
      { left: { indicator: "gap", ago: 1 }, op: "<=", right: { value: -2 } },
    ],
  });
  const r = ruleSchema.parse(ratio.rules);
  assert.deepEqual(r.entry, {
    all: [
      {
        left: { type: "indicator", name: "volume_ratio", period: 20 },
        op: ">=",
        right: { type: "const", value: 2 },
      },
      {
        left: { type: "price", field: "close" },
        op: "<",
        right: {
          type: "indicator",
          name: "lowest",
          input: "low",
          period: 252,
          barsAgo: 1,
          times: 1.05,
        },
      },
      {
        left: { type: "indicator", name: "gap_pct", barsAgo: 1 },
        op: "<=",
        right: { type: "const", value: -2 },
      },
    ],
  });
  assert.deepEqual(
    describeRules(r).find((x) => x.startsWith("Buy when")),
    [
      "Buy when the volume is at least 2× its average over the 20 bars before",
      "the close is below 1.05 × the lowest low of the 252 bars before",
      "the opening gap (% from the previous close) 1 bar ago is at or below -2.",
    ].join(" and "),
  );
});

Deno.test("the newly translated presets agree with the scan on shipped symbols", async () => {
  const history = sharedHistory();
  const symbols = ["AAPL", "NVDA", "XOM", "JPM"];
  const stocks = (await replayUniverse(history)).filter((s) => symbols.includes(s.symbol));
  assert.equal(stocks.length, symbols.length);
  const { first, last } = await dataRange(history);
  const real = await loadPanel(history, {
    symbols,
    start: first,
    end: last,
    warmup: 0,
    adjustment: "split",
  });
  // Rows where every symbol has a year of its own bars (Wilder's averages have settled).
  const from = Math.max(...stocks.map((s) => real.dates.indexOf(s.dates[0]))) + 300;
  assert.ok(from > 0 && from < real.dates.length - 250, `from ${from} of ${real.dates.length}`);
  for (const id of NEWLY_TRANSLATED) {
    const matches = compare(
      withoutSort(presetById(id)!.spec),
      { panel: real, universe: stocks },
      from,
    );
    assert.ok(matches > 0, `${id} never matched on shipped data`);
  }
});
