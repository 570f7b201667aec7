/**
 * The backtest's charts, drawn by lightweight-charts (imported on first draw): equity against the
 * benchmark and the universe's buy and hold, in USD, and the drawdown below it, in %.
 */
import type { IChartApi } from "lightweight-charts";
import { type Curve, series } from "./view.ts";

export interface BacktestCharts {
  draw(curve: Curve): void;
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
    draw(c) {
      // deno-lint-ignore no-explicit-any
      const set = (s: { setData(d: any[]): void }, v: number[]) => s.setData(series(c.dates, v));
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
