/**
 * The option chain as the screen lays it out: one row per strike, the call on the left and the
 * put on the right, a window of strikes around the money, and which side is in the money.
 */
import type { OptionChain, OptionContract } from "../market/types.ts";

export interface ChainRow {
  strike: number;
  call: OptionContract | null;
  put: OptionContract | null;
  /** A call is in the money below the underlying's price, a put above it. */
  callItm: boolean;
  putItm: boolean;
}

export interface ChainView {
  rows: ChainRow[];
  /** Index in `rows` of the strike nearest the underlying's price, or -1 without a price. */
  atm: number;
  /** How many strikes the chain has in all (the view may show fewer). */
  total: number;
}

/**
 * Rows for `chain`: `perSide` strikes below and above the one nearest the money (all strikes when
 * the underlying's price is unknown, which leaves nothing to centre on).
 */
export function chainView(
  chain: Pick<OptionChain, "options" | "underlyingPrice">,
  perSide = 8,
): ChainView {
  const byStrike = new Map<number, ChainRow>();
  const price = chain.underlyingPrice;
  for (const option of chain.options) {
    let row = byStrike.get(option.strike);
    if (!row) {
      row = {
        strike: option.strike,
        call: null,
        put: null,
        callItm: price !== null && option.strike < price,
        putItm: price !== null && option.strike > price,
      };
      byStrike.set(option.strike, row);
    }
    row[option.type] = option;
  }
  const all = [...byStrike.values()].sort((a, b) => a.strike - b.strike);
  if (price === null || all.length === 0) return { rows: all, atm: -1, total: all.length };
  let nearest = 0;
  for (let i = 1; i < all.length; i++) {
    if (Math.abs(all[i].strike - price) < Math.abs(all[nearest].strike - price)) nearest = i;
  }
  const from = Math.max(0, nearest - perSide);
  const rows = all.slice(from, nearest + perSide + 1);
  return { rows, atm: nearest - from, total: all.length };
}

/** Mid price of a contract, or its last trade when there is no two-sided market. */
export function midPrice(option: Pick<OptionContract, "bid" | "ask" | "last">): number | null {
  if (option.bid !== null && option.ask !== null && option.ask >= option.bid) {
    return (option.bid + option.ask) / 2;
  }
  return option.last;
}
