/**
 * Signals over daily bars, one trading day at a time: what the recommendations rest on. Pure
 * functions over the scanner's series (lib/scanner/series.ts), whose indicator columns (SMA,
 * RSI, N-day return, volume ÷ average, prior highs and lows, ATR %) are computed once per series
 * and shared with the scanner, so a signal and a scan hit always agree.
 *
 * On the day `asOf` (a completed trading day), for each symbol:
 *
 * | kind       | what                                                          | direction                 |
 * | ---------- | ------------------------------------------------------------- | ------------------------- |
 * | trend      | close vs SMA 20, 50 and 200, in % of the SMA                  | above bullish, below bearish |
 * | cross      | SMA 50 crossed SMA 200, or SMA 20 crossed SMA 50, in the last 10 days | up bullish, down bearish |
 * | momentum   | N-day return (default 20) and its percentile rank among the candidates | top fifth bullish, bottom fifth bearish |
 * | rsi        | RSI(14), Wilder                                               | ≤ 30 bullish (oversold), ≥ 70 bearish (overbought) |
 * | breakout   | close above the prior 20-day or 52-week (252-day) high with volume ≥ 1.5 × its 20-day average; close below the prior 20-day low likewise | high bullish, low bearish |
 * | volume     | volume ≥ 2 × the prior 20 days' average                        | the day's move's sign     |
 * | volatility | 20-day realized volatility (annualized %) and ATR(14) in % of the close | neutral (sizes stops) |
 *
 * Each signal carries its value, unit, source (`replay` or `tradier`) and the day it describes.
 * A symbol's score is the sum of direction × strength over its signals (strength 0–1), which
 * ranks the candidates; the analyst reads the signals themselves.
 *
 * @module
 */
import { realizedVolatility } from "../analytics/volatility.ts";
import { column, rowOnOrBefore, type ScanSeries } from "../scanner/series.ts";

export type SignalKind =
  | "trend"
  | "cross"
  | "momentum"
  | "rsi"
  | "breakout"
  | "volume"
  | "volatility"
  | "regime";
export type Direction = "bullish" | "bearish" | "neutral";

export interface Signal {
  kind: SignalKind;
  /** A short name with its parameters: `Price vs SMA 50`, `RSI 14`. */
  name: string;
  value: number | string;
  /** `%`, `USD`, `×`, `rank %`, or empty. */
  unit: string;
  direction: Direction;
  /** 0–1: how strongly the signal points its way. */
  strength: number;
  /** The signal in words with its numbers. */
  detail: string;
  source: string;
  /** The trading day (`YYYY-MM-DD`) the value describes. */
  asOf: string;
}

export interface SymbolSignals {
  symbol: string;
  name: string;
  sector: string | null;
  close: number;
  /** The day's change, %. */
  changePercent: number;
  /** ATR(14) in USD, for stops. */
  atr: number;
  asOf: string;
  source: string;
  signals: Signal[];
  /** Σ direction × strength. */
  score: number;
}

export interface SignalOptions {
  source: string;
  /** Days of the momentum return (default 20). */
  momentumDays?: number;
}

const CROSS_LOOKBACK = 10;
const clamp01 = (x: number) => Math.max(0, Math.min(1, x));
const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;
const fmt = (x: number, places = 2) => x.toFixed(places);
const sign = (d: Direction) => (d === "bullish" ? 1 : d === "bearish" ? -1 : 0);

/** The day `crossed` happened in the last `lookback` rows (fast vs slow), or null. */
function lastCross(
  fast: Float64Array,
  slow: Float64Array,
  row: number,
  lookback: number,
): { ago: number; up: boolean } | null {
  for (let ago = 0; ago < lookback && row - ago - 1 >= 0; ago++) {
    const i = row - ago;
    const [f, s, pf, ps] = [fast[i], slow[i], fast[i - 1], slow[i - 1]];
    if ([f, s, pf, ps].some(Number.isNaN)) return null;
    if (pf <= ps && f > s) return { ago, up: true };
    if (pf >= ps && f < s) return { ago, up: false };
  }
  return null;
}

