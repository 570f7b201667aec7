/**
 * Round trips from fills, lots matched first in, first out. A fill against the position closes
 * the oldest open lots first; the part of a fill beyond the position opens a lot on the other
 * side. A round trip runs from flat to flat (or to the fill that flips the position): its P&L is
 * what its closes realized. Money is exact (decimal.js) on the cash each fill moved (`notional`,
 * in cents), so a symbol traded from flat back to flat realizes exactly
 * Σ sells' notional − Σ buys' notional.
 *
 * The paper ledger books realized P&L at average cost; FIFO gives the same total for each
 * round trip but splits it differently between partial closes and what is still open.
 *
 * @module
 */
import { Decimal } from "decimal.js";

export interface FillIn {
  ms: number;
  symbol: string;
  side: "buy" | "sell";
  /** Shares, > 0. */
  qty: Decimal.Value;
  /** Cash the fill moved, USD ≥ 0. */
  notional: Decimal.Value;
}

/** A piece of an open lot closed by a later fill. */
export interface ClosedLot {
  symbol: string;
  side: "long" | "short";
  openMs: number;
  closeMs: number;
  qty: Decimal;
  pnl: Decimal;
}

export interface RoundTrip {
  symbol: string;
  side: "long" | "short";
  openMs: number;
  closeMs: number;
  pnl: Decimal;
}

/** What is still open in a symbol: signed shares and signed cost (short: what it raised, < 0). */
export interface OpenHolding {
  symbol: string;
  qty: Decimal;
  cost: Decimal;
  lots: number;
}

export interface FifoResult {
  closed: ClosedLot[];
  roundTrips: RoundTrip[];
  open: Map<string, OpenHolding>;
}

interface Lot {
  qty: Decimal;
  cost: Decimal;
  ms: number;
}

interface Book {
  /** +1 long, −1 short, 0 flat. */
  sign: number;
  lots: Lot[];
  trip: { openMs: number; pnl: Decimal } | null;
}

/** Matches `fills` (any order: they are sorted by time, ties kept in input order). */
export function matchFifo(fills: FillIn[]): FifoResult {
  const sorted = fills.map((f, i) => ({ f, i })).sort((a, b) => a.f.ms - b.f.ms || a.i - b.i);
  const books = new Map<string, Book>();
  const closed: ClosedLot[] = [];
  const roundTrips: RoundTrip[] = [];
  for (const { f } of sorted) {
    const qty = new Decimal(f.qty);
    const notional = new Decimal(f.notional);
    if (!qty.isFinite() || qty.lte(0)) throw new RangeError("fill quantity must be positive");
    let book = books.get(f.symbol);
    if (!book) books.set(f.symbol, book = { sign: 0, lots: [], trip: null });
    const sign = f.side === "buy" ? 1 : -1;
    if (book.sign === 0 || book.sign === sign) {
      book.sign = sign;
      book.lots.push({ qty, cost: notional, ms: f.ms });
      book.trip ??= { openMs: f.ms, pnl: new Decimal(0) };
      continue;
    }
    let rest = qty;
    let restCash = notional;
    while (rest.gt(0) && book.lots.length > 0) {
      const lot = book.lots[0];
      const m = Decimal.min(rest, lot.qty);
      // Proportional shares of what remains, so the pieces add up to exactly the whole.
      const cash = m.eq(rest) ? restCash : restCash.times(m).div(rest);
      const cost = m.eq(lot.qty) ? lot.cost : lot.cost.times(m).div(lot.qty);
      const pnl = book.sign > 0 ? cash.minus(cost) : cost.minus(cash);
      closed.push({
        symbol: f.symbol,
        side: book.sign > 0 ? "long" : "short",
        openMs: lot.ms,
        closeMs: f.ms,
        qty: m,
        pnl,
      });
      book.trip!.pnl = book.trip!.pnl.plus(pnl);
      rest = rest.minus(m);
      restCash = restCash.minus(cash);
      lot.qty = lot.qty.minus(m);
      lot.cost = lot.cost.minus(cost);
      if (lot.qty.isZero()) book.lots.shift();
    }
    if (book.lots.length === 0) {
      roundTrips.push({
        symbol: f.symbol,
        side: book.sign > 0 ? "long" : "short",
        openMs: book.trip!.openMs,
        closeMs: f.ms,
        pnl: book.trip!.pnl,
      });
      book.trip = null;
      book.sign = 0;
      if (rest.gt(0)) {
        book.sign = sign;
        book.lots.push({ qty: rest, cost: restCash, ms: f.ms });
        book.trip = { openMs: f.ms, pnl: new Decimal(0) };
      }
    }
  }
  const open = new Map<string, OpenHolding>();
  for (const [symbol, book] of books) {
    if (book.sign === 0) continue;
    let qty = new Decimal(0);
    let cost = new Decimal(0);
    for (const l of book.lots) {
      qty = qty.plus(l.qty);
      cost = cost.plus(l.cost);
    }
    open.set(symbol, {
      symbol,
      qty: qty.times(book.sign),
      cost: cost.times(book.sign),
      lots: book.lots.length,
    });
  }
  return { closed, roundTrips, open };
}

/** Win rate and the average win and loss of round trips (a trip at exactly 0 is no win). */
export function tripStats(trips: { pnl: Decimal }[]) {
  const wins = trips.filter((t) => t.pnl.gt(0));
  const losses = trips.filter((t) => t.pnl.lt(0));
  const avg = (xs: { pnl: Decimal }[]) =>
    xs.length === 0
      ? null
      : xs.reduce((s, t) => s.plus(t.pnl), new Decimal(0)).div(xs.length).toNumber();
  return {
    count: trips.length,
    wins: wins.length,
    losses: losses.length,
    winRate: trips.length === 0 ? null : wins.length / trips.length,
    avgWin: avg(wins),
    avgLoss: avg(losses),
  };
}
