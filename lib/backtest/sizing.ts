/**
 * How many shares a rule's sizing asks for at bar `t`: one implementation for the backtest loop
 * (lib/backtest/engine.ts) and for deployed strategies (lib/deploy/), so both size alike. The
 * weight and sector caps and the whole shares come on top of it in targets.ts; cash is the
 * caller's.
 *
 * @module
 */
import type { Rules } from "../strategy/schema.ts";
import type { SymbolSignals } from "./compile.ts";

export interface SizingContext {
  /** Positions the book may hold at once (equal weight divides equity by it). */
  slots: number;
  /** Σ 1/vol over the set that will be held (inverse volatility). */
  invSum: number;
}

/**
 * Shares (fractional, unsigned) `rules.sizing` asks for, at price `px` with equity `eq`, from
 * the signals' ATR and volatility at `t`. 0 when a needed figure is missing.
 */
export function sizedShares(
  rules: Rules,
  sig: SymbolSignals,
  t: number,
  px: number,
  eq: number,
  ctx: SizingContext,
): number {
  const num = (x: unknown) => x as number; // resolved rules hold numbers only
  const ex = rules.exits;
  const stopPct = ex.stopLossPercent !== undefined ? num(ex.stopLossPercent) : NaN;
  const atrMult = ex.atrStop ? num(ex.atrStop.multiple) : NaN;
  const sz = rules.sizing;
  switch (sz.method) {
    case "fixed_shares":
      return num(sz.shares);
    case "fixed_cash":
      return num(sz.amount) / px;
    case "percent_equity":
      return eq * num(sz.percent) / 100 / px;
    case "risk_percent": {
      const a = sig.atr ? sig.atr[t] : NaN;
      let dist = stopPct === stopPct ? px * stopPct / 100 : Infinity;
      if (atrMult === atrMult && a > 0) dist = Math.min(dist, atrMult * a);
      return dist > 0 && dist < Infinity ? eq * num(sz.percent) / 100 / dist : 0;
    }
    case "atr": {
      const a = sig.atr![t];
      return a > 0 ? eq * num(sz.riskPercent) / 100 / (num(sz.multiple) * a) : 0;
    }
    case "volatility_target": {
      const vol = sig.vol![t];
      return vol > 0 ? eq * num(sz.targetPercent) / 100 / vol / px : 0;
    }
    case "equal_weight":
      return eq / ctx.slots / px;
    case "inverse_volatility": {
      const vol = sig.vol![t];
      return vol > 0 && ctx.invSum > 0 ? eq * (1 / vol) / ctx.invSum / px : 0;
    }
  }
}