/** Signals of one series on `asOf` without the cross-sectional momentum rank; null if no bar. */
function oneSymbol(
  s: ScanSeries,
  asOf: string,
  o: Required<SignalOptions>,
): { base: SymbolSignals; momentum: number } | null {
  const row = rowOnOrBefore(s, asOf);
  if (row < 1 || s.dates[row] !== asOf) return null;
  const close = s.close[row];
  const sig = (x: Omit<Signal, "source" | "asOf">): Signal => ({ ...x, source: o.source, asOf });
  const signals: Signal[] = [];

  for (const p of [20, 50, 200]) {
    const m = column(s, "sma", p)[row];
    if (Number.isNaN(m)) continue;
    const pct = (close / m - 1) * 100;
    const direction: Direction = pct > 0 ? "bullish" : pct < 0 ? "bearish" : "neutral";
    signals.push(sig({
      kind: "trend",
      name: `Price vs SMA ${p}`,
      value: round(pct),
      unit: "%",
      direction,
      // 200-day trend weighs most; 10 % away is full strength.
      strength: round(clamp01(Math.abs(pct) / 10) * (p === 200 ? 1 : p === 50 ? 0.7 : 0.4)),
      detail: `Close $${fmt(close)} is ${fmt(Math.abs(pct))} % ${pct >= 0 ? "above" : "below"} ` +
        `its ${p}-day average $${fmt(m)}.`,
    }));
  }

  for (const [a, b] of [[50, 200], [20, 50]] as const) {
    const x = lastCross(column(s, "sma", a), column(s, "sma", b), row, CROSS_LOOKBACK);
    if (!x) continue;
    const name = a === 50 ? (x.up ? "Golden cross" : "Death cross") : `SMA ${a}/${b} cross`;
    signals.push(sig({
      kind: "cross",
      name,
      value: x.ago,
      unit: "days ago",
      direction: x.up ? "bullish" : "bearish",
      strength: a === 50 ? 1 : 0.6,
      detail: `SMA ${a} crossed ${x.up ? "above" : "below"} SMA ${b} ` +
        (x.ago === 0 ? "on this day." : `${x.ago} trading day${x.ago === 1 ? "" : "s"} earlier.`),
    }));
  }

  const r = column(s, "rsi", 14)[row];
  if (!Number.isNaN(r)) {
    const direction: Direction = r <= 30 ? "bullish" : r >= 70 ? "bearish" : "neutral";
    signals.push(sig({
      kind: "rsi",
      name: "RSI 14",
      value: round(r),
      unit: "",
      direction,
      strength: round(direction === "neutral" ? 0 : clamp01(Math.abs(r - 50) / 30)),
      detail: `RSI(14) ${fmt(r, 1)}` +
        (r <= 30
          ? ": oversold (≤ 30)."
          : r >= 70
          ? ": overbought (≥ 70)."
          : ", between 30 and 70."),
    }));
  }

  const vr = column(s, "volume_ratio", 20)[row];
  const hi20 = column(s, "highest", 20)[row];
  const lo20 = column(s, "lowest", 20)[row];
  const hi252 = column(s, "highest", 252)[row];
  const onVolume = vr >= 1.5;
  if (onVolume && close > hi252) {
    signals.push(sig({
      kind: "breakout",
      name: "52-week high breakout",
      value: round(hi252),
      unit: "USD",
      direction: "bullish",
      strength: 1,
      detail: `Closed at $${fmt(close)}, above the prior 52-week high $${fmt(hi252)}, on ` +
        `${fmt(vr, 1)} × average volume.`,
    }));
  } else if (onVolume && close > hi20) {
    signals.push(sig({
      kind: "breakout",
      name: "20-day high breakout",
      value: round(hi20),
      unit: "USD",
      direction: "bullish",
      strength: 0.7,
      detail: `Closed at $${fmt(close)}, above the prior 20-day high $${fmt(hi20)}, on ` +
        `${fmt(vr, 1)} × average volume.`,
    }));
  } else if (onVolume && close < lo20) {
    signals.push(sig({
      kind: "breakout",
      name: "20-day low breakdown",
      value: round(lo20),
      unit: "USD",
      direction: "bearish",
      strength: 0.7,
      detail: `Closed at $${fmt(close)}, below the prior 20-day low $${fmt(lo20)}, on ` +
        `${fmt(vr, 1)} × average volume.`,
    }));
  }

  const change = (close / s.close[row - 1] - 1) * 100;
  if (vr >= 2) {
    const direction: Direction = change > 0 ? "bullish" : change < 0 ? "bearish" : "neutral";
    signals.push(sig({
      kind: "volume",
      name: "Volume spike",
      value: round(vr),
      unit: "×",
      direction,
      strength: round(clamp01((vr - 1) / 4)),
      detail: `Volume ${fmt(vr, 1)} × its 20-day average on a ${change >= 0 ? "+" : ""}` +
        `${fmt(change)} % day.`,
    }));
  }

  const closes = Array.from(s.close).slice(Math.max(0, row - 20), row + 1);
  const vol = realizedVolatility(closes, 20);
  const atrPct = column(s, "atr_pct", 14)[row];
  if (vol !== null && !Number.isNaN(atrPct)) {
    signals.push(sig({
      kind: "volatility",
      name: "Volatility 20d",
      value: round(vol * 100),
      unit: "%",
      direction: "neutral",
      strength: 0,
      detail: `Realized volatility ${fmt(vol * 100, 1)} % a year (20 days); ATR(14) ` +
        `${fmt(atrPct)} % of the close.`,
    }));
  }

  const momentum = column(s, "return", o.momentumDays)[row];
  const atr = column(s, "atr", 14)[row];
  return {
    base: {
      symbol: s.symbol,
      name: s.name,
      sector: s.sector,
      close,
      changePercent: round(change),
      atr: Number.isNaN(atr) ? close * 0.02 : atr,
      asOf,
      source: o.source,
      signals,
      score: 0,
    },
    momentum,
  };
}

