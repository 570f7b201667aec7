/**
 * The Backtesting stage's result pieces: metric cards (formula on each), the bias-check panel,
 * the monthly returns heatmap, the trades table and a two-run comparison.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { callApi } from "../trading_fetch.ts";
import { createPriceChart, type PriceChart } from "./chart.ts";
import {
  benchmarkName,
  CARDS,
  compareRuns,
  formatMetric,
  heatColor,
  type Metrics,
  metricTone,
  monthlyGrid,
  parseValues,
  type RunView,
  sweepColor,
  sweepGrid,
  type SweepResultView,
  type Trade,
  tradeMarkers,
} from "./view.ts";

/** Where the bars came from, as a badge (the shipped history's replay badge is the island's). */
export function TradierSourceLabel({ testId }: { testId?: string }) {
  return (
    <span
      class="badge bt-source-tradier"
      title="Daily bars from Tradier's /markets/history; the S&P 500 benchmark is SPY."
      data-testid={testId}
    >
      Tradier history
    </span>
  );
}

export function MetricCardList(
  { metrics, formulas, benchmark }: {
    metrics: Metrics;
    formulas: Record<string, string>;
    /** The run's benchmark symbol, named on its card. */
    benchmark?: string;
  },
) {
  return (
    <ul class="pnl-cards" aria-label="Backtest metrics" data-testid="bt-metrics">
      {CARDS.map((c) => {
        const tipId = `bt-tip-${c.key}`;
        return (
          <li key={c.key} class="pnl-card glass" data-testid={`bt-metric-${c.key}`}>
            <span class="badge-wrap">
              <span class="badge pnl-card-label" tabIndex={0} aria-describedby={tipId}>
                {c.key === "benchmarkReturnPct"
                  ? `Benchmark (${benchmarkName(benchmark)})`
                  : c.label}
              </span>
              <span class="tooltip pnl-tip" role="tooltip" id={tipId}>
                {formulas[c.key] ?? ""}
              </span>
            </span>
            <span class={`pnl-card-value num ${metricTone(c.key, metrics[c.key])}`}>
              {formatMetric(c.key, metrics[c.key])}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export function BiasPanel({ run }: { run: RunView }) {
  const b = run.result?.bias;
  if (!b) return null;
  const la = b.lookAhead;
  const bad = la.cuts.find((c) => !c.identical);
  return (
    <section class="bt-bias glass" aria-labelledby="bt-bias-title" data-testid="bt-bias">
      <h3 id="bt-bias-title" class="section-title">Bias checks</h3>
      <ul class="bt-bias-list">
        <li class={la.passed ? "gain" : "loss"} data-testid="bt-lookahead">
          {la.passed
            ? `Look-ahead: passed. Re-run on data cut at ${la.cuts.length} points (${
              la.cuts.map((c) => c.date).join(", ")
            }); every signal up to each cut was identical.`
            : `Look-ahead: FAILED. On data cut at ${bad?.date}, the ${bad?.firstDifference?.what} of ${bad?.firstDifference?.symbol} on ${bad?.firstDifference?.date} differed from the full run: the rules read data they could not have had. Do not trust these results.`}
        </li>
        <li>{b.warmup.note}</li>
        <li class="bt-warn">{b.survivorship}</li>
        <li>{b.adjustment}</li>
        {b.fewTrades && <li class="bt-warn" data-testid="bt-few-trades">{b.fewTrades}</li>}
      </ul>
      {run.result?.split && <SplitTable split={run.result.split} />}
    </section>
  );
}

function SplitTable(
  { split }: { split: { date: string; inSample: Metrics; outOfSample: Metrics } },
) {
  const keys = ["totalReturnPct", "cagrPct", "sharpe", "maxDrawdownPct", "trades", "winRatePct"];
  return (
    <table class="positions-table" data-testid="bt-split">
      <caption>In-sample (before {split.date}) vs out-of-sample (from it)</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col" class="positions-num">In-sample</th>
          <th scope="col" class="positions-num">Out-of-sample</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k}>
            <th scope="row">{CARDS.find((c) => c.key === k)?.label}</th>
            <td class="positions-num">{formatMetric(k, split.inSample[k])}</td>
            <td class="positions-num">{formatMetric(k, split.outOfSample[k])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function MonthlyHeatmap({ monthly }: { monthly: { month: string; returnPct: number }[] }) {
  const rows = monthlyGrid(monthly);
  return (
    <div class="positions-scroll">
      <table class="positions-table bt-heatmap" data-testid="bt-monthly">
        <caption>Monthly returns, % of equity at the start of each month</caption>
        <thead>
          <tr>
            <th scope="col">Year</th>
            {MONTHS.map((m) => <th key={m} scope="col" class="positions-num">{m}</th>)}
            <th scope="col" class="positions-num">Year</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.year}>
              <th scope="row">{r.year}</th>
              {r.months.map((v, i) => (
                <td key={i} class="positions-num" style={`background:${heatColor(v)}`}>
                  {v === null ? "" : `${v > 0 ? "+" : ""}${v.toFixed(1)}`}
                </td>
              ))}
              <td class={`positions-num ${r.total >= 0 ? "gain" : "loss"}`}>
                {`${r.total > 0 ? "+" : ""}${r.total.toFixed(1)} %`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const MAX_ROWS = 300;

export function TradesTable({ trades, open }: { trades: Trade[]; open: Trade[] }) {
  if (!trades.length && !open.length) return <p class="muted">No trades in this run.</p>;
  const rows = [...trades.slice(-MAX_ROWS), ...open];
  return (
    <div class="positions-scroll">
      <table class="positions-table" data-testid="bt-trades">
        <caption>
          Trades (prices in USD per share; P&L net of spread, slippage and commission)
          {trades.length > MAX_ROWS ? `: the last ${MAX_ROWS} of ${trades.length}` : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Side</th>
            <th scope="col">Entry</th>
            <th scope="col" class="positions-num">Entry $</th>
            <th scope="col">Exit</th>
            <th scope="col" class="positions-num">Exit $</th>
            <th scope="col" class="positions-num">Shares</th>
            <th scope="col" class="positions-num">P&L</th>
            <th scope="col" class="positions-num">Return</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t, i) => (
            <tr key={i}>
              <td>{t.symbol}</td>
              <td>{t.direction}</td>
              <td>{t.entryDate}</td>
              <td class="positions-num">{t.entryPrice.toFixed(2)}</td>
              <td>{t.reason === "end" ? "open" : t.exitDate}</td>
              <td class="positions-num">{t.exitPrice.toFixed(2)}</td>
              <td class="positions-num">{t.qty}</td>
              <td class={`positions-num ${t.pnl >= 0 ? "gain" : "loss"}`}>
                {`${t.pnl < 0 ? "−" : "+"}$${Math.abs(t.pnl).toFixed(2)}`}
              </td>
              <td class={`positions-num ${t.returnPct >= 0 ? "gain" : "loss"}`}>
                {`${t.returnPct > 0 ? "+" : ""}${t.returnPct.toFixed(2)} %`}
              </td>
              <td>{t.reason === "end" ? "still open (marked at the last close)" : t.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CompareTable({ a, b }: { a: RunView; b: RunView }) {
  if (!a.metrics || !b.metrics) return null;
  return (
    <div class="positions-scroll">
      <table class="positions-table" data-testid="bt-compare">
        <caption>
          Run #{a.id} ({a.name}, {a.start}..{a.end}) vs run #{b.id} ({b.name}, {b.start}..{b.end})
        </caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" class="positions-num">#{a.id}</th>
            <th scope="col" class="positions-num">#{b.id}</th>
            <th scope="col" class="positions-num">Difference</th>
          </tr>
        </thead>
        <tbody>
          {compareRuns(a.metrics, b.metrics).map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td class="positions-num">{r.a}</td>
              <td class="positions-num">{r.b}</td>
              <td class="positions-num">{r.diff}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const LOWER_IS_BETTER = new Set([
  "maxDrawdownPct",
  "maxDrawdownBars",
  "avgDrawdownPct",
  "volatilityPct",
]);

/** The sweep form: value lists for up to two of the template's parameters and the metric. */
export function SweepForm(
  { params, disabled, onRun }: {
    params: Record<string, { default: number }>;
    disabled: boolean;
    onRun: (grid: Record<string, number[]>, metric: string) => void;
  },
) {
  const names = Object.keys(params);
  const [x, setX] = useState(names[0] ?? "");
  const [y, setY] = useState(names[1] ?? "");
  const [xs, setXs] = useState("");
  const [ys, setYs] = useState("");
  const [metric, setMetric] = useState("sharpe");
  const [problem, setProblem] = useState<string | null>(null);
  if (!names.length) return <p class="muted">This strategy has no parameters to sweep.</p>;
  const submit = (e: Event) => {
    e.preventDefault();
    const grid: Record<string, number[]> = {};
    for (const [name, raw] of [[x, xs], [y, ys]] as const) {
      if (!name || !raw.trim()) continue;
      const v = parseValues(raw);
      if (typeof v === "string") return setProblem(v);
      grid[name] = v;
    }
    if (!Object.keys(grid).length) return setProblem("Give values for at least one parameter.");
    const total = Object.values(grid).reduce((n, v) => n * v.length, 1);
    if (total > 2000) return setProblem(`${total} combinations: at most 2,000.`);
    setProblem(null);
    onRun(grid, metric);
  };
  return (
    <form class="sizer-form" onSubmit={submit} data-testid="bt-sweep-form">
      <label>
        Parameter 1
        <select value={x} onChange={(e) => setX((e.currentTarget as HTMLSelectElement).value)}>
          {names.map((n) => <option key={n} value={n}>{n} (now {params[n].default})</option>)}
        </select>
      </label>
      <label>
        Values
        <input
          name="sweepX"
          value={xs}
          placeholder="10..50 step 5"
          onInput={(e) => setXs((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <label>
        Parameter 2
        <select value={y} onChange={(e) => setY((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">None</option>
          {names.filter((n) => n !== x).map((n) => (
            <option key={n} value={n}>{n} (now {params[n].default})</option>
          ))}
        </select>
      </label>
      <label>
        Values
        <input
          name="sweepY"
          value={ys}
          placeholder="20, 50, 100"
          onInput={(e) => setYs((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <label>
        Metric
        <select
          value={metric}
          onChange={(e) => setMetric((e.currentTarget as HTMLSelectElement).value)}
        >
          {CARDS.map((c) => <option key={c.key} value={c.key}>{c.label}</option>)}
        </select>
      </label>
      <button class="button" type="submit" disabled={disabled} data-testid="bt-sweep-run">
        Run sweep
      </button>
      {problem && <p class="ticket-refusal" role="alert">{problem}</p>}
    </form>
  );
}

/** A sweep's heatmap of its metric, with how many sets were tried beside the best one. */
export function SweepResults({ run }: { run: RunView }) {
  const r = run.result as unknown as SweepResultView | null;
  if (!r || !r.points.length) return <p class="muted">The sweep has no results.</p>;
  const names = Object.keys(r.points[0].params);
  const [x, y] = [names[0], names[1] ?? null];
  const g = sweepGrid(r, x, y);
  const label = CARDS.find((c) => c.key === r.metric)?.label ?? r.metric;
  const lower = LOWER_IS_BETTER.has(r.metric);
  return (
    <section class="pnl glass" aria-labelledby="bt-sweep-title" data-testid="bt-sweep-results">
      <h2 class="section-title" id="bt-sweep-title">
        Sweep #{run.id} {run.name} · {run.start} to {run.end}
      </h2>
      <p data-testid="bt-sweep-best">
        Best {label}: <strong>{formatMetric(r.metric, r.best?.metrics[r.metric])}</strong> at{" "}
        {r.best ? Object.entries(r.best.params).map(([k, v]) => `${k} = ${v}`).join(", ") : "n/a"}
        {" "}
        — the best of <strong>{r.tried}</strong>{" "}
        combinations tried. The more combinations tried, the more of the best one's result is luck:
        judge it out of sample.
      </p>
      <div class="positions-scroll">
        <table class="positions-table bt-heatmap">
          <caption>
            {label} by {x}
            {y ? ` (columns) and ${y} (rows)` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">{y ?? ""}</th>
              {g.xs.map((v) => <th key={v} scope="col" class="positions-num">{v}</th>)}
            </tr>
          </thead>
          <tbody>
            {g.ys.map((yv, i) => (
              <tr key={i}>
                <th scope="row">{y ? yv : label}</th>
                {g.cells[i].map((v, j) => (
                  <td
                    key={j}
                    class="positions-num"
                    style={`background:${sweepColor(v, g.min, g.max, lower)}`}
                  >
                    {v === null ? "n/a" : v.toFixed(2)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One traded symbol's daily candles with the run's entries and exits marked. */
export function TradeChart({ runId, symbols }: { runId: number; symbols: string[] }) {
  const [symbol, setSymbol] = useState(symbols[0] ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Promise<PriceChart> | null>(null);
  useEffect(() => {
    if (!symbol || !box.current) return;
    let stale = false;
    chart.current ??= createPriceChart(box.current);
    (async () => {
      const r = await callApi<{ bars: Bar[]; trades: Trade[] }>(
        `/api/backtesting/${runId}/prices/${encodeURIComponent(symbol)}`,
      );
      if (stale) return;
      if (!r.ok) return setProblem(r.problem.message);
      setProblem(null);
      (await chart.current!).draw(r.data.bars, tradeMarkers(r.data.trades));
    })().catch((err) => setProblem(`The chart could not load: ${(err as Error).message}`));
    return () => {
      stale = true;
    };
  }, [runId, symbol]);
  useEffect(() => () => void chart.current?.then((c) => c.remove(), () => {}), []);
  if (!symbols.length) return null;
  return (
    <div class="bt-trade-chart">
      <div class="chart-toolbar">
        <h3 class="section-title">Price and trades (USD per share)</h3>
        <label class="muted">
          Symbol{" "}
          <select
            value={symbol}
            onChange={(e) => setSymbol((e.currentTarget as HTMLSelectElement).value)}
            data-testid="bt-trade-symbol"
          >
            {symbols.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      </div>
      <div class="chart-area" data-testid="bt-price-chart">
        <div class="chart-canvas" ref={box} />
        {problem && <div class="chart-overlay">{problem}</div>}
      </div>
    </div>
  );
}

type Bar = { date: string; open: number; high: number; low: number; close: number };
