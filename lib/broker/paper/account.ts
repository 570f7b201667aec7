/**
 * The paper account's state and its valuation: cash and positions from Postgres, marked to
 * market with MarketData quotes. Equity snapshots (written on fills and by the cron job) give
 * the previous close's equity and the portfolio history.
 *
 * @module
 */
import type { Queryable } from "../../db/database.ts";
import { Decimal } from "decimal.js";
import { startOfNyDay } from "../../shared/ny_time.ts";
import type { MarketData, Quote } from "../../market/types.ts";
import type { Account, Position } from "../types.ts";
import { isOccSymbol, OPTION_MULTIPLIER, parseOcc } from "../../options/occ.ts";
import { underlyingOf } from "../../options/underlying.ts";
import { isOptionQuote, optionQuotes } from "../option_quotes.ts";
import {
  heldOptionRequirement,
  type PendingSell,
  pendingSellRequirement,
} from "./option_requirement.ts";

export interface AccountRow {
  user_id: number;
  starting_cash: string;
  cash: string;
  realized_pl: string;
  created_at: Date;
}

export interface PositionRow {
  symbol: string;
  qty: string;
  cost_basis: string;
  realized_pl: string;
  opened_at: Date;
  /** Shares per unit of qty: 1 for stock, 100 for an option contract. */
  multiplier: number;
}

/**
 * The user's account row, opened with `startingCash` (read only then, when a function) on first
 * use. With `lock`, the row stays
 * locked until the transaction ends: every change to a paper account's cash, positions or open
 * orders takes this lock first, so concurrent orders of one user are serialized.
 */
export async function loadAccount(
  q: Queryable,
  userId: number,
  startingCash: number | (() => Promise<number>),
  opts: { lock?: boolean } = {},
): Promise<AccountRow> {
  const select = `select user_id, starting_cash, cash, realized_pl, created_at from paper_accounts
    where user_id = $1${opts.lock ? " for update" : ""}`;
  let [row] = await q.query<AccountRow>(select, [userId]);
  if (row) return row;
  const inserted = await q.query<AccountRow>(
    `insert into paper_accounts (user_id, starting_cash, cash) values ($1, $2, $2)
     on conflict (user_id) do nothing
     returning user_id, starting_cash, cash, realized_pl, created_at`,
    [userId, (typeof startingCash === "number" ? startingCash : await startingCash()).toFixed(2)],
  );
  if (inserted[0]) {
    await q.query(
      `insert into equity_snapshots (user_id, at, equity, cash) values ($1, now(), $2, $2)
       on conflict do nothing`,
      [userId, inserted[0].starting_cash],
    );
  }
  [row] = await q.query<AccountRow>(select, [userId]);
  return row;
}

/**
 * Takes the account lock of a user who already has an account (cancels, fills of working
 * orders); never opens one. A user without an account has no orders to serialize.
 */
export async function lockAccount(q: Queryable, userId: number): Promise<void> {
  await q.query("select 1 from paper_accounts where user_id = $1 for update", [userId]);
}

export async function loadPositions(q: Queryable, userId: number): Promise<PositionRow[]> {
  return await q.query<PositionRow>(
    `select symbol, qty, cost_basis, realized_pl, opened_at, multiplier from paper_positions
     where user_id = $1 order by symbol`,
    [userId],
  );
}

/**
 * An open order that holds buying power: a buy, as far as the cash it holds goes, or an option
 * order that sells (its legs for a multi-leg one), as far as the cover it will need goes.
 */
export interface OpenBuyRow {
  symbol: string;
  qty: string | null;
  notional: string | null;
  filled_qty: string;
  limit_price: string | null;
  stop_price: string | null;
  /** Absent on rows read before options existed: stock. */
  asset_class?: "us_equity" | "us_option";
  order_class?: "simple" | "mleg";
  /** Absent on rows read before option sells held buying power: a buy. */
  side?: "buy" | "sell";
  legs?: PendingSell["legs"];
}

/**
 * The open orders that hold buying power, their columns and filter, shared by
 * `reservedForOpenBuys` and the placing read. Option sells are read with the buys: a credit
 * spread or cash-secured put that rests still needs its cover once it fills.
 */
export const OPEN_BUYS = `select symbol, qty, notional, filled_qty, limit_price, stop_price,
    asset_class, order_class, side,
    case when order_class = 'mleg' then (select json_agg(json_build_object('symbol', l.symbol,
      'side', l.side, 'ratio_qty', l.ratio_qty) order by l.leg) from order_legs l
      where l.order_id = orders.id) end as legs
  from orders where user_id = $1 and broker = 'paper'
    and (side = 'buy' or asset_class = 'us_option')
    and status in ('accepted', 'new', 'partially_filled')`;