/**
 * Signals of every series with a bar on `asOf`, strongest score first. The momentum rank is the
 * percentage of the other candidates whose N-day return is lower (ties count half).
 */
export function computeSignals(
  series: readonly ScanSeries[],
  asOf: string,
  opts: SignalOptions,
): SymbolSignals[] {
  const o = { momentumDays: 20, ...opts };
  const rows = series.map((s) => oneSymbol(s, asOf, o)).filter((x) => x !== null);
  const returns = rows.map((r) => r.momentum).filter((m) => !Number.isNaN(m));
  for (const { base, momentum } of rows) {
    if (!Number.isNaN(momentum) && returns.length > 1) {
      const rank = momentumRank(momentum, returns);
      const direction: Direction = rank >= 80 ? "bullish" : rank <= 20 ? "bearish" : "neutral";
      base.signals.push({
        kind: "momentum",
        name: `Momentum ${o.momentumDays}d`,
        value: round(rank, 1),
        unit: "rank %",
        direction,
        strength: round(direction === "neutral" ? 0 : clamp01(Math.abs(rank - 50) / 50)),
        detail: `${o.momentumDays}-day return ${momentum >= 0 ? "+" : ""}${fmt(momentum)} %, ` +
          `ahead of ${fmt(rank, 0)} % of the ${returns.length} candidates.`,
        source: o.source,
        asOf,
      });
    }
    base.score = round(base.signals.reduce((s, x) => s + sign(x.direction) * x.strength, 0), 3);
  }
  return rows.map((r) => r.base).sort((a, b) =>
    Math.abs(b.score) - Math.abs(a.score) || a.symbol.localeCompare(b.symbol)
  );
}

/** Percentile of `x` among `all` (which includes it): share below it, ties counted half. */
export function momentumRank(x: number, all: readonly number[]): number {
  let below = 0;
  let equal = 0;
  for (const v of all) {
    if (v < x) below++;
    else if (v === x) equal++;
  }
  // Leave x itself out of the comparison.
  const others = all.length - 1;
  return others > 0 ? ((below + (equal - 1) / 2) / others) * 100 : 50;
}
