/**
 * One backtest, end to end: resolve the rule's parameters and universe, load the bars with the
 * warm-up the rules need, run the loop, compute the metrics (in- and out-of-sample when a split
 * date is set) and the bias checks. Also parameter sweeps over a grid, on bars loaded once.
 *
 * @module
 */
import { History } from "../market/replay/history.ts";
import { type ParamValues, resolveParams, type Rules } from "../strategy/schema.ts";
import { describeRules } from "../strategy/sentences.ts";
import { compile, type Compiled } from "./compile.ts";
import { type DataSource, loadPanel, type Panel } from "./data.ts";
import { barsOf, type BarSource } from "./bars.ts";
import { releaseRun, runBacktest, type RunResult, type Trade } from "./engine.ts";
import { computeMetrics, drawdowns, type Metrics } from "./metrics.ts";
import { type BiasReport, biasReport } from "./bias.ts";

export interface BacktestInput {
  rules: Rules;
  params?: ParamValues;
  /** Overrides the rules' universe. */
  symbols?: string[];
  start: string;
  end: string;
  /** In-sample before this date, out-of-sample from it. */
  splitDate?: string;
}

export interface BacktestReport {
  rules: Rules;
  sentences: string[];
  params: ParamValues;
  data: {
    source: DataSource;
    symbols: string[];
    start: string;
    end: string;
    adjustment: Rules["priceAdjustment"];
    benchmark: string;
  };
  metrics: Metrics;
  split: { date: string; inSample: Metrics; outOfSample: Metrics } | null;
  curve: {
    dates: string[];
    equity: number[];
    benchmark: number[];
    buyHold: number[];
    drawdownPct: number[];
  };
  monthly: { month: string; returnPct: number }[];
  trades: Trade[];
  open: Trade[];
  bias: BiasReport;
}

/**
 * The symbols a run trades: the request's, else the rules' universe. "All" and a sector are the
 * shipped universe's tickers, whichever source the bars then come from.
 */
export function universeOf(history: History, rules: Rules, symbols?: string[]): string[] {
  const name = (s: string) => history.resolve(s)?.symbol ?? s.toUpperCase();
  if (symbols?.length) return [...new Set(symbols.map(name))];
  const u = rules.universe;
  const stocks = history.list().filter((i) => i.type === "stock");
  if (u.type === "symbols") return u.symbols.map(name);
  if (u.type === "sector") {
    return stocks.filter((i) => i.sector?.toLowerCase() === u.sector.toLowerCase()).map((i) =>
      i.symbol
    );
  }
  return stocks.map((i) => i.symbol);
}

/**
 * Compiles the rules and loads their bars. `data` is the bar source (bars.ts); a `History` is the
 * shipped one. The universe's "all" and sectors come from `universe`, the shipped list (default
 * `data` itself when it is a `History`).
 */
export async function prepare(
  data: History | BarSource,
  input: BacktestInput,
  extraWarmup = 0,
  universe?: History,
): Promise<{ compiled: Compiled; panel: Panel; params: ParamValues }> {
  const rules = resolveParams(input.rules, input.params ?? {});
  const compiled = compile(rules);
  const list = universe ?? (data instanceof History ? data : undefined);
  const u = input.rules.universe;
  const named = input.symbols?.length ? input.symbols : u.type === "symbols" ? u.symbols : [];
  const symbols = list
    ? universeOf(list, input.rules, input.symbols)
    : [...new Set(named.map((s) => s.toUpperCase()))];
  if (!symbols.length) throw new RangeError("The universe has no symbols.");
  const bars = barsOf(data);
  const unknown = await bars.unknown(symbols);
  if (unknown.length) {
    throw new RangeError(
      `No ${bars.source === "tradier" ? "Tradier" : "shipped"} history for ${unknown.join(", ")}.`,
    );
  }
  const panel = await loadPanel(bars, {
    symbols,
    start: input.start,
    end: input.end,
    warmup: Math.max(compiled.lookback, extraWarmup),
    adjustment: rules.priceAdjustment,
    benchmark: rules.benchmark,
  });
  const params = Object.fromEntries(
    Object.entries(rules.params).map(([k, p]) => [k, p.default]),
  );
  return { compiled, panel, params };
}

/** Equal-weight buy at the first traded open of every symbol then listed, held, no costs. */
export function buyAndHold(panel: Panel, startingCash: number): Float64Array {
  const t0 = panel.startIndex;
  const n = panel.dates.length - t0;
  const out = new Float64Array(n);
  const live = panel.symbols.map((_, s) => s).filter((s) => panel.open[s][t0] > 0);
  if (!live.length) return out.fill(startingCash);
  const per = startingCash / live.length;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const s of live) v += per * panel.close[s][t0 + i] / panel.open[s][t0];
    out[i] = v;
  }
  return out;
}

