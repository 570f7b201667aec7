/**
 * The dashboard's chart: the account's time-weighted return and the S&P 500 over the same
 * market days, both in percent from the period's base, drawn by lightweight-charts. The library
 * is imported when the chart is first drawn, so the page's first paint never waits for it.
 */
import type { IChartApi, ISeriesApi, SeriesType } from "lightweight-charts";
import type { PnlAnalytics } from "../../shared/pnl.ts";
import { formatDate } from "../../shared/format.ts";
import { chartLines, dateAt } from "./pnl_view.ts";

export interface PnlChart {
  draw(report: PnlAnalytics): void;
  remove(): void;
}

function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export async function createPnlChart(box: HTMLElement): Promise<PnlChart> {
  const lc = await import("lightweight-charts");
  let dates = new Map<number, string>();
  const label = (time: unknown) => {
    const d = typeof time === "number" ? dateAt(dates, time) : null;
    return d ? formatDate(d) : "";
  };
  const grid = "rgba(148, 163, 184, 0.08)";
  const chart: IChartApi = lc.createChart(box, {
    autoSize: true,
    layout: {
      background: { color: "transparent" },
      textColor: themeColor("--text-muted", "#94a3b8"),
      attributionLogo: false,
    },
    grid: { vertLines: { color: grid }, horzLines: { color: grid } },
    rightPriceScale: { borderColor: "rgba(148, 163, 184, 0.2)" },
    // The axis shows market days (the replayed ones in replay), not the real instants.
    timeScale: {
      borderColor: "rgba(148, 163, 184, 0.2)",
      tickMarkFormatter: (time: unknown) => label(time),
    },
    localization: {
      timeFormatter: (time: unknown) => label(time),
      priceFormatter: (p: number) => `${p.toFixed(2)} %`,
    },
  });
  const line = { lineWidth: 2, priceLineVisible: false } as const;
  const account: ISeriesApi<SeriesType> = chart.addSeries(lc.LineSeries, {
    ...line,
    color: themeColor("--accent", "#10b981"),
    title: "Account (TWR)",
  });
  const benchmark: ISeriesApi<SeriesType> = chart.addSeries(lc.LineSeries, {
    ...line,
    color: "#94a3b8",
    lineStyle: lc.LineStyle.Dashed,
    title: "S&P 500",
  });
  return {
    draw(report) {
      const lines = chartLines(report);
      dates = lines.dates;
      // deno-lint-ignore no-explicit-any
      account.setData(lines.account as any);
      // deno-lint-ignore no-explicit-any
      benchmark.setData(lines.benchmark as any);
      chart.timeScale().fitContent();
    },
    remove: () => chart.remove(),
  };
}
