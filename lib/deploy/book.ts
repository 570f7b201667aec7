/**
 * A deployment's own book, worked out from the fills of the orders its proposals produced (the
 * broker is the source of truth; a deployment keeps no positions of its own): shares per symbol
 * at their average cost, the cash left of its allocation, realized P&L, and its value at a close.
 * Pure, so the evaluation, the API and the tests read one set of numbers.
 *
 * @module
 */

/** One order of the deployment, as far as it has filled. */
export interface DeploymentFill {
  symbol: string;
  side: "buy" | "sell";
  /** Shares filled so far (0 for an order that has not filled). */
  filledQty: number;
  /** Their average price, USD; null when nothing filled. */
  avgPrice: number | null;
  /** The market date the order was for (the session after the signal). */
  session: string | null;
}

export interface Holding {
  symbol: string;
  /** Signed shares: negative is short. */
  qty: number;
  avgPrice: number;
  /** The market date of the fill that opened it. */
  since: string | null;
}

export interface Book {
  capital: number;
  cash: number;
  realized: number;
  holdings: Map<string, Holding>;
}

const EPS = 1e-9;

/** Replays fills in order against the allocation. */
export function bookOf(capital: number, fills: DeploymentFill[]): Book {
  const holdings = new Map<string, Holding>();
  let cash = capital;
  let realized = 0;
  for (const f of fills) {
    if (!(f.filledQty > 0) || f.avgPrice === null) continue;
    const delta = f.side === "buy" ? f.filledQty : -f.filledQty;
    cash -= delta * f.avgPrice;
    const h = holdings.get(f.symbol);
    if (!h || h.qty === 0) {
      holdings.set(f.symbol, {
        symbol: f.symbol,
        qty: delta,
        avgPrice: f.avgPrice,
        since: f.session,
      });
      continue;
    }
    if (Math.sign(h.qty) === Math.sign(delta)) {
      h.avgPrice = (h.avgPrice * Math.abs(h.qty) + f.avgPrice * f.filledQty) /
        Math.abs(h.qty + delta);
      h.qty += delta;
      continue;
    }
    const closing = Math.min(Math.abs(delta), Math.abs(h.qty));
    realized += (f.avgPrice - h.avgPrice) * closing * Math.sign(h.qty);
    const after = h.qty + delta;
    if (Math.abs(after) < EPS) holdings.delete(f.symbol);
    else if (Math.sign(after) === Math.sign(h.qty)) h.qty = after;
    else {holdings.set(f.symbol, {
        symbol: f.symbol,
        qty: after,
        avgPrice: f.avgPrice,
        since: f.session,
      });}
  }
  return { capital, cash: round2(cash), realized: round2(realized), holdings };
}

/** Cash plus every holding at `prices` (a holding without a price counts at its cost). */
export function markBook(book: Book, prices: (symbol: string) => number | null): {
  equity: number;
  unrealized: number;
  marketValue: number;
} {
  let marketValue = 0;
  let unrealized = 0;
  for (const h of book.holdings.values()) {
    const px = prices(h.symbol) ?? h.avgPrice;
    marketValue += h.qty * px;
    unrealized += (px - h.avgPrice) * h.qty;
  }
  return {
    equity: round2(book.cash + marketValue),
    unrealized: round2(unrealized),
    marketValue: round2(marketValue),
  };
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
