/**
 * Backtest engine speed, measured side by side in one run (issue 13):
 *
 * 1. bar-steps per second of a one-symbol SMA(20/50) cross over AAPL's whole shipped history:
 *    our engine (signals compiled and the portfolio loop run, every iteration), a hand-written
 *    typed-array loop of the same rule on the same data, and grademark 0.3 (npm) with the same
 *    rule on precomputed indicator columns. The three must agree on the trades, checked below;
 * 2. the 107-stock universe with monthly top-10 momentum rotation: one run, warm;
 * 3. a sweep of 1,000 parameter sets (lookback × top N) of that rotation over the universe.
 *
 * Run: deno run -A bench/backtest_bench.ts [--quick]
 * (`--quick` shortens every timing; figures are then rougher.)
 */
import * as gm from "grademark";
import { DataFrame } from "data-forge";
import { History } from "../lib/market/replay/history.ts";
import { TEMPLATES } from "../lib/strategy/templates.ts";
import { prepare, report, sweep } from "../lib/backtest/run.ts";
import { runBacktest } from "../lib/backtest/engine.ts";
import type { RulesInput } from "../lib/strategy/schema.ts";
import { ruleSchema } from "../lib/strategy/schema.ts";

const quick = Deno.args.includes("--quick");
const history = new History();
const START = "2012-01-03";
const END = "2021-04-21";

function timeIt(minMs: number, fn: () => void): number {
  // Warm up for half the time (so the JIT has optimized it), then run for at least minMs.
  const w0 = performance.now();
  while (performance.now() - w0 < minMs / 2) fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    fn();
    n++;
    t = performance.now();
  }
  return (t - t0) / n;
}

// --- 1. One symbol, SMA(20/50) cross, zero costs, no spread: the same rule three ways. ---
const smaDoc: RulesInput = {
  name: "SMA cross (bench)",
  universe: { type: "symbols", symbols: ["AAPL"] },
  entry: {
    left: { type: "indicator", name: "sma", period: 20 },
    op: "crosses_above",
    right: { type: "indicator", name: "sma", period: 50 },
  },
  exit: {
    left: { type: "indicator", name: "sma", period: 20 },
    op: "crosses_below",
    right: { type: "indicator", name: "sma", period: 50 },
  },
  sizing: { method: "fixed_shares", shares: 100 },
  costs: { commission: { type: "none" }, slippageBps: 0, spread: "none" },
  startingCash: 1e6,
};
const sma = await prepare(history, { rules: ruleSchema.parse(smaDoc), start: START, end: END });
const bars = sma.panel.dates.length;
const engineMs = timeIt(quick ? 300 : 2000, () => {
  runBacktest(sma.compiled, sma.panel);
});
const engineRun = runBacktest(sma.compiled, sma.panel);

/** The same rule by hand: running sums, a cross test, a fill at the next open, the equity. */
function handLoop(open: Float64Array, close: Float64Array, out: Float64Array): number {
  const n = close.length;
  let s20 = 0;
  let s50 = 0;
  let prevF = NaN;
  let prevS = NaN;
  let cash = 1e6;
  let qty = 0;
  let pending = 0; // +1 buy, -1 sell at the next open
  let fills = 0;
  for (let i = 0; i < n; i++) {
    if (pending !== 0) {
      if (pending > 0) (cash -= 100 * open[i], qty = 100);
      else (cash += qty * open[i], qty = 0);
      pending = 0;
      fills++;
    }
    const c = close[i];
    s20 += c;
    s50 += c;
    if (i >= 20) s20 -= close[i - 20];
    if (i >= 50) s50 -= close[i - 50];
    const f = i >= 19 ? s20 / 20 : NaN;
    const s = i >= 49 ? s50 / 50 : NaN;
    out[i] = cash + qty * c;
    if (qty === 0 && prevF <= prevS && f > s) pending = 1;
    else if (qty > 0 && prevF >= prevS && f < s) pending = -1;
    prevF = f;
    prevS = s;
  }
  return fills;
}
const handOut = new Float64Array(bars);
const o = sma.panel.open[0];
const c = sma.panel.close[0];
const handMs = timeIt(quick ? 300 : 2000, () => {
  handLoop(o, c, handOut);
});
const handFills = handLoop(o, c, handOut);
if (handFills !== engineRun.fills.length) {
  throw new Error(`hand loop ${handFills} fills, engine ${engineRun.fills.length}`);
}
if (Math.abs(handOut[bars - 1] - engineRun.equity.at(-1)!) > 1e-6) {
  throw new Error(`hand loop ends at ${handOut[bars - 1]}, engine at ${engineRun.equity.at(-1)}`);
}