/** Buying power held by the user's open orders (`reservedBy`), given the positions held. */
export async function reservedForOpenBuys(
  q: Queryable,
  userId: number,
  quotes: Map<string, Quote>,
  positions: readonly PositionRow[],
  exceptOrderIds: string[] = [],
): Promise<number> {
  const rows = await q.query<OpenBuyRow>(
    `${OPEN_BUYS} and not (id = any($2::uuid[]))`,
    [userId, exceptOrderIds],
  );
  return reservedBy(rows, quotes, positions);
}

/**
 * What `rows` hold: a dollar order its amount, a share order its rest at its price, an option
 * order its contracts × 100 at its limit (a multi-leg debit at its net limit; a market one
 * waiting for the open holds nothing until it is priced at the fill). An option order that
 * sells holds the cover it adds to `positions` less the credit of its limit
 * (option_requirement.ts `pendingSellRequirement`).
 */
export function reservedBy(
  rows: OpenBuyRow[],
  quotes: Map<string, Quote>,
  positions: readonly PositionRow[],
): number {
  let total = 0;
  for (const r of rows) {
    if (r.side === "sell") {
      total += pendingSellRequirement(positions, r);
      continue;
    }
    if (r.notional !== null) {
      total += Number(r.notional);
      continue;
    }
    const option = r.asset_class === "us_option";
    const quoted = r.order_class === "mleg" ? 0 : quotes.get(r.symbol)?.ask ?? 0;
    const price = Number(r.limit_price ?? r.stop_price ?? quoted);
    total += (Number(r.qty) - Number(r.filled_qty)) * price * (option ? OPTION_MULTIPLIER : 1);
  }
  return total;
}

/**
 * The mark for a position: an option's chain mark (the middle of bid and ask), else the last
 * trade, else the middle of bid and ask.
 */
export function markPrice(q: Quote | undefined): number | null {
  if (!q) return null;
  if (isOptionQuote(q)) return q.mark;
  if (q.last !== null) return q.last;
  if (q.bid !== null && q.ask !== null) return (q.bid + q.ask) / 2;
  return null;
}

export function toPosition(row: PositionRow, quote: Quote | undefined, source: Quote["source"]) {
  const qty = Number(row.qty);
  const m = Number(row.multiplier ?? 1);
  const costBasis = Number(row.cost_basis);
  const price = markPrice(quote);
  const marketValue = price === null ? null : round2(qty * price * m);
  const unrealized = marketValue === null ? null : round2(marketValue - costBasis);
  const prev = quote?.prevClose ?? null;
  const position: Position = {
    symbol: row.symbol,
    qty,
    side: qty < 0 ? "short" : "long",
    avgEntryPrice: round6(Math.abs(costBasis / (qty * m))),
    costBasis,
    marketValue,
    currentPrice: price,
    lastdayPrice: prev,
    unrealizedPl: unrealized,
    unrealizedPlPercent: unrealized === null || costBasis === 0
      ? null
      : round6(unrealized / Math.abs(costBasis)),
    changeToday: price !== null && prev ? round6(price / prev - 1) : null,
    dayPl: price !== null && prev !== null ? round2(qty * (price - prev) * m) : null,
    realizedPl: Number(row.realized_pl),
    source: "paper",
    prices: quote?.source ?? source,
  };
  const contract = m !== 1 ? parseOcc(row.symbol) : null;
  if (contract) {
    position.assetClass = "us_option";
    position.option = {
      underlying: underlyingOf(contract.underlying),
      expiration: contract.expiration,
      type: contract.type,
      strike: contract.strike,
      multiplier: m,
    };
    if (quote && isOptionQuote(quote)) {
      position.greeks = quote.greeks;
      position.chain = quote.chain;
    }
  }
  return position;
}

/**
 * Quotes for `symbols`: stock from `market.quotes` (which fails on an unknown symbol), option
 * contracts from their chains (lib/broker/paper/option_quotes.ts; a contract no longer listed
 * has no quote, so an expired position is valued at cost until it settles).
 */
