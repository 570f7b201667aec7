/**
 * Backtest engine speed, measured side by side in one run (issue 13):
 *
 * 1. bar-steps per second of a one-symbol SMA(20/50) cross over AAPL's whole shipped history
 *    (zero costs, 100 shares), each side doing, on every iteration:
 *    - engine: compile the rules, compute the signals (both SMAs and both crosses as typed
 *      arrays), run the portfolio loop (fills at the next open, equity, cash and exposure curves,
 *      the trade list), then give the run's arrays back for the next run as the sweep and the
 *      report do once they have read them; `releaseRun(runBacktest(compile(rules), panel))`.
 *      Also shown: the loop alone on signals computed once, and the metrics of a run
 *      (`computeMetrics`) on their own;
 *    - hand loop: running sums, the cross test, a fill at the next open and the equity, in one
 *      pass over typed arrays, writing into an equity array allocated once (its floor), and the
 *      same allocating a fresh equity array per run (as any engine that returns a curve must);
 *    - grademark 0.3 (npm): its `backtest` on a data-forge frame that already holds the SMA
 *      columns (the frame and the columns built once, outside the timing); the same with the
 *      columns (by our running sums) and the frame built per run; and with the SMAs computed by
 *      data-forge per run (rolling windows, as a grademark user would), which is what the
 *      engine's figure includes: its own indicators.
 *    The three agree on the trades (checked below). The sides are timed in short turns (3
 *    rounds of 20 turns, each side 1 s a round after a warm-up), each charged the CPU time the
 *    process used (the machine is shared: time given to other processes is not ours); the
 *    ratios are per round and their median is reported. The engine and the hand loops take
 *    their turns together, then the engine again with grademark's three sides (whose garbage
 *    is collected during the next turn: see `near` and `far` below);
 * 2. the 107-stock universe with monthly top-10 momentum rotation: one run, warm;
 * 3. a sweep of 1,000 parameter sets (lookback × top N) of that rotation over the universe.
 *
 * Times are the CPU time of this process (`process.cpuUsage`, all its threads, so garbage
 * collection counts): on a shared machine, wall time mostly measures the other processes.
 *
 * Run: deno run -A bench/backtest_bench.ts [--quick]
 * (`--quick` shortens every timing; figures are then rougher.)
 *
 * Last printed in full (`deno run -A bench/backtest_bench.ts`), 2026-12-05, after one-symbol
 * signal-driven rules took their own path (engine.ts `runOne`), on the 2-core AMD EPYC VM of the
 * 3.74× line below (about half as fast as the machine of the earliest figures: its hand loop
 * 15.4 µs here, 7.7 there; its sweep 12.8 s, 5.4 there), so compare the ratios, not the times:
 *    engine                         57.24 M bar-steps/s  (40.9 µs/run)
 *    engine loop alone             109.11 M bar-steps/s  (21.4 µs/run)
 *    hand loop                     152.29 M bar-steps/s  (15.4 µs/run)
 *    hand loop, fresh curve        101.62 M bar-steps/s  (23.0 µs/run)
 *    engine ÷ hand loop: 2.66× the time (rounds: 2.93, 2.62, 2.66); ÷ hand loop with a fresh
 *      curve: 1.79×
 *    grademark ÷ engine: 59× (rounds: 59.44, 58.63, 59.61); with its columns and frame built
 *      per run: 68×; with the SMAs computed by data-forge per run: 914×
 *    one run 13.1 ms (19.12 M bar-steps/s); with metrics, report and the look-ahead re-runs 31.8 ms
 *    sweep of 1000 parameter sets over the universe: 12.8 s of CPU (12.5 s wall), 78.0 sets/s
 * Two more full runs that day: 2.73× (rounds 2.90, 2.63, 2.73; hand loop 16.4 µs), and 3.51×
 * (rounds 4.07, 3.51, 2.82) in a spell when the whole VM ran ~1.5× slower (hand loop 22.8 µs,
 * sweep 20.4 s), when the engine lost more than the hand loop (not looked into). A fourth, by
 * the lead on the quiet machine after the merge: 2.97× (rounds 2.92, 2.97, 3.00; hand loop
 * 23.9 µs, the VM again in a slow spell); grademark ÷ engine 52×, 839× with data-forge's SMAs;
 * one universe run 12.7 ms; sweep 12.8 s of CPU, 77.9 sets/s.
 * History of engine ÷ hand loop: 3.94× (2026-12-05; 4.10× on this VM with --quick), 3.74× after
 * the crosses kernel skips runs on one side and indicator keys are kept per operand, 2.66× with
 * `runOne` (issue 13's goal of 3× reached on a quiet machine). What is left, per run: the SMA
 * pair ~9.5 µs (two divisions a bar, as the hand loop's), marking the three curves ~11 µs (one
 * division a held bar for the exposure), the 47 fills and 23 trades ~7 µs, the crosses ~4 µs,
 * compiling and the signal pass's overhead ~5 µs.
 */
