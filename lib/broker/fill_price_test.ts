import assert from "node:assert/strict";
import { commissionFor, paperBook, paperFillPrice, slipped } from "./fill_price.ts";
import { evaluate, type WorkingOrder } from "./paper/triggers.ts";
import { barOf, History } from "../market/replay/history.ts";
import { seedOf, simulateDay, spreadAt } from "../market/replay/intraday.ts";

const market = (side: "buy" | "sell"): WorkingOrder => ({
  side,
  type: "market",
  limitPrice: null,
  stopPrice: null,
  trailPrice: null,
  trailPercent: null,
  hwm: null,
  triggered: false,
});

Deno.test("the backtest's open fill is the paper broker's market fill at the session's first quote", async () => {
  const history = new History();
  for (const symbol of ["AAPL", "KO", "ETSY"]) {
    const s = await history.series(symbol);
    for (const row of [1, 500, 1500, s.dates.length - 1]) {
      const bar = barOf(s, row);
      const day = simulateDay(symbol, bar);
      // The replay's first traded price of the session is the real open.
      assert.equal(day.prices[0], bar.open);
      const book = spreadAt(bar, seedOf(symbol, bar.date), 0, day.prices[0]);
      for (const side of ["buy", "sell"] as const) {
        const broker = evaluate(market(side), { ...book, last: day.prices[0] }, true).fill;
        assert.equal(paperFillPrice(side, symbol, bar, bar.open), broker, `${symbol} ${bar.date}`);
      }
      const q = paperBook(symbol, bar, bar.open);
      assert.ok(q.bid! < q.ask! && q.bid! <= bar.open && bar.open <= q.ask!);
    }
  }
});

Deno.test("commissions: per share with a minimum, or a percent; slippage moves against the trade", () => {
  const perShare = { type: "per_share", perShare: 0.005, minimum: 1 } as const;
  assert.equal(commissionFor(perShare, 100, 50), 1);
  assert.equal(commissionFor(perShare, 1000, 50), 5);
  assert.equal(commissionFor({ type: "percent", percent: 0.1 }, 100, 50), 5);
  assert.equal(commissionFor({ type: "none" }, 100, 50), 0);
  assert.equal(commissionFor(perShare, 0, 50), 0);
  assert.equal(slipped("buy", 100, 10), 100.1);
  assert.equal(slipped("sell", 100, 10), 99.9);
});
