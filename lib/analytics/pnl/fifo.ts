/**
 * Round trips from fills, lots matched first in, first out. A fill against the position closes
 * the oldest open lots first; the part of a fill beyond the position opens a lot on the other
 * side. A round trip runs from flat to flat (or to the fill that flips the position): its P&L is
 * what its closes realized.
 *
 * Money is whole cents and quantities whole hundred-millionths of a share (the ledger's eight
 * places), held in plain numbers: exact for any account this app can hold, and fast for tens of
 * thousands of fills. When a fill closes part of a lot (or a lot is closed by part of a fill),
 * the part's cash is rounded to the cent and the rest keeps the remainder, so the parts always
 * add up to exactly what moved: a symbol traded from flat back to flat realizes exactly
 * Σ sells' notional − Σ buys' notional.
 *
 * The paper ledger books realized P&L at average cost; FIFO gives the same total for each
 * round trip but splits it differently between partial closes and what is still open.
 *
 * @module
 */

export interface FillIn {
  ms: number;
  symbol: string;
  side: "buy" | "sell";
  /** Shares, > 0, at most eight decimal places. */
  qty: number | string;
  /** Cash the fill moved, USD ≥ 0, in cents. */
  notional: number | string;
}

/** A piece of an open lot closed by a later fill. */
export interface ClosedLot {
  symbol: string;
  side: "long" | "short";
  openMs: number;
  closeMs: number;
  qty: number;
  /** Realized P&L in cents. */
  pnlCents: number;
}

export interface RoundTrip {
  symbol: string;
  side: "long" | "short";
  openMs: number;
  closeMs: number;
  pnlCents: number;
}

/** What is still open in a symbol: signed shares and signed cost (short: what it raised, < 0). */
export interface OpenHolding {
  symbol: string;
  qty: number;
  costCents: number;
  lots: number;
}

export interface FifoResult {
  closed: ClosedLot[];
  roundTrips: RoundTrip[];
  open: Map<string, OpenHolding>;
}

const UNITS = 1e8;

interface Lot {
  /** Hundred-millionths of a share. */
  units: number;
  cents: number;
  ms: number;
}

interface Book {
  /** +1 long, −1 short, 0 flat. */
  sign: number;
  lots: Lot[];
  head: number;
  trip: { openMs: number; cents: number } | null;
}

/** Matches `fills` (any order: they are sorted by time, ties kept in input order). */
export function matchFifo(fills: FillIn[]): FifoResult {
  const sorted = fills.map((f, i) => ({ f, i })).sort((a, b) => a.f.ms - b.f.ms || a.i - b.i);
  const books = new Map<string, Book>();
  const closed: ClosedLot[] = [];
  const roundTrips: RoundTrip[] = [];
  for (const { f } of sorted) {
    const units = Math.round(Number(f.qty) * UNITS);
    const cents = Math.round(Number(f.notional) * 100);
    if (!(units > 0)) throw new RangeError("fill quantity must be positive");
    if (!(cents >= 0)) throw new RangeError("fill notional must be a non-negative amount");
    let book = books.get(f.symbol);
    if (!book) books.set(f.symbol, book = { sign: 0, lots: [], head: 0, trip: null });
    const sign = f.side === "buy" ? 1 : -1;
    if (book.sign === 0 || book.sign === sign) {
      book.sign = sign;
      book.lots.push({ units, cents, ms: f.ms });
      book.trip ??= { openMs: f.ms, cents: 0 };
      continue;
    }
    let rest = units;
    let restCash = cents;
    while (rest > 0 && book.head < book.lots.length) {
      const lot = book.lots[book.head];
      const m = Math.min(rest, lot.units);
      const cash = m === rest ? restCash : Math.round(restCash * (m / rest));
      const cost = m === lot.units ? lot.cents : Math.round(lot.cents * (m / lot.units));
      const pnl = book.sign > 0 ? cash - cost : cost - cash;
      closed.push({
        symbol: f.symbol,
        side: book.sign > 0 ? "long" : "short",
        openMs: lot.ms,
        closeMs: f.ms,
        qty: m / UNITS,
        pnlCents: pnl,
      });
      book.trip!.cents += pnl;
      rest -= m;
      restCash -= cash;
      lot.units -= m;
      lot.cents -= cost;
      if (lot.units === 0) book.head++;
    }
    if (book.head === book.lots.length) {
      roundTrips.push({
        symbol: f.symbol,
        side: book.sign > 0 ? "long" : "short",
        openMs: book.trip!.openMs,
        closeMs: f.ms,
        pnlCents: book.trip!.cents,
      });
      book.lots = [];
      book.head = 0;
      book.trip = null;
      book.sign = 0;
      if (rest > 0) {
        book.sign = sign;
        book.lots.push({ units: rest, cents: restCash, ms: f.ms });
        book.trip = { openMs: f.ms, cents: 0 };
      }
    }
  }
  const open = new Map<string, OpenHolding>();
  for (const [symbol, book] of books) {
    if (book.sign === 0) continue;
    let units = 0;
    let cents = 0;
    for (let i = book.head; i < book.lots.length; i++) {
      units += book.lots[i].units;
      cents += book.lots[i].cents;
    }
    open.set(symbol, {
      symbol,
      qty: (book.sign * units) / UNITS,
      costCents: book.sign * cents,
      lots: book.lots.length - book.head,
    });
  }
  return { closed, roundTrips, open };
}

/** Win rate and the average win and loss (USD) of round trips; a trip at exactly 0 is no win. */
export function tripStats(trips: { pnlCents: number }[]) {
  const wins = trips.filter((t) => t.pnlCents > 0);
  const losses = trips.filter((t) => t.pnlCents < 0);
  const avg = (xs: { pnlCents: number }[]) =>
    xs.length === 0 ? null : Math.round(xs.reduce((s, t) => s + t.pnlCents, 0) / xs.length) / 100;
  return {
    count: trips.length,
    wins: wins.length,
    losses: losses.length,
    winRate: trips.length === 0 ? null : wins.length / trips.length,
    avgWin: avg(wins),
    avgLoss: avg(losses),
  };
}
