import { deepEqual, equal } from "node:assert/strict";
import {
  decimalString,
  toAccount,
  toOrderBody,
  toOrderStatus,
  toPortfolioHistory,
  toPosition,
  toReplaceBody,
} from "./map.ts";
import { accountSchema, portfolioHistorySchema, positionSchema } from "./schemas.ts";
import { ACCOUNT, POSITION } from "./testdata.ts";

Deno.test("account: day P&L is equity less last equity; realized P&L unknown", () => {
  const now = new Date("2024-06-20T15:00:00Z");
  const a = toAccount(accountSchema.parse(ACCOUNT), 41.9, now);
  equal(a.source, "alpaca");
  equal(a.prices, "alpaca");
  equal(a.cash, 98750.12);
  equal(a.equity, 101204.55);
  equal(a.dayPl, 333.53);
  equal(a.dayPlPercent, (101204.55 - 100871.02) / 100871.02);
  equal(a.realizedPl, null);
  equal(a.unrealizedPl, 41.9);
  equal(a.timestamp, now.toISOString());
});

Deno.test("position: numbers, alpaca prices, shorts signed", () => {
  const p = toPosition(positionSchema.parse(POSITION));
  equal(p.qty, 10);
  equal(p.costBasis, 5481.2);
  equal(p.marketValue, 5523.1);
  equal(p.dayPl, 18.4);
  equal(p.prices, "alpaca");
  equal(p.source, "alpaca");
  const s = toPosition(positionSchema.parse({
    ...POSITION,
    side: "short",
    qty: "-10",
    cost_basis: "-5481.20",
    market_value: "-5523.10",
  }));
  equal(s.qty, -10);
  equal(s.costBasis, -5481.2);
  equal(s.side, "short");
});

Deno.test("order status: Alpaca's extra states fold onto the seam's", () => {
  const st = (status: string, filled_qty = "0") => toOrderStatus({ status, filled_qty });
  equal(st("filled"), "filled");
  equal(st("pending_new"), "pending_new");
  equal(st("held"), "accepted");
  equal(st("done_for_day"), "new");
  equal(st("done_for_day", "3"), "partially_filled");
  equal(st("something_new"), "accepted");
});

Deno.test("order body: decimals as strings without float noise", () => {
  equal(decimalString(0.1 + 0.2), "0.3");
  equal(decimalString(1e-7), "0.0000001");
  equal(decimalString(120), "120");
  deepEqual(
    toOrderBody({
      symbol: "AAPL",
      side: "buy",
      type: "limit",
      timeInForce: "gtc",
      qty: 2,
      limitPrice: 100.1 + 0.2,
      clientOrderId: "mine",
    }, "row-id"),
    {
      symbol: "AAPL",
      side: "buy",
      type: "limit",
      time_in_force: "gtc",
      client_order_id: "row-id",
      qty: "2",
      limit_price: "100.3",
    },
  );
  deepEqual(toReplaceBody({ limitPrice: 99, trail: 1.5 }, "k"), {
    client_order_id: "k",
    limit_price: "99",
    trail: "1.5",
  });
});

Deno.test("portfolio history: epoch seconds to ISO, null equity skipped", () => {
  const h = toPortfolioHistory(
    "1D",
    portfolioHistorySchema.parse({
      timestamp: [1718890200, 1718891100, 1718892000],
      equity: [101011.32, null, 101204.55],
      profit_loss: [140.3, null, 333.53],
      profit_loss_pct: [0.00139, null, null],
      base_value: 100871.02,
      timeframe: "15Min",
    }),
  );
  equal(h.baseValue, 100871.02);
  deepEqual(h.points.map((p) => p.time), ["2024-06-20T13:30:00.000Z", "2024-06-20T14:00:00.000Z"]);
  equal(h.points[1].profitLoss, 333.53);
  equal(h.points[1].profitLossPercent, 101204.55 / 100871.02 - 1);
  equal(h.source, "alpaca");
});
