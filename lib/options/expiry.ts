/**
 * What happens to an option held at the close of its expiration day.
 *
 * The rule (the README and the screens quote it):
 *
 * - **In the money by at least $0.01** at the underlying's close, a long option is exercised and
 *   a short one assigned: OCC's exercise-by-exception threshold. A call buys, a put sells, 100
 *   shares per contract at the strike (long call and short put: bought; long put and short
 *   call: sold). The option leaves the account at price 0 and the shares move at the strike.
 * - **At the money or out of it**, the option expires worthless: it leaves at price 0, no shares.
 * - **Shares that cannot be held** are not delivered: buying shares the cash cannot pay for, or
 *   selling shares not held while short selling is off. Then the option is closed for cash at
 *   its intrinsic value instead (`cashSettled: true`), the reason still exercise or assignment.
 *   A short option settled so can take cash below zero: that is its loss, not a choice.
 *
 * Either way the account ends up with the same value at the close: shares bought at the strike
 * and marked at the close are worth the intrinsic value, as is the cash of closing for it.
 * Several options expiring together are settled one at a time, the caller carrying cash and
 * shares forward from one settlement to the next; the order decides which of them gets the
 * shares or the cash when there is not enough for all. Pure: no I/O.
 *
 * @module
 */
import type { OrderSide } from "../broker/types.ts";
import { OPTION_MULTIPLIER, type OptionContractId } from "./occ.ts";

/** In the money by at least this much at the close (USD per share): exercised or assigned. */
export const EXERCISE_THRESHOLD = 0.01;

export interface ExpiringOption {
  contract: OptionContractId;
  /** Signed contracts: positive long, negative short. */
  qty: number;
}

export interface SettlementContext {
  underlyingClose: number;
  cash: number;
  /** Signed shares of the underlying held before this settlement. */
  sharesHeld: number;
  allowShortSelling: boolean;
}

export interface SettlementTrade {
  symbol: string;
  side: OrderSide;
  /** Positive: contracts for the option, shares for the underlying. */
  qty: number;
  /** USD per share. */
  price: number;
}

export interface Settlement {
  reason: "exercise" | "assignment" | "expired";
  /**
   * The option leaves the account: the side opposite of the holding (sell a long, buy back a
   * short) and qty = |held| contracts, so the position ends flat, at price 0 (expired, or
   * settled into shares) or the intrinsic value (settled for cash).
   */
  option: SettlementTrade;
  /** Shares delivered: bought (long call exercised / short put assigned) or sold at the strike. */
  shares: SettlementTrade | null;
  /** True when settled for cash at intrinsic value instead of shares (the rule above). */
  cashSettled: boolean;
  /** "AAPL 2024-06-21 150 call exercised at 150: bought 100 AAPL" */
  note: string;
}

/** Settles one expiring option by the rule in the module comment. */
export function settle(o: ExpiringOption, ctx: SettlementContext): Settlement {
  if (!Number.isFinite(o.qty) || o.qty === 0) {
    throw new RangeError(`Nothing to settle: ${o.qty} contracts of ${o.contract.symbol}.`);
  }
  const c = o.contract;
  const long = o.qty > 0;
  const contracts = Math.abs(o.qty);
  const close = ctx.underlyingClose;
  const moneyness = c.type === "call" ? close - c.strike : c.strike - close;
  const name = `${c.underlying} ${c.expiration} ${number(c.strike)} ${c.type}`;
  const option = (price: number): SettlementTrade => ({
    symbol: c.symbol,
    side: long ? "sell" : "buy",
    qty: contracts,
    price,
  });

  // The tolerance keeps a cent in the money in, whatever the float subtraction left behind.
  if (moneyness < EXERCISE_THRESHOLD - 1e-9) {
    const where = Math.abs(moneyness) < 1e-9 ? "at the money" : "out of the money";
    return {
      reason: "expired",
      option: option(0),
      shares: null,
      cashSettled: false,
      note: `${name} expired worthless: ${c.underlying} closed at ${price(close)}, ${where}.`,
    };
  }

  const reason = long ? "exercise" : "assignment";
  const done = long ? "exercised" : "assigned";
  const intrinsic = Math.round(moneyness * 1e6) / 1e6;
  const shares = contracts * OPTION_MULTIPLIER;
  const side: OrderSide = (c.type === "call") === long ? "buy" : "sell";
  const lot = `${number(shares)} ${c.underlying}`;
  const cost = Math.round(c.strike * shares * 100) / 100;
  const why = side === "buy"
    ? ctx.cash + 1e-9 < cost ? `the cash does not pay for ${lot} at ${number(c.strike)}` : null
    : !ctx.allowShortSelling && ctx.sharesHeld < shares
    ? `${lot} are not held and short selling is off`
    : null;

  if (why) {
    return {
      reason,
      option: option(intrinsic),
      shares: null,
      cashSettled: true,
      note: `${name} ${done} for cash at its intrinsic value ${price(intrinsic)} ` +
        `(${c.underlying} closed at ${price(close)}): ${why}.`,
    };
  }
  return {
    reason,
    option: option(0),
    shares: { symbol: c.underlying, side, qty: shares, price: c.strike },
    cashSettled: false,
    note: `${name} ${done} at ${number(c.strike)}: ${side === "buy" ? "bought" : "sold"} ${lot}`,
  };
}

/** Strikes and counts as written: 150, 152.5. */
function number(x: number): string {
  return String(Math.round(x * 1e6) / 1e6);
}

/** Prices in cents, or to the precision they carry: 155.25, 155.30, 155.2525. */
function price(x: number): string {
  const cents = Math.abs(x * 100 - Math.round(x * 100)) < 1e-6;
  return cents ? x.toFixed(2) : number(x);
}