export async function quotesFor(
  market: MarketData,
  symbols: string[],
): Promise<Map<string, Quote>> {
  const unique = [...new Set(symbols)];
  if (unique.length === 0) return new Map();
  const stocks = unique.filter((s) => !isOccSymbol(s));
  if (stocks.length === unique.length) {
    const quotes = await market.quotes(unique);
    return new Map(quotes.map((q) => [q.symbol, q]));
  }
  const [quotes, options] = await Promise.all([
    stocks.length ? market.quotes(stocks) : [],
    optionQuotes(market, unique.filter(isOccSymbol)),
  ]);
  const out = new Map<string, Quote>(quotes.map((q) => [q.symbol, q]));
  for (const [s, q] of options) out.set(s, q);
  return out;
}

/** Equity at the last snapshot before today began, else the starting cash. */
export async function lastEquity(
  q: Queryable,
  account: AccountRow,
  nowMs: number,
): Promise<number> {
  const [row] = await q.query<{ equity: string }>(
    `select equity from equity_snapshots where user_id = $1 and at < $2
     order by at desc limit 1`,
    [account.user_id, startOfNyDay(nowMs)],
  );
  return Number(row?.equity ?? account.starting_cash);
}

export interface Valuation {
  account: Account;
  positions: Position[];
}

/** Cash, positions and quotes → the seam's Account and Positions. */
export function value(
  acct: AccountRow,
  rows: PositionRow[],
  quotes: Map<string, Quote>,
  reserved: number,
  lastEq: number,
  source: Quote["source"],
  nowMs: number,
): Valuation {
  const positions = rows.map((r) => toPosition(r, quotes.get(r.symbol), source));
  let long = 0;
  let short = 0;
  let shortOptions = 0;
  let unrealized = 0;
  let stale = false;
  for (const p of positions) {
    // Without a price, a position counts at cost: better than pretending it is worth nothing.
    const mv = p.marketValue ?? p.costBasis;
    if (mv >= 0) long += mv;
    else short += mv;
    if (mv < 0 && p.option) shortOptions += mv;
    unrealized += p.unrealizedPl ?? 0;
    if (quotes.get(p.symbol)?.stale) stale = true;
  }
  const cash = Number(acct.cash);
  const equity = round2(cash + long + short);
  // Short options hold their requirement instead of their market value (option_requirement.ts).
  const held = shortOptions < 0 ? heldOptionRequirement(rows) + shortOptions : 0;
  const buyingPower = round2(Math.max(0, cash + short - reserved - held));
  const dayPl = round2(equity - lastEq);
  const account: Account = {
    source: "paper",
    prices: source,
    currency: "USD",
    cash,
    buyingPower,
    equity,
    longMarketValue: round2(long),
    shortMarketValue: round2(short),
    lastEquity: lastEq,
    dayPl,
    dayPlPercent: lastEq > 0 ? round6(dayPl / lastEq) : null,
    startingCash: Number(acct.starting_cash),
    unrealizedPl: round2(unrealized),
    realizedPl: Number(acct.realized_pl),
    timestamp: new Date(nowMs).toISOString(),
    ...(stale ? { stale: true } : {}),
  };
  return { account, positions };
}

/**
 * The account and positions as they stand after a fill booked in this transaction, without
 * reading them again: the equity snapshot after an order costs one insert, not a revaluation.
 */
export function afterFill(
  acct: AccountRow,
  rows: PositionRow[],
  fill: {
    symbol: string;
    cashDelta: Decimal;
    next: { qty: Decimal; costBasis: Decimal };
    multiplier?: number;
  },
): { acct: AccountRow; rows: PositionRow[] } {
  const cash = new Decimal(acct.cash).plus(fill.cashDelta).toFixed(2);
  const others = rows.filter((r) => r.symbol !== fill.symbol);
  const was = rows.find((r) => r.symbol === fill.symbol);
  const next = fill.next.qty.isZero() ? others : [...others, {
    symbol: fill.symbol,
    qty: fill.next.qty.toFixed(),
    cost_basis: fill.next.costBasis.toFixed(2),
    realized_pl: was?.realized_pl ?? "0",
    opened_at: was?.opened_at ?? new Date(),
    multiplier: was?.multiplier ?? fill.multiplier ?? 1,
  }];
  return { acct: { ...acct, cash }, rows: next };
}

export async function writeSnapshot(q: Queryable, userId: number, equity: number, cash: number) {
  await q.query(
    `insert into equity_snapshots (user_id, at, equity, cash) values ($1, now(), $2, $3)
     on conflict do nothing`,
    [userId, equity.toFixed(2), cash.toFixed(2)],
  );
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