import process from "node:process";
import * as gm from "grademark";
import { DataFrame } from "data-forge";
import { History } from "../lib/market/replay/history.ts";
import { TEMPLATES } from "../lib/strategy/templates.ts";
import { prepare, report, sweep } from "../lib/backtest/run.ts";
import { releaseRun, runBacktest } from "../lib/backtest/engine.ts";
import { compile } from "../lib/backtest/compile.ts";
import { computeMetrics } from "../lib/backtest/metrics.ts";
import type { RulesInput } from "../lib/strategy/schema.ts";
import { ruleSchema } from "../lib/strategy/schema.ts";

const quick = Deno.args.includes("--quick");
const history = new History();
const START = "2012-01-03";
const END = "2021-04-21";

/** CPU ms per call (see cpuMs), after a warm-up of half the time so the JIT has optimized it. */
function timeIt(minMs: number, fn: () => void): number {
  const w0 = performance.now();
  while (performance.now() - w0 < minMs / 2) fn();
  let n = 0;
  const c0 = cpuMs();
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    fn();
    n++;
  }
  return (cpuMs() - c0) / n;
}

/** CPU time this process has used (all its threads), ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

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
const smaRules = ruleSchema.parse(smaDoc);
const sma = await prepare(history, { rules: smaRules, start: START, end: END });
const bars = sma.panel.dates.length;
const engineRun = runBacktest(compile(smaRules), sma.panel);
const signalsOnce = [sma.compiled.signals(sma.panel, 0)];

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
const handFills = handLoop(o, c, handOut);
if (handFills !== engineRun.fills.length) {
  throw new Error(`hand loop ${handFills} fills, engine ${engineRun.fills.length}`);
}
if (Math.abs(handOut[bars - 1] - engineRun.equity.at(-1)!) > 1e-6) {
  throw new Error(`hand loop ends at ${handOut[bars - 1]}, engine at ${engineRun.equity.at(-1)}`);
}

// grademark: the SMA columns, the rows and the data-forge frame its backtest reads.
function smaColumns(): { fast: Float64Array; slow: Float64Array } {
  const fast = new Float64Array(bars);
  const slow = new Float64Array(bars);
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
  return { fast, slow };
}
const times = sma.panel.dates.map((d) => new Date(`${d}T00:00:00Z`));
/**
 * The SMA columns computed with data-forge itself, as a grademark user does (its indicators
 * package averages a rolling window the same way): `rollingWindow(n)` then each window's
 * `average()`, the value of the window that ends on a bar placed on that bar.
 */
