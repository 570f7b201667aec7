import { useEffect, useRef, useState } from "preact/hooks";
import { PNL_PERIODS, type PnlPeriod } from "../lib/shared/pnl.ts";
import { formatDate } from "../lib/shared/format.ts";
import { usePnl } from "../lib/client/positions/use_pnl.ts";
import { createPnlChart, type PnlChart } from "../lib/client/positions/pnl_chart.ts";
import { MetricCards, SymbolTable } from "../lib/client/positions/pnl_parts.tsx";
import { csvUrl } from "../lib/client/positions/pnl_view.ts";
import { ReplayLabel } from "../components/ReplayLabel.tsx";

interface PnlDashboardProps {
  period?: PnlPeriod;
}

const REPLAY_NOTE = "Equity is marked with replay prices; each valuation belongs to the day " +
  "the replay showed when it was taken, and the S&P 500 line is that day's shipped close.";

/**
 * The account's performance over a chosen period: the time-weighted return against the
 * S&P 500 on a chart, the metric cards with their formulas, P&L per symbol and a CSV export.
 */
export default function PnlDashboard({ period: initial = "1M" }: PnlDashboardProps) {
  const [period, setPeriod] = useState<PnlPeriod>(initial);
  const { report, load, reload } = usePnl(period);
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Promise<PnlChart> | null>(null);
  const [chartError, setChartError] = useState<string | null>(null);

  useEffect(() => {
    if (!report || !box.current) return;
    let cancelled = false;
    // One chart for the island's life, however fast the period changes.
    chart.current ??= createPnlChart(box.current);
    chart.current
      .then((c) => {
        if (!cancelled) c.draw(report);
      })
      .catch((err) => setChartError(`The chart could not load: ${(err as Error).message}`));
    return () => {
      cancelled = true;
    };
  }, [report]);
  useEffect(() => () => void chart.current?.then((c) => c.remove(), () => {}), []);

  const empty = report !== null && report.curve.length < 2;
  const overlay = chartError ??
    (load.state === "error"
      ? `No analytics: ${load.message}`
      : !report
      ? "Loading performance…"
      : empty
      ? "Nothing to chart yet: the account needs a second valuation."
      : null);
  return (
    <section class="pnl glass" aria-labelledby="pnl-title" data-testid="pnl-dashboard">
      <div class="chart-toolbar">
        <h2 class="section-title" id="pnl-title">Performance</h2>
        <div class="segmented" role="group" aria-label="Period">
          {PNL_PERIODS.map((p) => (
            <button
              key={p}
              type="button"
              class="segmented-btn"
              aria-pressed={p === period}
              onClick={() => setPeriod(p)}
            >
              {p}
            </button>
          ))}
        </div>
        <button
          type="button"
          class="orders-refresh"
          onClick={reload}
          disabled={load.state === "loading"}
        >
          Refresh
        </button>
        <a class="pnl-export" href={csvUrl(period)} download data-testid="pnl-csv">
          Export CSV (daily equity and returns)
        </a>
      </div>
      <p class="chart-legend">
        <span class="legend-account">Account, time-weighted %</span>
        <span class="legend-spx">S&P 500 %, same market days</span>
        {report?.prices === "replay" && (
          <ReplayLabel id="pnl-replay" date={report.to?.date} note={REPLAY_NOTE} />
        )}
        {report?.from && (
          <span class="muted">
            From {formatDate(report.from.date)} · risk-free rate 0
          </span>
        )}
        {load.state === "loading" && report && <span class="muted" role="status">Updating…</span>}
      </p>
      <div class="chart-area pnl-chart">
        <div class="chart-canvas" ref={box} data-testid="pnl-chart" />
        {overlay && (
          <div class="chart-overlay" role={load.state === "error" ? "alert" : "status"}>
            {overlay}
          </div>
        )}
      </div>
      {report && <MetricCards report={report} />}
      {report && <SymbolTable report={report} />}
    </section>
  );
}
