/**
 * The stop, target and trailing exits of a deployed strategy, decided at a session's close
 * exactly as the backtest loop (lib/backtest/engine.ts, step 2) decides them for the same bar:
 *
 * - the levels come from the entry's fill price: the stop `stopLossPercent` below it (above for a
 *   short), tightened by an ATR stop at the ATR of the bar before the entry; the target
 *   `takeProfitPercent` above it;
 * - the trailing stop trails the best price since the entry: the entry price, then each held
 *   bar's high (low for a short) up to the bar before this one; it replaces the fixed stop when
 *   it is tighter;
 * - the bar reaches a level when its open is through it (a gap) or its low/high touches it; a bar
 *   reaching both the stop and the target counts as the stop.
 *
 * The one difference left is the fill: the backtest fills inside the bar (at the level, or at the
 * open on a gap), while a deployment learns of it at the close and proposes a market order for the
 * next open. Pure, so the parity test (exits_test.ts) runs it against the loop bar by bar.
 *
 * @module
 */
import type { Rules } from "../strategy/schema.ts";

export type ProtectiveReason = "stop" | "target" | "trailing";

export interface ProtectiveExit {
  reason: ProtectiveReason;
  /** The level the bar reached, USD. */
  level: number;
  /** True when the bar opened through the level (the backtest fills at that open). */
  gap: boolean;
}

/** The bars of one symbol (the panel's rows). */
export interface SymbolBars {
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
}

export interface HeldPosition {
  /** Signed shares: negative is short. */
  qty: number;
  /** The entry's fill price, USD. */
  entryPrice: number;
  /** The bar (panel index) of the entry's fill. */
  entryBar: number;
}

const num = (x: unknown) => x as number; // resolved rules hold numbers only

/** True when the rules have any exit this module decides. */
export function hasProtectiveExits(rules: Rules): boolean {
  const ex = rules.exits;
  return ex.stopLossPercent !== undefined || ex.takeProfitPercent !== undefined ||
    ex.trailingStopPercent !== undefined || ex.atrStop !== undefined;
}

/**
 * The stop, target or trailing exit bar `t` reaches for a position held since `entryBar`, or
 * null. `atr` is the symbol's ATR series (null when the rules have no ATR stop).
 */
export function protectiveExit(
  rules: Rules,
  pos: HeldPosition,
  bars: SymbolBars,
  atr: ArrayLike<number> | null,
  t: number,
): ProtectiveExit | null {
  if (pos.qty === 0 || !(pos.entryPrice > 0) || pos.entryBar < 0 || pos.entryBar > t) return null;
  const ex = rules.exits;
  const stopPct = ex.stopLossPercent !== undefined ? num(ex.stopLossPercent) : NaN;
  const tpPct = ex.takeProfitPercent !== undefined ? num(ex.takeProfitPercent) : NaN;
  const trailPct = ex.trailingStopPercent !== undefined ? num(ex.trailingStopPercent) : NaN;
  const atrMult = ex.atrStop ? num(ex.atrStop.multiple) : NaN;
  const long = pos.qty > 0;
  const dir = long ? 1 : -1;
  const price = pos.entryPrice;
  const o = bars.open[t];
  if (!(o > 0)) return null;

  let stop = stopPct === stopPct ? price * (1 - dir * stopPct / 100) : NaN;
  const e = pos.entryBar;
  if (atrMult === atrMult && atr && e > 0 && atr[e - 1] === atr[e - 1]) {
    const st = price - dir * atrMult * atr[e - 1];
    stop = stop === stop ? (long ? Math.max(stop, st) : Math.min(stop, st)) : st;
  }
  let reason: ProtectiveReason = "stop";
  if (trailPct === trailPct) {
    let mark = price;
    for (let i = e; i < t; i++) {
      const hl = long ? bars.high[i] : bars.low[i];
      if (hl === hl) mark = long ? Math.max(mark, hl) : Math.min(mark, hl);
    }
    const tr = long ? mark * (1 - trailPct / 100) : mark * (1 + trailPct / 100);
    if (stop !== stop || (long ? tr > stop : tr < stop)) (stop = tr, reason = "trailing");
  }
  if (stop === stop) {
    if (long ? o <= stop : o >= stop) return { reason, level: stop, gap: true };
    if (long ? bars.low[t] <= stop : bars.high[t] >= stop) {
      return { reason, level: stop, gap: false };
    }
  }
  const target = tpPct === tpPct ? price * (1 + dir * tpPct / 100) : NaN;
  if (target === target) {
    if (long ? o >= target : o <= target) return { reason: "target", level: target, gap: true };
    if (long ? bars.high[t] >= target : bars.low[t] <= target) {
      return { reason: "target", level: target, gap: false };
    }
  }
  return null;
}
