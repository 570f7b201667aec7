/**
 * The bars a backtest runs on: every symbol's daily open/high/low/close/volume aligned on the
 * exchange calendar of its bar source (bars.ts: the S&P 500's days in the shipped history, SPY's
 * on Tradier), NaN before a symbol's first day. Shipped prices are split-adjusted;
 * `total_return` scales each day's OHLC by adj_close / close so dividends are reinvested.
 *
 * @module
 */
import type { History } from "../market/replay/history.ts";
import { type Adjustment, barsOf, type BarSource, type DataSource } from "./bars.ts";

export type { Adjustment, DataSource };

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
  /** Where the bars came from, and what the bias panel says about them. */
  source: DataSource;
  notes: { survivorship: string; adjustment: string };
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

/** The first and last day a run may cover (the shipped calendar's, by default). */
export function dataRange(data: History | BarSource): Promise<{ first: string; last: string }> {
  return barsOf(data).range();
}

/**
 * Loads and aligns the panel. Throws a RangeError for dates outside the history and for an
 * adjustment the source cannot give.
 */
export async function loadPanel(data: History | BarSource, req: PanelRequest): Promise<Panel> {
  const bars = barsOf(data);
  if (!bars.adjustments.includes(req.adjustment)) {
    throw new RangeError(`${req.adjustment} prices are not available from ${bars.source}.`);
  }
  const calendar = await bars.calendar(req.start, req.end, req.warmup);
  let s0 = calendar.findIndex((d) => d >= req.start);
  let e0 = -1;
  for (let i = calendar.length - 1; i >= 0; i--) {
    if (calendar[i] <= req.end) {
      e0 = i;
      break;
    }
  }
  if (s0 < 0 || e0 < 0 || e0 < s0) {
    const known = calendar.length ? ` (history: ${calendar[0]}..${calendar.at(-1)})` : "";
    throw new RangeError(
      `No trading days between ${req.start} and ${req.end} in the ${bars.source} history${known}.`,
    );
  }
  const first = Math.max(0, s0 - req.warmup);
  const dates = calendar.slice(first, e0 + 1);
  s0 -= first;
  const n = dates.length;
  const [from, to] = [dates[0], dates[n - 1]];
  const series = await Promise.all(req.symbols.map((s) => bars.series(s, from, to)));
  const panel: Panel = {
    dates,
    symbols: series.map((s) => s.symbol),
    sectors: series.map((s) => bars.sector(s.symbol)),
    open: [],
    high: [],
    low: [],
    close: [],
    volume: [],
    benchmark: new Float64Array(n),
    benchmarkSymbol: bars.benchmark(req.benchmark ?? "SPX"),
    adjustment: req.adjustment,
    startIndex: s0,
    source: bars.source,
    notes: { survivorship: bars.survivorship(), adjustment: bars.adjustmentNote(req.adjustment) },
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
  const b = await bars.series(panel.benchmarkSymbol, from, to);
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