// grademark: indicators precomputed into columns (not timed), the rule as its callbacks.
const fast = new Float64Array(bars);
const slow = new Float64Array(bars);
{
  let a = 0;
  let b = 0;
  for (let i = 0; i < bars; i++) {
    a += c[i];
    b += c[i];
    if (i >= 20) a -= c[i - 20];
    if (i >= 50) b -= c[i - 50];
    fast[i] = i >= 19 ? a / 20 : NaN;
    slow[i] = i >= 49 ? b / 50 : NaN;
  }
}
const rows = sma.panel.dates.map((d, i) => ({
  time: new Date(`${d}T00:00:00Z`),
  open: o[i],
  high: sma.panel.high[0][i],
  low: sma.panel.low[0][i],
  close: c[i],
  volume: sma.panel.volume[0][i],
  fast: fast[i],
  slow: slow[i],
  prevFast: i > 0 ? fast[i - 1] : NaN,
  prevSlow: i > 0 ? slow[i - 1] : NaN,
}));
type GmBar = (typeof rows)[number];
const frame = new DataFrame<number, GmBar>(rows);
const strategy = {
  lookbackPeriod: 1,
  entryRule: (enter: () => void, args: { bar: GmBar }) => {
    const b = args.bar;
    if (b.prevFast <= b.prevSlow && b.fast > b.slow) enter();
  },
  exitRule: (exit: () => void, args: { bar: GmBar }) => {
    const b = args.bar;
    if (b.prevFast >= b.prevSlow && b.fast < b.slow) exit();
  },
};
// deno-lint-ignore no-explicit-any
const gmBacktest = gm.backtest as (s: any, f: any) => { entryTime: Date }[];
const gmTrades = gmBacktest(strategy, frame);
const gmMs = timeIt(quick ? 500 : 3000, () => {
  gmBacktest(strategy, frame);
});
const engineTrades = engineRun.trades.length + engineRun.open.length;
if (Math.abs(gmTrades.length - engineTrades) > 1) {
  throw new Error(`grademark ${gmTrades.length} trades, engine ${engineTrades}`);
}

const rate = (ms: number) => bars / (ms / 1000);
const fmt = (x: number) =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0);
console.log(`\n1. One symbol (AAPL, ${bars} bars), SMA(20/50) cross, zero costs:`);
console.log(
  `   engine      ${fmt(rate(engineMs))} bar-steps/s  (${(engineMs * 1000).toFixed(1)} µs/run)`,
);
console.log(
  `   hand loop   ${fmt(rate(handMs))} bar-steps/s  (${(handMs * 1000).toFixed(1)} µs/run)`,
);
console.log(`   grademark   ${fmt(rate(gmMs))} bar-steps/s  (${gmMs.toFixed(2)} ms/run)`);
console.log(
  `   engine is ${(engineMs / handMs).toFixed(2)}× the hand loop's time and ${
    (gmMs / engineMs).toFixed(0)
  }× faster than grademark; trades agree (engine ${engineTrades}, grademark ${gmTrades.length}, hand loop ${handFills} fills)`,
);

// --- 2. The universe, monthly top-10 momentum rotation. ---
const rot = await prepare(history, {
  rules: TEMPLATES["momentum-rotation"].rules,
  start: START,
  end: END,
});
const rotMs = timeIt(quick ? 500 : 3000, () => {
  runBacktest(rot.compiled, rot.panel);
});
const fullMs = timeIt(quick ? 500 : 3000, () => {
  report(rot.compiled, rot.panel, runBacktest(rot.compiled, rot.panel), rot.params);
});
const steps = rot.panel.dates.length * rot.panel.symbols.length;
console.log(
  `\n2. Universe (${rot.panel.symbols.length} stocks × ${rot.panel.dates.length} bars), monthly top-10 momentum rotation, warm:`,
);
console.log(
  `   one run ${rotMs.toFixed(1)} ms (${
    fmt(steps / (rotMs / 1000))
  } bar-steps/s); with metrics, report and the look-ahead re-runs ${fullMs.toFixed(1)} ms`,
);

// --- 3. A sweep of 1,000 parameter sets over the universe. ---
const lookbacks = Array.from({ length: quick ? 10 : 100 }, (_, i) => 20 + 2 * i);
const tops = Array.from({ length: 10 }, (_, i) => i + 1);
let lastPct = -1;
const t0 = performance.now();
const res = await sweep(
  history,
  { rules: TEMPLATES["momentum-rotation"].rules, start: START, end: END },
  { lookback: lookbacks, top: tops },
  "sharpe",
  {
    onProgress: (done, total) => {
      const pct = Math.floor((100 * done) / total);
      if (pct % 10 === 0 && pct !== lastPct) {
        lastPct = pct;
        Deno.stdout.writeSync(new TextEncoder().encode(`   … ${done}/${total}\n`));
      }
    },
  },
);
const sweepMs = performance.now() - t0;
console.log(
  `\n3. Sweep of ${res.tried} parameter sets (lookback × top N) over the universe: ${
    (sweepMs / 1000).toFixed(1)
  } s, ${(res.tried / (sweepMs / 1000)).toFixed(1)} sets/s, ${
    fmt((res.tried * steps) / (sweepMs / 1000))
  } bar-steps/s`,
);
console.log(
  `   best Sharpe ${res.best?.metrics.sharpe} at ${
    JSON.stringify(res.best?.params)
  } of ${res.tried} tried`,
);
