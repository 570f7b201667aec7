import { afterFirstPaint } from "../lib/client/after_paint.ts";
import { useEffect, useRef, useState } from "preact/hooks";
import type { IChartApi, ISeriesApi, SeriesType } from "lightweight-charts";
import type { Bar, Bars, MarketClock } from "../lib/market/types.ts";
import {
  applyQuote,
  barsSearch,
  type ChartRange,
  chartTime,
  rangeQuery,
  RANGES,
} from "../lib/client/chart_range.ts";
import { ema, sma } from "../lib/analytics/indicators.ts";
import { watchQuote } from "../lib/client/quote_hub.ts";
import { ReplayLabel } from "../components/ReplayLabel.tsx";

interface PriceChartProps {
  symbol: string;
  /** The market's date (`YYYY-MM-DD`; the replayed day in replay) if the server knew it. */
  today?: string | null;
  range?: ChartRange;
}

const SMA_PERIOD = 20;
const REPLAY_NOTE_1D = "These 5-minute candles are that simulated path.";
const REPLAY_NOTE_DAILY =
  "Earlier bars are the real history; the replayed day's bar follows the simulated path.";
const EMA_PERIOD = 50;

type Load =
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ready"; bars: Bars; range: ChartRange };

interface Series {
  chart: IChartApi;
  candles: ISeriesApi<SeriesType>;
  volume: ISeriesApi<SeriesType>;
  sma: ISeriesApi<SeriesType>;
  ema: ISeriesApi<SeriesType>;
}

/** Theme colours live in CSS variables; the canvas needs them as strings. */
function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * Candlesticks with volume and SMA/EMA overlays, for 1D (5-minute bars of the market's day,
 * moved live by the quote stream) up to 5Y (weekly bars). lightweight-charts is loaded on demand
 * in the browser after the first paint, so it never weighs on pages without a chart nor delays
 * the symbol page's first paint.
 */
