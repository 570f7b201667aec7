/**
 * What a resting stock buy must still pass when its price comes (the matcher's and the sync's
 * fill path): the buying power it would spend. The account moves while an order rests (a stop
 * fills above its stop when the price gaps, a short stock's rise takes buying power), and cash is
 * not all spendable: part of it secures short options held, or is held by other open orders (a
 * resting cash-secured put sell among them). Spending that would leave a short put unsecured.
 *
 * Buying power here is the account's own (`value` in account.ts), less nothing for the order
 * being filled. It is read in ONE statement under the account lock the fill holds.
 *
 * @module
 */
import type { Queryable } from "../../db/database.ts";
import { isOccSymbol } from "../../options/occ.ts";
import type { MarketData, Quote } from "../../market/types.ts";
import {
  type AccountRow,
  type OpenBuyRow,
  type PositionRow,
  quotesFor,
  reservedBy,
  value,
} from "./account.ts";
import { openBuysJson, parsePositions, POSITIONS_JSON } from "./placement_read.ts";

export interface AccountAtFill {
  acct: AccountRow;
  positions: PositionRow[];
  /** Open orders holding buying power, the order being filled left out. */
  openBuys: OpenBuyRow[];
}

/** The account, positions and other open orders of `userId`, for filling `orderId`. */
export async function readAtFill(
  tx: Queryable,
  userId: number,
  orderId: string,
): Promise<AccountAtFill> {
  const [r] = await tx.query<AccountRow & { x_positions: string; x_open_buys: string }>(
    `select a.user_id, a.starting_cash, a.cash, a.realized_pl, a.created_at,
       ${POSITIONS_JSON} as x_positions,
       ${openBuysJson("id <> $2")} as x_open_buys
     from paper_accounts a where a.user_id = $1`,
    [userId, orderId],
  );
  if (!r) throw new Error(`paper account ${userId} is missing at a fill`);
  const { x_positions, x_open_buys, ...acct } = r;
  return { acct, positions: parsePositions(x_positions), openBuys: JSON.parse(x_open_buys) };
}

/**
 * Buying power left for the order being filled. Short stock counts at its mark, so each short
 * other than `quote`'s symbol is quoted (at cost when no quote comes, as the account does).
 * `quote` is null when nothing is being bought at a quote (an exercise at the strike).
 */
export async function buyingPowerAtFill(
  market: MarketData,
  at: AccountAtFill,
  quote: Quote | null,
  nowMs: number,
): Promise<number> {
  const quotes = new Map<string, Quote>(quote ? [[quote.symbol, quote]] : []);
  const shorts = at.positions
    .filter((p) => Number(p.qty) < 0 && !isOccSymbol(p.symbol) && !quotes.has(p.symbol))
    .map((p) => p.symbol);
  if (shorts.length) {
    const marks = await quotesFor(market, shorts).catch(() => new Map<string, Quote>());
    for (const [s, q] of marks) quotes.set(s, q);
  }
  const reserved = reservedBy(at.openBuys, quotes, at.positions);
  const start = Number(at.acct.starting_cash);
  return value(at.acct, at.positions, quotes, reserved, start, market.source, nowMs)
    .account.buyingPower;
}

/** Why a buy costing `cost` cannot fill with `buyingPower` left, or null when it can. */
export function buyRefusal(cost: number, buyingPower: number, cash: number): string | null {
  if (cost <= buyingPower + 0.005) return null;
  const held = cash > buyingPower
    ? ` (of the $${cash.toFixed(2)} cash, the rest secures short positions and options or is ` +
      "held by other open orders)"
    : "";
  return `Canceled at fill time: $${cost.toFixed(2)} needed, buying power is $${
    buyingPower.toFixed(2)
  }${held}.`;
}
