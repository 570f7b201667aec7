/**
 * Strategy templates: each turns the underlying's price and a chain's expirations and strikes
 * into legs (without premiums or volatilities, which come from the chain). Strikes are picked
 * by their place on the chain around the money, so a template fits any strike spacing.
 *
 * @module
 */
import type { Side } from "./strategy.ts";

export interface TemplateLeg {
  type: "call" | "put" | "stock";
  side: Side;
  /** Options only. */
  strike?: number;
  /** Options only. */
  expiration?: string;
  /** Contracts, or shares for a stock leg. */
  quantity: number;
}

export interface ChainShape {
  spot: number;
  /** The expiration the user chose. */
  expiration: string;
  /** Every listed expiration, ascending (a calendar needs the one after the chosen one). */
  expirations: readonly string[];
  /** Strikes listed for the chosen expiration. */
  strikes: readonly number[];
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

export type TemplateId =
  | "long_call"
  | "long_put"
  | "covered_call"
  | "cash_secured_put"
  | "bull_call_spread"
  | "bear_call_spread"
  | "bull_put_spread"
  | "bear_put_spread"
  | "straddle"
  | "strangle"
  | "iron_condor"
  | "butterfly"
  | "calendar";

export interface Template {
  id: TemplateId;
  label: string;
  /** The view it expresses, in a sentence. */
  description: string;
  build(chain: ChainShape): TemplateLeg[];
}

/** The strike `offset` places from the one nearest the spot; refuses to run off the chain. */
export function strikeNear(chain: ChainShape, offset: number): number {
  const strikes = [...chain.strikes].sort((a, b) => a - b);
  if (strikes.length === 0) throw new TemplateError("The chain lists no strikes.");
  let atm = 0;
  for (let i = 1; i < strikes.length; i++) {
    if (Math.abs(strikes[i] - chain.spot) < Math.abs(strikes[atm] - chain.spot)) atm = i;
  }
  const at = atm + offset;
  if (at < 0 || at >= strikes.length) {
    throw new TemplateError(
      `The chain has no strike ${Math.abs(offset)} places ${offset < 0 ? "below" : "above"} ` +
        `the money.`,
    );
  }
  return strikes[at];
}

function option(
  type: "call" | "put",
  side: Side,
  strike: number,
  expiration: string,
  quantity = 1,
): TemplateLeg {
  return { type, side, strike, expiration, quantity };
}

/** How many strikes out of the money the short strikes of spreads sit, and the wing width. */
const OTM = 2;
const WING = 2;

export const TEMPLATES: readonly Template[] = [
  {
    id: "long_call",
    label: "Long call",
    description: "Bullish: pay a premium for the upside above the strike.",
    build: (c) => [option("call", "buy", strikeNear(c, 0), c.expiration)],
  },
  {
    id: "long_put",
    label: "Long put",
    description: "Bearish: pay a premium for the downside below the strike.",
    build: (c) => [option("put", "buy", strikeNear(c, 0), c.expiration)],
  },
  {
    id: "covered_call",
    label: "Covered call",
    description: "Own 100 shares and sell a call above the money for income.",
    build: (c) => [
      { type: "stock", side: "buy", quantity: 100 },
      option("call", "sell", strikeNear(c, OTM), c.expiration),
    ],
  },
  {
    id: "cash_secured_put",
    label: "Cash-secured put",
    description: "Sell a put below the money, with the cash to buy the shares set aside.",
    build: (c) => [option("put", "sell", strikeNear(c, -OTM), c.expiration)],
  },
  {
    id: "bull_call_spread",
    label: "Bull call spread",
    description: "Moderately bullish, for a debit: buy a call, sell a higher one.",
    build: (c) => [
      option("call", "buy", strikeNear(c, 0), c.expiration),
      option("call", "sell", strikeNear(c, OTM), c.expiration),
    ],
  },
  {
    id: "bear_call_spread",
    label: "Bear call spread",
    description: "Neutral to bearish, for a credit: sell a call, buy a higher one.",
    build: (c) => [
      option("call", "sell", strikeNear(c, 0), c.expiration),
      option("call", "buy", strikeNear(c, OTM), c.expiration),
    ],
  },
  {
    id: "bull_put_spread",
    label: "Bull put spread",
    description: "Neutral to bullish, for a credit: sell a put, buy a lower one.",
    build: (c) => [
      option("put", "sell", strikeNear(c, 0), c.expiration),
      option("put", "buy", strikeNear(c, -OTM), c.expiration),
    ],
  },
  {
    id: "bear_put_spread",
    label: "Bear put spread",
    description: "Moderately bearish, for a debit: buy a put, sell a lower one.",
    build: (c) => [
      option("put", "buy", strikeNear(c, 0), c.expiration),
      option("put", "sell", strikeNear(c, -OTM), c.expiration),
    ],
  },
  {
    id: "straddle",
    label: "Long straddle",
    description: "A big move either way: buy a call and a put at the money.",
    build: (c) => [
      option("call", "buy", strikeNear(c, 0), c.expiration),
      option("put", "buy", strikeNear(c, 0), c.expiration),
    ],
  },
  {
    id: "strangle",
    label: "Long strangle",
    description: "A bigger move either way, cheaper: buy a call above and a put below the money.",
    build: (c) => [
      option("call", "buy", strikeNear(c, OTM), c.expiration),
      option("put", "buy", strikeNear(c, -OTM), c.expiration),
    ],
  },
  {
    id: "iron_condor",
    label: "Iron condor",
    description: "Range-bound, for a credit: a bull put spread below and a bear call spread above.",
    build: (c) => [
      option("put", "buy", strikeNear(c, -OTM - WING), c.expiration),
      option("put", "sell", strikeNear(c, -OTM), c.expiration),
      option("call", "sell", strikeNear(c, OTM), c.expiration),
      option("call", "buy", strikeNear(c, OTM + WING), c.expiration),
    ],
  },
  {
    id: "butterfly",
    label: "Long call butterfly",
    description: "Pinned near the money: buy one call each side, sell two at the money.",
    build: (c) => [
      option("call", "buy", strikeNear(c, -WING), c.expiration),
      option("call", "sell", strikeNear(c, 0), c.expiration, 2),
      option("call", "buy", strikeNear(c, WING), c.expiration),
    ],
  },
  {
    id: "calendar",
    label: "Call calendar",
    description: "Quiet near term: sell this expiration's call, buy the same strike further out.",
    build: (c) => {
      const later = [...c.expirations].sort().find((e) => e > c.expiration);
      if (!later) throw new TemplateError(`No expiration is listed after ${c.expiration}.`);
      const strike = strikeNear(c, 0);
      return [option("call", "sell", strike, c.expiration), option("call", "buy", strike, later)];
    },
  },
];

export function templateById(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