function monthly(dates: string[], equity: Float64Array): { month: string; returnPct: number }[] {
  const out: { month: string; returnPct: number }[] = [];
  let base = equity[0];
  for (let i = 0; i < dates.length; i++) {
    const m = dates[i].slice(0, 7);
    const last = i === dates.length - 1 || dates[i + 1].slice(0, 7) !== m;
    if (last) {
      out.push({ month: m, returnPct: Math.round(1e4 * (equity[i] / base - 1)) / 100 });
      base = equity[i];
    }
  }
  return out;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

export function report(
  compiled: Compiled,
  panel: Panel,
  run: RunResult,
  params: ParamValues,
  splitDate?: string,
): BacktestReport {
  const rules = compiled.rules;
  const bh = buyAndHold(panel, rules.startingCash);
  const benchScale = rules.startingCash / run.benchmark[0];
  const metrics = computeMetrics({
    equity: run.equity,
    gross: run.gross,
    benchmark: run.benchmark,
    buyHold: bh,
    trades: run.trades,
  });
  let split: BacktestReport["split"] = null;
  if (splitDate) {
    const k = run.dates.findIndex((d) => d >= splitDate);
    if (k > 1 && k < run.dates.length - 1) {
      const part = (a: number, b: number, inside: (t: Trade) => boolean) =>
        computeMetrics({
          equity: run.equity.subarray(a, b),
          gross: run.gross.subarray(a, b),
          benchmark: run.benchmark.subarray(a, b),
          buyHold: bh.subarray(a, b),
          trades: run.trades.filter(inside),
        });
      split = {
        date: run.dates[k],
        inSample: part(0, k + 1, (t) => t.exitDate < run.dates[k]),
        outOfSample: part(k, run.dates.length, (t) => t.entryDate >= run.dates[k]),
      };
    }
  }
  const dd = drawdowns(run.equity);
  return {
    rules,
    sentences: describeRules(rules),
    params,
    data: {
      source: panel.source,
      symbols: panel.symbols,
      start: run.dates[0],
      end: run.dates[run.dates.length - 1],
      adjustment: panel.adjustment,
      benchmark: panel.benchmarkSymbol,
    },
    metrics,
    split,
    curve: {
      dates: run.dates,
      equity: Array.from(run.equity, r2),
      benchmark: Array.from(run.benchmark, (x) => r2(x * benchScale)),
      buyHold: Array.from(bh, r2),
      drawdownPct: Array.from(dd.series, r2),
    },
    monthly: monthly(run.dates, run.equity),
    trades: run.trades,
    open: run.open,
    bias: biasReport(compiled, panel, run.signals, run.trades.length),
  };
}

export async function backtest(
  data: History | BarSource,
  input: BacktestInput,
  universe?: History,
): Promise<BacktestReport> {
  const { compiled, panel, params } = await prepare(data, input, 0, universe);
  const run = runBacktest(compiled, panel);
  try {
    // The report copies what it keeps of the run's arrays, so they can go back to the pool.
    return report(compiled, panel, run, params, input.splitDate);
  } finally {
    releaseRun(run);
  }
}

export interface SweepPoint {
  params: ParamValues;
  metrics: Metrics;
}

export interface SweepResult {
  metric: keyof Metrics;
  tried: number;
  points: SweepPoint[];
  best: SweepPoint | null;
}

/** Every combination of the grid's values (first key varies slowest). */
export function gridOf(grid: Record<string, number[]>): ParamValues[] {
  let out: ParamValues[] = [{}];
  for (const [k, values] of Object.entries(grid)) {
    out = out.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
  }
  return out;
}

/**
 * Runs every combination of `grid` on bars loaded once (with the longest warm-up any needs).
 * `onProgress(done, total)` after each; `shouldStop()` is asked between combinations and ends
 * the sweep early (the points so far are returned). Bias checks are the single run's business.
 */
export async function sweep(
  data: History | BarSource,
  input: BacktestInput,
  grid: Record<string, number[]>,
  metric: keyof Metrics,
  hooks: {
    onProgress?: (done: number, total: number) => void | Promise<void>;
    shouldStop?: () => boolean | Promise<boolean>;
  } = {},
  universe?: History,
): Promise<SweepResult> {
  const combos = gridOf(grid);
  const warmup = Math.max(
    ...combos.map((p) => compile(resolveParams(input.rules, { ...input.params, ...p })).lookback),
  );
  const { panel } = await prepare(data, input, warmup, universe);
  const points: SweepPoint[] = [];
  for (let i = 0; i < combos.length; i++) {
    if (await hooks.shouldStop?.()) break;
    const params = { ...input.params, ...combos[i] };
    const compiled = compile(resolveParams(input.rules, params));
    const run = runBacktest(compiled, panel);
    const metrics = computeMetrics({
      equity: run.equity,
      gross: run.gross,
      benchmark: run.benchmark,
      buyHold: null,
      trades: run.trades,
    });
    releaseRun(run);
    points.push({ params: combos[i], metrics });
    await hooks.onProgress?.(i + 1, combos.length);
  }
  const lowerIsBetter = metric === "maxDrawdownPct" || metric === "maxDrawdownBars" ||
    metric === "volatilityPct" || metric === "avgDrawdownPct";
  let best: SweepPoint | null = null;
  for (const p of points) {
    const v = p.metrics[metric];
    if (v === null) continue;
    const bv = best?.metrics[metric] ?? null;
    if (bv === null || (lowerIsBetter ? v < bv : v > bv)) best = p;
  }
  return { metric, tried: points.length, points, best };
}
