/**
 * The backtest's charts, drawn by lightweight-charts (imported on first draw): equity against the
 * benchmark and the universe's buy and hold, in USD, and the drawdown below it, in %.
 */
import type { IChartApi } from "lightweight-charts";
import { type Curve, type Marker, series } from "./view.ts";

export interface BacktestCharts {
  /** `benchmark`: the benchmark line's name (default the S&P 500). */
  draw(curve: Curve, benchmark?: string): void;
  remove(): void;
}

const GRID = "rgba(148, 163, 184, 0.08)";

export async function createBacktestCharts(
  equityBox: HTMLElement,
  drawdownBox: HTMLElement,
): Promise<BacktestCharts> {
  const lc = await import("lightweight-charts");
  const base = (fmt: (p: number) => string) => ({
    autoSize: true,
    layout: {
      background: { color: "transparent" },
      textColor: "#94a3b8",
      attributionLogo: false,
    },
    grid: { vertLines: { color: GRID }, horzLines: { color: GRID } },
    rightPriceScale: { borderColor: "rgba(148, 163, 184, 0.2)" },
    timeScale: { borderColor: "rgba(148, 163, 184, 0.2)" },
    localization: { priceFormatter: fmt },
  });
  const usd = (p: number) => `$${Math.round(p).toLocaleString("en-US")}`;
  const eqChart: IChartApi = lc.createChart(equityBox, base(usd));
  const line = { lineWidth: 2, priceLineVisible: false } as const;
  const strategy = eqChart.addSeries(lc.LineSeries, {
    ...line,
    color: "#10b981",
    title: "Strategy",
  });
  const bench = eqChart.addSeries(lc.LineSeries, {
    ...line,
    color: "#94a3b8",
    lineStyle: lc.LineStyle.Dashed,
    title: "S&P 500",
  });
  const hold = eqChart.addSeries(lc.LineSeries, {
    lineWidth: 1,
    priceLineVisible: false,
    color: "#60a5fa",
    title: "Buy & hold",
  });
  const ddChart: IChartApi = lc.createChart(drawdownBox, base((p) => `${p.toFixed(1)} %`));
  const dd = ddChart.addSeries(lc.AreaSeries, {
    lineColor: "#ef4444",
    topColor: "rgba(239, 68, 68, 0.05)",
    bottomColor: "rgba(239, 68, 68, 0.4)",
    lineWidth: 1,
    priceLineVisible: false,
    title: "Drawdown",
  });
  return {
    draw(c, benchmark = "S&P 500") {
      // deno-lint-ignore no-explicit-any
      const set = (s: { setData(d: any[]): void }, v: number[]) => s.setData(series(c.dates, v));
      bench.applyOptions({ title: benchmark });
      set(strategy, c.equity);
      set(bench, c.benchmark);
      set(hold, c.buyHold);
      set(dd, c.drawdownPct);
      eqChart.timeScale().fitContent();
      ddChart.timeScale().fitContent();
    },
    remove() {
      eqChart.remove();
      ddChart.remove();
    },
  };
}

export interface PriceChart {
  draw(
    bars: { date: string; open: number; high: number; low: number; close: number }[],
    markers: Marker[],
  ): void;
  remove(): void;
}

/** A symbol's daily candles with the backtest's entries and exits marked on them. */
export async function createPriceChart(box: HTMLElement): Promise<PriceChart> {
  const lc = await import("lightweight-charts");
  const chart: IChartApi = lc.createChart(box, {
    autoSize: true,
    layout: { background: { color: "transparent" }, textColor: "#94a3b8", attributionLogo: false },
    grid: { vertLines: { color: GRID }, horzLines: { color: GRID } },
    localization: { priceFormatter: (p: number) => `$${p.toFixed(2)}` },
  });
  const candles = chart.addSeries(lc.CandlestickSeries, {
    upColor: "#10b981",
    downColor: "#ef4444",
    wickUpColor: "#10b981",
    wickDownColor: "#ef4444",
    borderVisible: false,
  });
  const marks = lc.createSeriesMarkers(candles, []);
  return {
    draw(bars, markers) {
      candles.setData(
        // deno-lint-ignore no-explicit-any
        bars.map((b) => ({ ...b, time: Date.parse(`${b.date}T00:00:00Z`) / 1000 })) as any,
      );
      // deno-lint-ignore no-explicit-any
      marks.setMarkers(markers as any);
      chart.timeScale().fitContent();
    },
    remove: () => chart.remove(),
  };
}
