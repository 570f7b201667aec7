/**
 * The Backtesting stage's arithmetic and wording: the form as the body `/api/backtesting`
 * takes, metric values with their sign and unit, the monthly-returns grid, chart series, and a
 * comparison of two runs. Pure, so it is tested without a browser.
 */

export interface TemplateInfo {
  id: string;
  name: string;
  description: string;
  defaultSymbols: string[] | "all";
  sentences: string[];
  params: Record<string, { default: number }>;
}

export interface BacktestForm {
  template: string;
  /** Comma- or space-separated tickers; empty: the template's own universe. */
  symbols: string;
  start: string;
  end: string;
  splitDate: string;
  commissionPerShare: string;
  commissionMinimum: string;
  slippageBps: string;
  spread: "paper_broker" | "none";
  adjustment: "split" | "total_return";
}

export type Metrics = Record<string, number | null>;

export interface Trade {
  symbol: string;
  direction: "long" | "short";
  entryDate: string;
  entryPrice: number;
  exitDate: string;
  exitPrice: number;
  qty: number;
  pnl: number;
  returnPct: number;
  bars: number;
  reason: string;
}

export interface Curve {
  dates: string[];
  equity: number[];
  benchmark: number[];
  buyHold: number[];
  drawdownPct: number[];
}

export interface LookAheadCut {
  date: string;
  identical: boolean;
  firstDifference?: { symbol: string; date: string; what: string };
}

export interface RunView {
  id: number;
  kind: "single" | "sweep";
  /** Where the run's bars came from: the shipped history (`replay`) or Tradier. */
  source?: string;
  status: "queued" | "running" | "done" | "failed" | "cancelled";
  progress: number;
  name: string;
  start: string;
  end: string;
  error: string | null;
  sentences: string[];
  metrics: Metrics | null;
  equity: Curve | null;
  trades: Trade[] | null;
  result: {
    data: { symbols: string[]; adjustment: string; benchmark: string; source?: string };
    monthly: { month: string; returnPct: number }[];
    open: Trade[];
    split: { date: string; inSample: Metrics; outOfSample: Metrics } | null;
    bias: {
      lookAhead: { passed: boolean; cuts: LookAheadCut[] };
      warmup: { note: string };
      survivorship: string;
      adjustment: string;
      fewTrades: string | null;
    };
  } | null;
}

/** What a benchmark symbol is called on the page: the S&P 500 index, or the ETF standing in. */
export function benchmarkName(symbol: string | undefined): string {
  if (!symbol || symbol === "SPX") return "S&P 500";
  return symbol === "SPY" ? "SPY (S&P 500 ETF)" : symbol;
}

/** The words for a run's bar source. */
export function sourceName(source: string | undefined): string {
  return source === "tradier" ? "Tradier daily history" : "shipped daily history (replay)";
}

const TICKER = /^[A-Z]{1,5}(\.[A-Z])?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function num(raw: string, label: string, max: number): number | string {
  if (raw.trim() === "") return 0;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > max) return `${label} must be a number from 0 to ${max}.`;
  return n;
}

