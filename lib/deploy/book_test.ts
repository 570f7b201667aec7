import assert from "node:assert/strict";
import { bookOf, type DeploymentFill, markBook } from "./book.ts";

const fill = (
  symbol: string,
  side: "buy" | "sell",
  filledQty: number,
  avgPrice: number | null,
  session = "2019-03-01",
): DeploymentFill => ({ symbol, side, filledQty, avgPrice, session });

Deno.test("book: buys at two prices average, a partial sale realizes against the average", () => {
  const b = bookOf(10_000, [
    fill("KO", "buy", 10, 40, "2019-03-01"),
    fill("KO", "buy", 10, 50, "2019-03-04"),
    fill("KO", "sell", 5, 60),
  ]);
  const h = b.holdings.get("KO")!;
  assert.deepEqual([h.qty, h.avgPrice, h.since], [15, 45, "2019-03-01"]);
  assert.equal(b.realized, 75); // (60 − 45) × 5
  assert.equal(b.cash, 10_000 - 400 - 500 + 300);
  const m = markBook(b, () => 44);
  assert.equal(m.marketValue, 660);
  assert.equal(m.unrealized, -15);
  assert.equal(m.equity, 9_400 + 660);
  // Capital + realized + unrealized is the equity: no money appears or vanishes.
  assert.equal(m.equity, 10_000 + b.realized + m.unrealized);
});

Deno.test("book: unfilled orders count for nothing; a round trip leaves cash only", () => {
  const b = bookOf(1_000, [
    fill("AAPL", "buy", 0, null),
    fill("KO", "buy", 4, 50),
    fill("KO", "sell", 4, 45),
  ]);
  assert.equal(b.holdings.size, 0);
  assert.equal(b.realized, -20);
  assert.equal(b.cash, 980);
  assert.equal(markBook(b, () => null).equity, 980);
});

Deno.test("book: a short gains when the price falls; a sale past flat flips the side", () => {
  const b = bookOf(5_000, [fill("XOM", "sell", 10, 80), fill("XOM", "buy", 4, 70)]);
  assert.equal(b.holdings.get("XOM")!.qty, -6);
  assert.equal(b.realized, 40);
  assert.equal(markBook(b, () => 75).unrealized, 30);
  const flip = bookOf(5_000, [fill("KO", "buy", 2, 10), fill("KO", "sell", 5, 12, "2019-04-01")]);
  const h = flip.holdings.get("KO")!;
  assert.deepEqual([h.qty, h.avgPrice, h.since], [-3, 12, "2019-04-01"]);
  assert.equal(flip.realized, 4);
  // A holding without a price is valued at its cost.
  assert.equal(markBook(flip, () => null).equity, flip.cash - 36);
});
