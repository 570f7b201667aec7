/**
 * A contract's Greeks for Active Positions: the chain's own when it lists them (the replay's
 * model always does; Tradier may leave a contract without), else Black-Scholes from
 * lib/shared/greeks.ts (the app's one implementation, loaded only when a contract needs it):
 * the chain's IV, or the IV implied by the contract's mid (its last trade without a two-sided
 * market), at the chain's underlying price and the calendar days left, with a 1 % rate and no
 * dividend yield. Those are stated assumptions; the screen marks such Greeks as computed here.
 */
import type { OptionContract } from "../../market/types.ts";
import type { bsGreeks, impliedVolatility } from "../../shared/greeks.ts";
import { finite } from "../../shared/money.ts";
import type { ContractGreeks } from "./positions.ts";

export interface BlackScholes {
  bsGreeks: typeof bsGreeks;
  impliedVolatility: typeof impliedVolatility;
}

/** The model's rate when the chain gives no Greeks (the replay chain's own). */
export const FALLBACK_RATE = 0.01;

export type GreeksSource = "position" | "chain" | "computed";

type ContractQuote = Pick<OptionContract, "type" | "strike" | "bid" | "ask" | "last" | "greeks">;

/** True when the chain lists no usable Greeks for the contract. */
export function lacksGreeks(c: ContractQuote): boolean {
  const g = c.greeks;
  return !g || ![g.delta, g.gamma, g.theta, g.vega].every((v) => finite(v));
}

/** Lazily loads the Black-Scholes module (a separate chunk). */
export function loadBlackScholes(): Promise<BlackScholes> {
  return import("../../shared/greeks.ts");
}

/**
 * The contract's Greeks and where they came from; null when neither the chain nor the model
 * can say (no Greeks listed and no price, spot or days to go on, or `bs` not loaded).
 */
export function contractGreeks(
  c: ContractQuote,
  spot: number | null,
  days: number | null,
  bs: BlackScholes | null,
): { greeks: ContractGreeks; source: GreeksSource } | null {
  if (!lacksGreeks(c)) {
    const g = c.greeks!;
    return {
      greeks: { delta: g.delta, gamma: g.gamma, theta: g.theta, vega: g.vega, iv: g.iv },
      source: "chain",
    };
  }
  if (!bs || !finite(spot) || spot <= 0 || days === null) return null;
  const base = { type: c.type, spot, strike: c.strike, years: Math.max(days, 0) / 365 };
  const input = { ...base, rate: FALLBACK_RATE };
  let vol = c.greeks?.iv ?? null;
  if (!finite(vol)) {
    const price = c.bid !== null && c.ask !== null && c.ask >= c.bid ? (c.bid + c.ask) / 2 : c.last;
    if (!finite(price)) return null;
    try {
      vol = bs.impliedVolatility({ ...input, price });
    } catch {
      // A price outside the no-arbitrage bounds has no volatility: no Greeks rather than wrong ones.
      return null;
    }
  }
  const r = bs.bsGreeks({ ...input, volatility: vol });
  return {
    greeks: { delta: r.delta, gamma: r.gamma, theta: r.theta, vega: r.vega, iv: vol },
    source: "computed",
  };
}
