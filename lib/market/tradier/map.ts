/**
 * Tradier's shapes (schemas.ts) → PaiiD's MarketData types (../types.ts).
 *
 * @module
 */
import type { Greeks, OptionContract, Quote, SymbolMatch } from "../types.ts";
import type { TradierGreeks, TradierQuote } from "./schemas.ts";
import { msToIso } from "./time.ts";

const OCC = /^[A-Z0-9]{1,6}\d{6}[CP]\d{8}$/;

/** True for an OCC option symbol such as `AAPL240621P00200000` (Tradier uses OCC symbols). */
export function isOptionSymbol(symbol: string): boolean {
  return OCC.test(symbol);
}

/**
 * Tradier reports equity bid/ask sizes in round lots of 100 shares (Tradier quotes, "in
 * hundreds"); option sizes are contracts. PaiiD's sizes are shares for equities.
 */
export function sizeMultiplier(symbol: string): number {
  return isOptionSymbol(symbol) ? 1 : 100;
}

const EXCHANGES: Record<string, string> = {
  A: "NYSE American",
  B: "NASDAQ BX",
  C: "NSX",
  I: "ISE",
  J: "Cboe EDGA",
  K: "Cboe EDGX",
  M: "Chicago",
  N: "NYSE",
  P: "NYSE Arca",
  Q: "NASDAQ",
  V: "IEX",
  X: "NASDAQ PSX",
  Y: "Cboe BYX",
  Z: "Cboe BZX",
};

/** Tradier's one-letter exchange code → a name; unknown codes (or old MIC codes) pass through. */
export function exchangeName(code: string | null): string | null {
  if (!code) return null;
  return EXCHANGES[code] ?? code;
}

export function toQuote(q: TradierQuote, now: string): Quote {
  const lot = sizeMultiplier(q.symbol);
  return {
    symbol: q.symbol,
    description: q.description,
    last: q.last,
    // Tradier sends 0.0 for "no market" in quotes; a zero bid/ask is no price at all.
    bid: q.bid || null,
    ask: q.ask || null,
    bidSize: q.bidsize === null ? null : q.bidsize * lot,
    askSize: q.asksize === null ? null : q.asksize * lot,
    change: q.change,
    changePercent: q.change_percentage,
    volume: q.volume,
    open: q.open,
    high: q.high,
    low: q.low,
    prevClose: q.prevclose,
    timestamp: msToIso(q.trade_date) ?? now,
    source: "tradier",
  };
}

/**
 * Tradier's ORATS Greeks → ours. Units already match: theta per calendar day, vega and rho per
 * one volatility/rate point.
 *
 * IV: `mid_iv` is the volatility implied by the bid/ask midpoint, i.e. the price a trader
 * actually sees, so it is the one shown. Contracts without a two-sided market report `mid_iv`
 * as 0; for those the smoothed surface volatility `smv_vol` (ORATS' fit across strikes) is the
 * honest fallback, and null when that is missing too.
 */
export function toGreeks(g: TradierGreeks | null): Greeks | null {
  if (
    !g || g.delta === null || g.gamma === null || g.theta === null || g.vega === null ||
    g.rho === null
  ) return null;
  const iv = g.mid_iv && g.mid_iv > 0 ? g.mid_iv : g.smv_vol && g.smv_vol > 0 ? g.smv_vol : null;
  return { delta: g.delta, gamma: g.gamma, theta: g.theta, vega: g.vega, rho: g.rho, iv };
}

/** One option of a chain; null when the row lacks what makes it an option. */
export function toOption(q: TradierQuote, underlying: string): OptionContract | null {
  if (q.strike === null || !q.option_type || !q.expiration_date) return null;
  return {
    symbol: q.symbol,
    underlying: q.underlying ?? underlying,
    type: q.option_type,
    strike: q.strike,
    expiration: q.expiration_date,
    bid: q.bid || null,
    ask: q.ask || null,
    last: q.last,
    volume: q.volume,
    openInterest: q.open_interest,
    greeks: toGreeks(q.greeks),
  };
}

/** Tradier security types → ours (`mutual_fund` and anything new become "other"). */
export function toMatchType(type: string | null): SymbolMatch["type"] {
  return type === "stock" || type === "etf" || type === "index" || type === "option"
    ? type
    : "other";
}