export default function PriceChart(
  { symbol, today = null, range: initialRange = "6M" }: PriceChartProps,
) {
  const box = useRef<HTMLDivElement>(null);
  const series = useRef<Series | null>(null);
  const [chartReady, setChartReady] = useState(false);
  const [chartError, setChartError] = useState<string | null>(null);
  const [date, setDate] = useState(today);
  const [range, setRange] = useState<ChartRange>(initialRange);
  const [load, setLoad] = useState<Load>({ state: "loading" });

  // The chart library, once.
  useEffect(() => {
    let disposed = false;
    afterFirstPaint().then(() => import("lightweight-charts")).then((lc) => {
      if (disposed || !box.current) return;
      const text = themeColor("--text-muted", "#94a3b8");
      const grid = "rgba(148, 163, 184, 0.08)";
      const gain = themeColor("--gain", "#22c55e");
      const loss = themeColor("--loss", "#ef4444");
      const chart = lc.createChart(box.current, {
        autoSize: true,
        layout: { background: { color: "transparent" }, textColor: text, attributionLogo: false },
        grid: { vertLines: { color: grid }, horzLines: { color: grid } },
        rightPriceScale: { borderColor: "rgba(148, 163, 184, 0.2)" },
        timeScale: { borderColor: "rgba(148, 163, 184, 0.2)" },
      });
      const candles = chart.addSeries(lc.CandlestickSeries, {
        upColor: gain,
        downColor: loss,
        borderVisible: false,
        wickUpColor: gain,
        wickDownColor: loss,
      });
      candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
      const volume = chart.addSeries(lc.HistogramSeries, {
        priceScaleId: "volume",
        priceFormat: { type: "volume" },
        lastValueVisible: false,
        priceLineVisible: false,
      });
      chart.priceScale("volume").applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
      const line = { lineWidth: 2, lastValueVisible: false, priceLineVisible: false } as const;
      const smaLine = chart.addSeries(lc.LineSeries, { ...line, color: "#38bdf8" });
      const emaLine = chart.addSeries(lc.LineSeries, { ...line, color: "#f59e0b" });
      series.current = { chart, candles, volume, sma: smaLine, ema: emaLine };
      setChartReady(true);
    }).catch((err) => setChartError(`The chart could not load: ${(err as Error).message}`));
    return () => {
      disposed = true;
      series.current?.chart.remove();
      series.current = null;
    };
  }, []);

  // The market's date decides where every range ends.
  useEffect(() => {
    if (date) return;
    fetch("/api/market/clock").then(async (res) => {
      if (!res.ok) throw new Error(`clock: HTTP ${res.status}`);
      setDate(((await res.json()) as MarketClock).date);
    }).catch((err) => setLoad({ state: "error", message: (err as Error).message }));
  }, []);

  // The bars for the chosen range.
  useEffect(() => {
    if (!date) return;
    const ctl = new AbortController();
    setLoad({ state: "loading" });
    const q = rangeQuery(range, date);
    fetch(`/api/market/bars/${encodeURIComponent(symbol)}?${barsSearch(q)}`, { signal: ctl.signal })
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
        setLoad({ state: "ready", bars: body as Bars, range });
      })
      .catch((err) => {
        if (!ctl.signal.aborted) setLoad({ state: "error", message: (err as Error).message });
      });
    return () => ctl.abort();
  }, [symbol, range, date]);

  // Draw, and on 1D keep the last bar moving with the stream.
  useEffect(() => {
    const s = series.current;
    // Right after a range change this runs once with the previous range's bars: wait for the
    // new ones, or a live intraday bar would land on a daily series.
    if (!chartReady || !s || load.state !== "ready" || load.range !== range) return;
    let bars: readonly Bar[] = load.bars.bars;
    // Intraday bars need the time of day on the axis; longer ones only dates.
    s.chart.applyOptions({ timeScale: { timeVisible: range === "1D", secondsVisible: false } });
    draw(s, bars);
    s.chart.timeScale().fitContent();
    if (range !== "1D") return;
    let dayVolume: number | null = null;
    return watchQuote(symbol, (quote) => {
      const next = applyQuote(bars, quote, dayVolume);
      dayVolume = quote.volume ?? dayVolume;
      if (next === bars) return;
      const grew = next.length !== bars.length;
      bars = next;
      if (grew) draw(s, bars);
      else update(s, bars.at(-1)!);
    });
  }, [chartReady, load, range]);

  const empty = load.state === "ready" && load.bars.bars.length === 0;
  return (
    <section
      class="price-chart glass"
      aria-label={`${symbol} price chart`}
      data-testid="price-chart"
      // The range whose bars are loaded and drawn (tests wait on it after a range change).
      data-shown={load.state === "ready" && load.range === range ? range : undefined}
    >
      <div class="chart-toolbar">
        <div class="segmented" role="group" aria-label="Chart range">
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              class="segmented-btn"
              aria-pressed={r === range}
              onClick={() => setRange(r)}
            >
              {r}
            </button>
          ))}
        </div>
        <p class="chart-legend">
          <span class="legend-sma">SMA {SMA_PERIOD}</span>
          <span class="legend-ema">EMA {EMA_PERIOD}</span>
          {/* The library's own logo injects a <style> the CSP forbids; this credit replaces it. */}
          <a class="chart-credit" href="https://www.tradingview.com/" rel="noopener noreferrer">
            Chart: TradingView Lightweight Charts
          </a>
          {load.state === "ready" && load.bars.source === "replay" && (
            <ReplayLabel
              id="chart-replay"
              date={date}
              testId="chart-replay-badge"
              note={load.range === "1D" ? REPLAY_NOTE_1D : REPLAY_NOTE_DAILY}
            />
          )}
        </p>
      </div>
      <div class="chart-area">
        <div class="chart-canvas" ref={box} data-testid="chart-canvas" />
        {(chartError || load.state !== "ready" || empty) && (
          <div
            class="chart-overlay"
            role={chartError || load.state === "error" ? "alert" : "status"}
          >
            {chartError ??
              (load.state === "error"
                ? `No chart for ${symbol}: ${load.message}`
                : load.state === "loading"
                ? "Loading chart…"
                : range === "1D"
                ? "No trades yet today: the session has not opened."
                : "No bars in this range.")}
          </div>
        )}
      </div>
    </section>
  );
}

function volumeBar(bar: Bar) {
  const up = bar.close >= bar.open;
  return {
    time: chartTime(bar),
    value: bar.volume,
    color: up ? "rgba(34, 197, 94, 0.4)" : "rgba(239, 68, 68, 0.4)",
  };
}

// The library's time type is a branded number or a date string; chartTime gives one of those.
// deno-lint-ignore no-explicit-any
type Point = any;

function draw(s: Series, bars: readonly Bar[]) {
  const closes = bars.map((b) => b.close);
  const line = (values: (number | null)[]) =>
    values.flatMap((v, i) => (v === null ? [] : [{ time: chartTime(bars[i]), value: v }]));
  s.candles.setData(bars.map((b) => ({ ...b, time: chartTime(b) })) as Point[]);
  s.volume.setData(bars.map(volumeBar) as Point[]);
  s.sma.setData(line(sma(closes, SMA_PERIOD)) as Point[]);
  s.ema.setData(line(ema(closes, EMA_PERIOD)) as Point[]);
}

function update(s: Series, bar: Bar) {
  s.candles.update({ ...bar, time: chartTime(bar) } as Point);
  s.volume.update(volumeBar(bar) as Point);
}
