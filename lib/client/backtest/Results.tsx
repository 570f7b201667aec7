/**
 * One finished backtest as the Backtesting stage shows it: metrics, equity against the
 * benchmark, drawdown, bias checks, monthly returns, a symbol's trades on its chart and the
 * trade list; or the run's status while it is not done. The charts load their library lazily.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { benchmarkName, type RunView, sourceName } from "./view.ts";
import { type BacktestCharts, createBacktestCharts } from "./chart.ts";
import { BiasPanel, MetricCardList, MonthlyHeatmap, TradeChart, TradesTable } from "./parts.tsx";

export function BacktestResults(
  { run, formulas }: { run: RunView; formulas: Record<string, string> },
) {
  const eqBox = useRef<HTMLDivElement>(null);
  const ddBox = useRef<HTMLDivElement>(null);
  const charts = useRef<Promise<BacktestCharts> | null>(null);
  const [chartError, setChartError] = useState<string | null>(null);
  useEffect(() => {
    if (!run.equity || !eqBox.current || !ddBox.current) return;
    charts.current ??= createBacktestCharts(eqBox.current, ddBox.current);
    charts.current.then((c) => c.draw(run.equity!, benchmarkName(run.result?.data.benchmark)))
      .catch((err) => setChartError(`The chart could not load: ${(err as Error).message}`));
  }, [run]);
  useEffect(() => () => void charts.current?.then((c) => c.remove(), () => {}), []);

  if (run.status !== "done" || !run.metrics || !run.result) {
    return (
      <p class="muted" data-testid="bt-status">
        Run #{run.id} is {run.status}
        {run.error ? `: ${run.error}` : "."}
      </p>
    );
  }
  return (
    <section class="pnl glass" aria-labelledby="bt-results-title" data-testid="bt-results">
      <div class="chart-toolbar">
        <h2 class="section-title" id="bt-results-title">
          #{run.id} {run.name} · {run.start} to {run.end} · {run.result.data.symbols.length} symbol
          {run.result.data.symbols.length === 1 ? "" : "s"}
        </h2>
        <span class="muted">
          <a href={`/api/backtesting/${run.id}/trades.csv`} download>Trades CSV</a>
          {" · "}
          <a href={`/api/backtesting/${run.id}/equity.csv`} download>Equity CSV</a>
        </span>
      </div>
      <p class="muted" data-testid="bt-run-source">
        Bars: {sourceName(run.result.data.source ?? run.source)}.
      </p>
      <ul class="muted bt-sentences">{run.sentences.map((s, i) => <li key={i}>{s}</li>)}</ul>
      <MetricCardList
        metrics={run.metrics}
        formulas={formulas}
        benchmark={run.result.data.benchmark}
      />
      <h3 class="section-title">
        Equity vs {benchmarkName(run.result.data.benchmark)} and buy &amp; hold (USD)
      </h3>
      <div class="chart-area bt-equity" data-testid="bt-equity-chart">
        <div class="chart-canvas" ref={eqBox} />
        {chartError && <div class="chart-overlay">{chartError}</div>}
      </div>
      <h3 class="section-title">Drawdown (%)</h3>
      <div class="chart-area bt-drawdown">
        <div class="chart-canvas" ref={ddBox} />
      </div>
      <BiasPanel run={run} />
      <h3 class="section-title">Monthly returns</h3>
      <MonthlyHeatmap monthly={run.result.monthly} />
      <TradeChart
        key={run.id}
        runId={run.id}
        symbols={[
          ...new Set([...(run.trades ?? []), ...run.result.open].map((t) => t.symbol)),
        ].sort()}
      />
      <h3 class="section-title">Trades</h3>
      <TradesTable trades={run.trades ?? []} open={run.result.open} />
    </section>
  );
}