/** The request body, or the first thing wrong with the form. */
export function requestBody(
  f: BacktestForm,
): { ok: true; body: Record<string, unknown> } | { ok: false; message: string } {
  const symbols = f.symbols.split(/[\s,]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
  const bad = symbols.find((s) => !TICKER.test(s));
  if (bad) return { ok: false, message: `"${bad}" is not a ticker.` };
  if (!DATE.test(f.start) || !DATE.test(f.end)) {
    return { ok: false, message: "Choose a start and an end date." };
  }
  if (f.start >= f.end) return { ok: false, message: "The end must be after the start." };
  if (f.splitDate && (f.splitDate <= f.start || f.splitDate >= f.end)) {
    return { ok: false, message: "The split date must fall between the start and the end." };
  }
  const perShare = num(f.commissionPerShare, "Commission per share", 1);
  const minimum = num(f.commissionMinimum, "Minimum commission", 100);
  const bps = num(f.slippageBps, "Slippage", 500);
  for (const x of [perShare, minimum, bps]) {
    if (typeof x === "string") return { ok: false, message: x };
  }
  // A saved strategy is chosen as `strategy:<id>:<version>` (the builder's "Backtest" link).
  const saved = /^strategy:(\d+):(\d+)$/.exec(f.template);
  const body: Record<string, unknown> = {
    ...(saved
      ? { strategyId: Number(saved[1]), strategyVersion: Number(saved[2]) }
      : { template: f.template }),
    start: f.start,
    end: f.end,
    costs: {
      commissionPerShare: perShare,
      commissionMinimum: minimum,
      slippageBps: bps,
      spread: f.spread,
    },
  };
  if (f.adjustment === "total_return") body.adjustment = "total_return";
  if (symbols.length) body.symbols = symbols;
  if (f.splitDate) body.splitDate = f.splitDate;
  return { ok: true, body };
}

type Unit = "pct" | "ratio" | "count" | "usd" | "bars";

/** The metric cards, in reading order. */
export const CARDS: { key: string; label: string; unit: Unit }[] = [
  { key: "totalReturnPct", label: "Total return", unit: "pct" },
  { key: "cagrPct", label: "CAGR", unit: "pct" },
  { key: "volatilityPct", label: "Volatility (ann.)", unit: "pct" },
  { key: "sharpe", label: "Sharpe", unit: "ratio" },
  { key: "sortino", label: "Sortino", unit: "ratio" },
  { key: "calmar", label: "Calmar", unit: "ratio" },
  { key: "maxDrawdownPct", label: "Max drawdown", unit: "pct" },
  { key: "maxDrawdownBars", label: "Longest drawdown", unit: "bars" },
  { key: "avgDrawdownPct", label: "Avg drawdown", unit: "pct" },
  { key: "exposurePct", label: "Exposure", unit: "pct" },
  { key: "trades", label: "Trades", unit: "count" },
  { key: "winRatePct", label: "Win rate", unit: "pct" },
  { key: "bestTradePct", label: "Best trade", unit: "pct" },
  { key: "worstTradePct", label: "Worst trade", unit: "pct" },
  { key: "avgTradePct", label: "Avg trade", unit: "pct" },
  { key: "profitFactor", label: "Profit factor", unit: "ratio" },
  { key: "expectancy", label: "Expectancy", unit: "usd" },
  { key: "sqn", label: "SQN", unit: "ratio" },
  { key: "kellyPct", label: "Kelly fraction", unit: "pct" },
  { key: "buyHoldReturnPct", label: "Buy & hold (universe)", unit: "pct" },
  { key: "benchmarkReturnPct", label: "Benchmark", unit: "pct" },
  { key: "alphaPct", label: "Alpha (ann.)", unit: "pct" },
  { key: "beta", label: "Beta", unit: "ratio" },
];

const SIGNED = new Set([
  "totalReturnPct",
  "cagrPct",
  "bestTradePct",
  "worstTradePct",
  "avgTradePct",
  "expectancy",
  "buyHoldReturnPct",
  "benchmarkReturnPct",
  "alphaPct",
]);

/** A metric as shown: signed where a sign means gain or loss, with its unit; "n/a" for null. */
export function formatMetric(key: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  const unit = CARDS.find((c) => c.key === key)?.unit ?? "ratio";
  const sign = SIGNED.has(key) && value > 0 ? "+" : "";
  switch (unit) {
    case "pct":
      return `${sign}${value.toFixed(2)} %`;
    case "usd":
      return `${value < 0 ? "−" : sign}$${Math.abs(value).toFixed(2)}`;
    case "count":
      return String(value);
    case "bars":
      return `${Math.round(value)} bars`;
    default:
      return value.toFixed(2);
  }
}

export function metricTone(key: string, value: number | null | undefined): "gain" | "loss" | "" {
  if (value === null || value === undefined || !Number.isFinite(value) || value === 0) return "";
  if (key === "maxDrawdownPct" || key === "avgDrawdownPct") return "loss";
  return SIGNED.has(key) ? (value > 0 ? "gain" : "loss") : "";
}

/** Monthly returns as a year × month grid (null where the run has no such month). */
export function monthlyGrid(
  monthly: { month: string; returnPct: number }[],
): { year: number; months: (number | null)[]; total: number }[] {
  const rows = new Map<number, (number | null)[]>();
  for (const m of monthly) {
    const year = Number(m.month.slice(0, 4));
    const month = Number(m.month.slice(5, 7)) - 1;
    if (!rows.has(year)) rows.set(year, new Array(12).fill(null));
    rows.get(year)![month] = m.returnPct;
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([year, months]) => ({
    year,
    months,
    // Compounded over the months present.
    total: Math.round(
      1e4 * (months.reduce<number>((w, r) => (r === null ? w : w * (1 + r / 100)), 1) - 1),
    ) / 100,
  }));
}

/** A heatmap cell's background: green for gains, red for losses, stronger with size. */
export function heatColor(returnPct: number | null): string {
  if (returnPct === null) return "transparent";
  const a = Math.min(1, Math.abs(returnPct) / 10) * 0.75 + 0.1;
  return returnPct >= 0
    ? `rgba(16, 185, 129, ${a.toFixed(2)})`
    : `rgba(239, 68, 68, ${a.toFixed(2)})`;
}

/** A curve as lightweight-charts points (UTC seconds of each market day). */
export function series(dates: string[], values: number[]): { time: number; value: number }[] {
  return dates.map((d, i) => ({ time: Date.parse(`${d}T00:00:00Z`) / 1000, value: values[i] }));
}

/** Two runs' metrics side by side, with the difference (b − a). */
export function compareRuns(
  a: Metrics,
  b: Metrics,
): { key: string; label: string; a: string; b: string; diff: string }[] {
  return CARDS.map((c) => {
    const x = a[c.key];
    const y = b[c.key];
    const d = x === null || y === null || x === undefined || y === undefined ? null : y - x;
    return {
      key: c.key,
      label: c.label,
      a: formatMetric(c.key, x),
      b: formatMetric(c.key, y),
      diff: d === null ? "n/a" : `${d > 0 ? "+" : ""}${d.toFixed(2)}`,
    };
  });
}

export interface SweepPoint {
  params: Record<string, number>;
  metrics: Metrics;
}

export interface SweepResultView {
  metric: string;
  tried: number;
  points: SweepPoint[];
  best: SweepPoint | null;
}

/** "10..50 step 10" or "5, 10, 20" as a sorted list of numbers; a message when it is not one. */
export function parseValues(raw: string): number[] | string {
  const range = raw.match(/^\s*(-?[\d.]+)\s*\.\.\s*(-?[\d.]+)(?:\s+step\s+([\d.]+))?\s*$/);
  let out: number[];
  if (range) {
    const [a, b, step] = [Number(range[1]), Number(range[2]), Number(range[3] ?? 1)];
    if (!(step > 0) || b < a) return `"${raw}": write from..to step n, with from ≤ to.`;
    out = [];
    for (let x = a; x <= b + 1e-9 && out.length <= 1000; x += step) {
      out.push(Math.round(x * 1e6) / 1e6);
    }
  } else {
    out = raw.split(/[\s,]+/).filter(Boolean).map(Number);
    if (!out.length || out.some((x) => !Number.isFinite(x))) {
      return `"${raw}": write numbers separated by commas, or from..to step n.`;
    }
  }
  return [...new Set(out)].sort((x, y) => x - y);
}

/** A sweep's points as a grid over two parameters (rows: y, columns: x). */
export function sweepGrid(r: SweepResultView, x: string, y: string | null) {
  const xs = [...new Set(r.points.map((p) => p.params[x]))].sort((a, b) => a - b);
  const ys = y ? [...new Set(r.points.map((p) => p.params[y]))].sort((a, b) => a - b) : [NaN];
  const cells = ys.map(() => xs.map(() => null as number | null));
  let min = Infinity;
  let max = -Infinity;
  for (const p of r.points) {
    const v = p.metrics[r.metric];
    const i = y ? ys.indexOf(p.params[y]) : 0;
    const j = xs.indexOf(p.params[x]);
    if (i < 0 || j < 0 || v === null || v === undefined) continue;
    cells[i][j] = v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { xs, ys, cells, min, max };
}

/** A sweep cell's colour: from red (worst) to green (best) within the sweep. */
export function sweepColor(v: number | null, min: number, max: number, lowerIsBetter: boolean) {
  if (v === null || !(max > min)) return "transparent";
  let f = (v - min) / (max - min);
  if (lowerIsBetter) f = 1 - f;
  const r = Math.round(239 + (16 - 239) * f);
  const g = Math.round(68 + (185 - 68) * f);
  const b = Math.round(68 + (129 - 68) * f);
  return `rgba(${r}, ${g}, ${b}, 0.55)`;
}

export interface Marker {
  time: number;
  position: "belowBar" | "aboveBar";
  color: string;
  shape: "arrowUp" | "arrowDown";
  text: string;
}

/** Entry and exit markers for one symbol's trades: buys below the bar, sales above it. */
export function tradeMarkers(trades: Trade[]): Marker[] {
  const t = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;
  const out: Marker[] = [];
  for (const x of trades) {
    const long = x.direction === "long";
    out.push({
      time: t(x.entryDate),
      position: long ? "belowBar" : "aboveBar",
      color: long ? "#10b981" : "#f59e0b",
      shape: long ? "arrowUp" : "arrowDown",
      text: `${long ? "Buy" : "Short"} ${x.qty} @ ${x.entryPrice.toFixed(2)}`,
    });
    if (x.reason !== "end") {
      out.push({
        time: t(x.exitDate),
        position: long ? "aboveBar" : "belowBar",
        color: "#ef4444",
        shape: long ? "arrowDown" : "arrowUp",
        text: `${long ? "Sell" : "Cover"} @ ${x.exitPrice.toFixed(2)} (${x.reason})`,
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}
