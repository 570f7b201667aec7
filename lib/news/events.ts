/**
 * Market events derived from daily prices: the offline News feed's only dated items. Nothing is
 * invented: each event names the day, the rule and the numbers that triggered it.
 *
 * Rules (day t, on completed daily bars; "previous" never includes day t):
 * - `gap`: the open is at least 3 % away from the previous close.
 * - `big_move`: the close-to-close return is more than 2 standard deviations (sample, of the
 *   previous 60 returns) away from their mean.
 * - `volume_spike`: volume above 3 times the mean volume of the previous 20 days.
 * - `high_52w` / `low_52w`: the close is above the highest (below the lowest) close of the
 *   previous 252 trading days.
 * - `drawdown` (S&P 500): the close falls through 5 %, 10 % or 20 % below the highest close of
 *   the last 253 days (day t included), having been above that line the day before.
 * - `vix_spike`: the VIX closes at least 20 % above the previous close, or crosses above 30.
 */
import type { Bar } from "../market/types.ts";

export type EventKind =
  | "gap"
  | "big_move"
  | "volume_spike"
  | "high_52w"
  | "low_52w"
  | "drawdown"
  | "vix_spike";

export interface MarketEvent {
  date: string;
  symbol: string;
  kind: EventKind;
  /** Which way it points for holders of the stock (for the VIX: a spike is bad news). */
  direction: "up" | "down";
  title: string;
  /** The numbers that triggered the rule, rounded for display (percentages in %). */
  numbers: Record<string, number>;
  source: "derived from prices";
}

export const RULES = {
  gapPercent: 3,
  sigmas: 2,
  sigmaWindow: 60,
  volumeMultiple: 3,
  volumeWindow: 20,
  yearWindow: 252,
  drawdownLines: [5, 10, 20],
  vixJumpPercent: 20,
  vixLevel: 30,
} as const;

/** Trading days of history a day needs before every rule can judge it. */
export const WARMUP_DAYS = RULES.yearWindow + 1;

const r2 = (v: number) => Math.round(v * 100) / 100;
const fmt = (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 2 });

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sampleStd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** The stock rules on day index `t` of `bars` (ascending daily bars). */
export function stockEventsOn(symbol: string, bars: Bar[], t: number): MarketEvent[] {
  const out: MarketEvent[] = [];
  if (t < 1) return out;
  const day = bars[t];
  const prev = bars[t - 1];
  const ev = (
    kind: EventKind,
    direction: "up" | "down",
    title: string,
    numbers: Record<string, number>,
  ) =>
    out.push({
      date: day.time,
      symbol,
      kind,
      direction,
      title,
      numbers,
      source: "derived from prices",
    });

  const gap = (day.open / prev.close - 1) * 100;
  if (Math.abs(gap) >= RULES.gapPercent) {
    ev(
      "gap",
      gap > 0 ? "up" : "down",
      `${symbol} gapped ${gap > 0 ? "up" : "down"} ${fmt(Math.abs(gap))} % at the open`,
      {
        gapPercent: r2(gap),
        previousClose: prev.close,
        open: day.open,
      },
    );
  }

  if (t > RULES.sigmaWindow) {
    const returns: number[] = [];
    for (let i = t - RULES.sigmaWindow; i < t; i++) {
      returns.push(bars[i].close / bars[i - 1].close - 1);
    }
    const m = mean(returns);
    const sd = sampleStd(returns);
    const r = day.close / prev.close - 1;
    if (sd > 0 && Math.abs(r - m) > RULES.sigmas * sd) {
      const z = (r - m) / sd;
      ev(
        "big_move",
        r > 0 ? "up" : "down",
        `${symbol} ${r > 0 ? "rose" : "fell"} ${fmt(Math.abs(r * 100))} %, a ${
          fmt(Math.abs(z))
        }-sigma day`,
        {
          returnPercent: r2(r * 100),
          sigmaPercent: r2(sd * 100),
          zScore: r2(z),
        },
      );
    }
  }

  if (t >= RULES.volumeWindow && day.volume > 0) {
    const avg = mean(bars.slice(t - RULES.volumeWindow, t).map((b) => b.volume));
    if (avg > 0 && day.volume > RULES.volumeMultiple * avg) {
      const up = day.close >= prev.close;
      ev(
        "volume_spike",
        up ? "up" : "down",
        `${symbol} traded ${fmt(day.volume / avg)}x its 20-day average volume`,
        {
          volume: day.volume,
          averageVolume: Math.round(avg),
          ratio: r2(day.volume / avg),
        },
      );
    }
  }

  if (t >= RULES.yearWindow) {
    const window = bars.slice(t - RULES.yearWindow, t).map((b) => b.close);
    const hi = Math.max(...window);
    const lo = Math.min(...window);
    if (day.close > hi) {
      ev("high_52w", "up", `${symbol} closed at a 52-week high of ${fmt(day.close)}`, {
        close: day.close,
        previousHigh: hi,
      });
    } else if (day.close < lo) {
      ev("low_52w", "down", `${symbol} closed at a 52-week low of ${fmt(day.close)}`, {
        close: day.close,
        previousLow: lo,
      });
    }
  }
  return out;
}