function dataForgeColumns(): { fast: Float64Array; slow: Float64Array } {
  const closes = new DataFrame({ values: Array.from(c, (close) => ({ close })) })
    .getSeries<number>("close");
  const column = (n: number) => {
    const avg = closes.rollingWindow(n).select((w) => w.average()).toArray();
    return Float64Array.from({ length: bars }, (_, i) => (i >= n - 1 ? avg[i - n + 1] : NaN));
  };
  return { fast: column(20), slow: column(50) };
}
function gmFrame(columns = smaColumns) {
  const { fast, slow } = columns();
  const rows = sma.panel.dates.map((_, i) => ({
    time: times[i],
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
  return new DataFrame<number, (typeof rows)[number]>(rows);
}
type GmBar = { fast: number; slow: number; prevFast: number; prevSlow: number };
const frame = gmFrame();
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
const engineTrades = engineRun.trades.length + engineRun.open.length;
for (const n of [gmTrades.length, gmBacktest(strategy, gmFrame(dataForgeColumns)).length]) {
  if (Math.abs(n - engineTrades) > 1) {
    throw new Error(`grademark ${n} trades, engine ${engineTrades}`);
  }
}

const engineSide = () => releaseRun(runBacktest(compile(smaRules), sma.panel));
// Two groups, each timed in its own interleaved turns: grademark's sides leave megabytes of
// garbage whose collection (on V8's helper threads, charged to whichever turn runs next) made
// the engine's turn right after them cost ~25 µs more than the same turn beside the hand loops.
// So the engine is measured beside the hand loops, and again beside grademark (that figure,
// with the aftermath charged to it, is the one the grademark ratios use).
const near: Record<string, () => void> = {
  engine: engineSide,
  "engine loop alone": () => releaseRun(runBacktest(sma.compiled, sma.panel, signalsOnce)),
  "metrics alone": () =>
    void computeMetrics({
      equity: engineRun.equity,
      gross: engineRun.gross,
      benchmark: engineRun.benchmark,
      buyHold: null,
      trades: engineRun.trades,
    }),
  "hand loop": () => void handLoop(o, c, handOut),
  "hand loop, fresh curve": () => void handLoop(o, c, new Float64Array(bars)),
};
const far: Record<string, () => void> = {
  "engine beside grademark": engineSide,
  grademark: () => void gmBacktest(strategy, frame),
  "grademark + its columns": () => void gmBacktest(strategy, gmFrame()),
  "grademark + data-forge SMAs": () => void gmBacktest(strategy, gmFrame(dataForgeColumns)),
};
const ROUNDS = 3;
const SLICES = 20;
const perRound = quick ? 200 : 1000;
const sides = { ...near, ...far };
for (const fn of Object.values(sides)) timeIt(perRound / 2, fn);
// Each round gives every side `perRound` ms in short turns, so a change in the machine's load
// during the round falls on all of them alike; each turn is charged the CPU time this process
// used in it, so time the scheduler gave to other processes is not counted.
const ms: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  const spent: Record<string, { ms: number; calls: number }> = {};
  for (const group of [near, far]) {
    for (let k = 0; k < SLICES; k++) {
      for (const [name, fn] of Object.entries(group)) {
        const x = spent[name] ??= { ms: 0, calls: 0 };
        const c0 = cpuMs();
        const t0 = performance.now();
        while (performance.now() - t0 < perRound / SLICES) {
          fn();
          x.calls++;
        }
        x.ms += cpuMs() - c0;
      }
    }
  }
  for (const [name, x] of Object.entries(spent)) (ms[name] ??= []).push(x.ms / x.calls);
}
const ratio = (a: string, b: string) => median(ms[a].map((x, i) => x / ms[b][i]));
const rounds = (a: string, b: string) => ms[a].map((x, i) => (x / ms[b][i]).toFixed(2)).join(", ");

const rate = (ms: number) => bars / (ms / 1000);
const fmt = (x: number) =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0);
console.log(
  `\n1. One symbol (AAPL, ${bars} bars), SMA(20/50) cross, zero costs; CPU time, median of ${ROUNDS} rounds:`,
);
for (const name of Object.keys(sides)) {
  const m = median(ms[name]);
  console.log(
    `   ${name.padEnd(28)} ${fmt(rate(m)).padStart(9)} bar-steps/s  (${
      (m * 1000).toFixed(1)
    } µs/run)`,
  );
}
console.log(
  `   engine ÷ hand loop: ${ratio("engine", "hand loop").toFixed(2)}× the time (rounds: ${
    rounds("engine", "hand loop")
  }); ÷ hand loop with a fresh curve: ${ratio("engine", "hand loop, fresh curve").toFixed(2)}×`,
);
console.log(
  `   grademark ÷ engine: ${ratio("grademark", "engine beside grademark").toFixed(0)}× (rounds: ${
    rounds("grademark", "engine beside grademark")
  }); with its columns and frame built per run: ${
    ratio("grademark + its columns", "engine beside grademark").toFixed(0)
  }×; with the SMAs computed by data-forge per run: ${
    ratio("grademark + data-forge SMAs", "engine beside grademark").toFixed(0)
  }×`,
);
console.log(
  `   trades agree (engine ${engineTrades}, grademark ${gmTrades.length}, hand loop ${handFills} fills)`,
);

// --- 2. The universe, monthly top-10 momentum rotation. ---
const rot = await prepare(history, {
  rules: TEMPLATES["momentum-rotation"].rules,
  start: START,
  end: END,
});
const rotMs = timeIt(quick ? 500 : 3000, () => {
  releaseRun(runBacktest(rot.compiled, rot.panel));
});
const fullMs = timeIt(quick ? 500 : 3000, () => {
  const run = runBacktest(rot.compiled, rot.panel);
  report(rot.compiled, rot.panel, run, rot.params);
  releaseRun(run);
});
const steps = rot.panel.dates.length * rot.panel.symbols.length;
console.log(
  `\n2. Universe (${rot.panel.symbols.length} stocks × ${rot.panel.dates.length} bars), monthly top-10 momentum rotation, warm, CPU time:`,
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
const c0 = cpuMs();
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
const sweepMs = cpuMs() - c0;
const sweepWallMs = performance.now() - t0;
console.log(
  `\n3. Sweep of ${res.tried} parameter sets (lookback × top N) over the universe: ${
    (sweepMs / 1000).toFixed(1)
  } s of CPU (${(sweepWallMs / 1000).toFixed(1)} s wall), ${
    (res.tried / (sweepMs / 1000)).toFixed(1)
  } sets/s, ${fmt((res.tried * steps) / (sweepMs / 1000))} bar-steps/s`,
);
console.log(
  `   best Sharpe ${res.best?.metrics.sharpe} at ${
    JSON.stringify(res.best?.params)
  } of ${res.tried} tried`,
);
