/**
 * The bars a backtest runs on: every symbol's daily open/high/low/close/volume aligned on the
 * exchange calendar (the S&P 500's days in the shipped history), NaN before a symbol's first
 * day. Prices are split-adjusted as shipped; `total_return` scales each day's OHLC by
 * adj_close / close so dividends are reinvested.
 *
 * @module
 */
import type { History } from "../market/replay/history.ts";

export type Adjustment = "split" | "total_return";

export interface Panel {
  dates: string[];
  symbols: string[];
  sectors: (string | null)[];
  open: Float64Array[];
  high: Float64Array[];
  low: Float64Array[];
  close: Float64Array[];
  volume: Float64Array[];
  /** The benchmark's close on each date. */
  benchmark: Float64Array;
  benchmarkSymbol: string;
  adjustment: Adjustment;
  /** First bar that may trade (the requested start); the bars before are warm-up only. */
  startIndex: number;
}

export interface PanelRequest {
  symbols: string[];
  start: string;
  end: string;
  /** Bars of history before `start` the indicators need. */
  warmup: number;
  adjustment: Adjustment;
  benchmark?: string;
}

/** The shipped calendar's first and last day. */
export async function dataRange(history: History): Promise<{ first: string; last: string }> {
  const days = await history.tradingDays();
  return { first: days[0], last: days[days.length - 1] };
}

/** Loads and aligns the panel. Throws a RangeError for dates outside the history. */
export async function loadPanel(history: History, req: PanelRequest): Promise<Panel> {
  const calendar = await history.tradingDays();
  let s0 = calendar.findIndex((d) => d >= req.start);
  let e0 = -1;
  for (let i = calendar.length - 1; i >= 0; i--) {
    if (calendar[i] <= req.end) {
      e0 = i;
      break;
    }
  }
  if (s0 < 0 || e0 < 0 || e0 < s0) {
    throw new RangeError(
      `No trading days between ${req.start} and ${req.end} (history: ${calendar[0]}..${
        calendar.at(-1)
      }).`,
    );
  }
  const from = Math.max(0, s0 - req.warmup);
  const dates = calendar.slice(from, e0 + 1);
  s0 -= from;
  const n = dates.length;
  const series = await Promise.all(req.symbols.map((s) => history.series(s)));
  const panel: Panel = {
    dates,
    symbols: series.map((s) => s.symbol),
    sectors: series.map((s) => history.resolve(s.symbol)?.sector ?? null),
    open: [],
    high: [],
    low: [],
    close: [],
    volume: [],
    benchmark: new Float64Array(n),
    benchmarkSymbol: req.benchmark ?? "SPX",
    adjustment: req.adjustment,
    startIndex: s0,
  };
  for (const s of series) {
    const o = new Float64Array(n).fill(NaN);
    const h = new Float64Array(n).fill(NaN);
    const l = new Float64Array(n).fill(NaN);
    const c = new Float64Array(n).fill(NaN);
    const v = new Float64Array(n).fill(NaN);
    let seen = false;
    for (let i = 0; i < n; i++) {
      const r = s.row.get(dates[i]);
      if (r === undefined) {
        // A day missing inside a listed symbol's history: carry the last close, no volume, so
        // running windows do not break. Before its first day it stays NaN (not yet listed).
        if (seen) {
          (o[i] =
            h[i] =
            l[i] =
            c[i] =
              c[i - 1],
            v[i] = 0);
        }
        continue;
      }
      seen = true;
      const k = req.adjustment === "total_return" && s.adjClose ? s.adjClose[r] / s.close[r] : 1;
      o[i] = s.open[r] * k;
      h[i] = s.high[r] * k;
      l[i] = s.low[r] * k;
      c[i] = s.close[r] * k;
      v[i] = s.volume[r];
    }
    panel.open.push(o);
    panel.high.push(h);
    panel.low.push(l);
    panel.close.push(c);
    panel.volume.push(v);
  }
  const b = await history.series(panel.benchmarkSymbol);
  let last = NaN;
  for (let i = 0; i < n; i++) {
    const r = b.row.get(dates[i]);
    if (r !== undefined) last = b.close[r];
    panel.benchmark[i] = last;
  }
  return panel;
}

/** The panel as it was known at the close of bar `last`: views, no copies. */
export function cutPanel(p: Panel, last: number): Panel {
  const cut = (xs: Float64Array[]) => xs.map((x) => x.subarray(0, last + 1));
  return {
    ...p,
    dates: p.dates.slice(0, last + 1),
    open: cut(p.open),
    high: cut(p.high),
    low: cut(p.low),
    close: cut(p.close),
    volume: cut(p.volume),
    benchmark: p.benchmark.subarray(0, last + 1),
  };
}