/** Drawdown of day `t` from the highest close of the 253 days ending on it (in %, <= 0). */
export function drawdownPercent(bars: Bar[], t: number): number {
  let peak = -Infinity;
  for (let i = Math.max(0, t - RULES.yearWindow); i <= t; i++) peak = Math.max(peak, bars[i].close);
  return (bars[t].close / peak - 1) * 100;
}

/** S&P 500 drawdown lines crossed on day `t`. */
export function indexEventsOn(symbol: string, bars: Bar[], t: number): MarketEvent[] {
  if (t < RULES.yearWindow + 1) return [];
  const today = drawdownPercent(bars, t);
  const before = drawdownPercent(bars, t - 1);
  const crossed = RULES.drawdownLines.filter((line) => before > -line && today <= -line);
  if (!crossed.length) return [];
  const line = Math.max(...crossed);
  return [{
    date: bars[t].time,
    symbol,
    kind: "drawdown",
    direction: "down",
    title: `The S&P 500 closed ${
      fmt(-today)
    } % below its 52-week high (through the ${line} % line)`,
    numbers: { drawdownPercent: r2(today), line: -line, close: bars[t].close },
    source: "derived from prices",
  }];
}

/** VIX jumps of 20 % or more and closes crossing above 30 on day `t`. */
export function vixEventsOn(symbol: string, bars: Bar[], t: number): MarketEvent[] {
  if (t < 1) return [];
  const close = bars[t].close;
  const prev = bars[t - 1].close;
  const jump = (close / prev - 1) * 100;
  const crossed = prev < RULES.vixLevel && close >= RULES.vixLevel;
  if (jump < RULES.vixJumpPercent && !crossed) return [];
  return [{
    date: bars[t].time,
    symbol,
    kind: "vix_spike",
    direction: "down",
    title: crossed
      ? `The VIX closed above ${RULES.vixLevel} at ${fmt(close)} (${jump >= 0 ? "+" : ""}${
        fmt(jump)
      } %)`
      : `The VIX jumped ${fmt(jump)} % to ${fmt(close)}`,
    numbers: { close, previousClose: prev, changePercent: r2(jump) },
    source: "derived from prices",
  }];
}

export type SeriesKind = "stock" | "sp500" | "vix";

/** Every event of `bars` dated from `from` through `through` (inclusive), newest first. */
export function eventsBetween(
  symbol: string,
  kind: SeriesKind,
  bars: Bar[],
  from: string,
  through: string,
): MarketEvent[] {
  const out: MarketEvent[] = [];
  for (let t = bars.length - 1; t >= 0; t--) {
    const d = bars[t].time;
    if (d > through) continue;
    if (d < from) break;
    if (kind === "stock") out.push(...stockEventsOn(symbol, bars, t));
    else if (kind === "sp500") {
      out.push(
        ...indexEventsOn(symbol, bars, t),
        ...stockEventsOn(symbol, bars, t).filter((e) => e.kind === "big_move"),
      );
    } else out.push(...vixEventsOn(symbol, bars, t));
  }
  return out;
}
