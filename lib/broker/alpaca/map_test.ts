import { deepEqual, equal, ok } from "node:assert/strict";
import type { OrderRequest } from "../types.ts";
import {
  decimalString,
  filledAvgPriceOf,
  isOptionRequest,
  optionOrderProblem,
  toAccount,
  toLegFills,
  toOptionFields,
  toOrderBody,
  toOrderStatus,
  toPortfolioHistory,
  toPosition,
  toReplaceBody,
} from "./map.ts";
import { accountSchema, orderSchema, portfolioHistorySchema, positionSchema } from "./schemas.ts";
import { ACCOUNT, MLEG_ORDER, OPTION_POSITION, ORDER, POSITION } from "./testdata.ts";

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

const C190 = "AAPL240621C00190000";
const P200 = "AAPL240621P00200000";
const P190 = "AAPL240621P00190000";
const single: OrderRequest = {
  symbol: C190,
  side: "buy",
  type: "limit",
  timeInForce: "day",
  qty: 2,
  limitPrice: 5.2,
  positionIntent: "buy_to_open",
  clientOrderId: "mine",
};
const spread: OrderRequest = {
  symbol: "AAPL",
  side: "sell",
  type: "limit",
  timeInForce: "day",
  qty: 2,
  limitPrice: 1.2,
  orderClass: "mleg",
  legs: [
    { symbol: P200, side: "sell", ratioQty: 1, positionIntent: "sell_to_open" },
    { symbol: P190, side: "buy", ratioQty: 1, positionIntent: "buy_to_open" },
  ],
  clientOrderId: "mine",
};

Deno.test("option order body: the OCC symbol in whole contracts with its position intent", () => {
  deepEqual(toOrderBody(single, "row-id"), {
    symbol: C190,
    side: "buy",
    type: "limit",
    time_in_force: "day",
    client_order_id: "row-id",
    qty: "2",
    limit_price: "5.2",
    position_intent: "buy_to_open",
  });
});

Deno.test("mleg body: legs with ratio_qty, no symbol or side, the credit as a negative limit", () => {
  deepEqual(toOrderBody(spread, "row-id"), {
    order_class: "mleg",
    type: "limit",
    time_in_force: "day",
    client_order_id: "row-id",
    qty: "2",
    legs: [
      { symbol: P200, ratio_qty: "1", side: "sell", position_intent: "sell_to_open" },
      { symbol: P190, ratio_qty: "1", side: "buy", position_intent: "buy_to_open" },
    ],
    limit_price: "-1.2",
  });
  equal(toOrderBody({ ...spread, side: "buy" }, "k").limit_price, "1.2");
  const market = toOrderBody({ ...spread, type: "market", limitPrice: undefined }, "k");
  equal("limit_price" in market, false);
});

Deno.test("option refusals before sending: gtc, stop, fractions, missing intent, bad legs", () => {
  equal(optionOrderProblem(single), null);
  equal(optionOrderProblem(spread), null);
  equal(optionOrderProblem({ ...single, symbol: "AAPL", timeInForce: "gtc" }), null);
  ok(/day only/.test(optionOrderProblem({ ...single, timeInForce: "gtc" })!));
  ok(/day only/.test(optionOrderProblem({ ...spread, timeInForce: "gtc" })!));
  ok(/market or limit/.test(optionOrderProblem({ ...single, type: "stop", stopPrice: 4 })!));
  ok(/whole contracts/.test(optionOrderProblem({ ...single, qty: 1.5 })!));
  ok(/dollar amount/.test(optionOrderProblem({ ...single, qty: undefined, notional: 500 })!));
  ok(/position intent/.test(optionOrderProblem({ ...single, positionIntent: undefined })!));
  const legs = spread.legs!;
  ok(/2 to 4 legs/.test(optionOrderProblem({ ...spread, legs: [legs[0]] })!));
  ok(/2 to 4 legs/.test(optionOrderProblem({ ...spread, legs: [...legs, ...legs, legs[0]] })!));
  ok(
    /Leg 2: AAPL is not an option/.test(
      optionOrderProblem({ ...spread, legs: [legs[0], { ...legs[1], symbol: "AAPL" }] })!,
    ),
  );
  ok(
    /Leg 1: the ratio/.test(
      optionOrderProblem({ ...spread, legs: [{ ...legs[0], ratioQty: 0.5 }, legs[1]] })!,
    ),
  );
  equal(isOptionRequest({ symbol: "AAPL" }), false);
  equal(isOptionRequest({ symbol: C190 }), true);
  equal(isOptionRequest({ symbol: "AAPL", orderClass: "mleg" }), true);
});

Deno.test("option position: the contract from its OCC symbol, USD figures as Alpaca gives them", () => {
  const p = toPosition(positionSchema.parse(OPTION_POSITION));
  equal(p.assetClass, "us_option");
  deepEqual(p.option, {
    underlying: "AAPL",
    expiration: "2024-06-21",
    type: "call",
    strike: 190,
    multiplier: 100,
  });
  equal(p.qty, 2);
  equal(p.avgEntryPrice, 5.2);
  equal(p.costBasis, 1040);
  equal(p.marketValue, 1020);
  equal(p.currentPrice, 5.1);
  const stock = toPosition(positionSchema.parse(POSITION));
  equal(stock.assetClass, undefined);
  equal(stock.option, undefined);
});

Deno.test("option order fields: class, intent, and an mleg's legs with their fills", () => {
  const mleg = orderSchema.parse(MLEG_ORDER);
  deepEqual(toOptionFields(mleg), {
    assetClass: "us_option",
    orderClass: "mleg",
    positionIntent: null,
  });
  deepEqual(toLegFills(mleg), [
    {
      brokerOrderId: MLEG_ORDER.legs[0].id,
      symbol: P200,
      side: "sell",
      ratioQty: 1,
      filledQty: 2,
      filledAvgPrice: 3.1,
    },
    {
      brokerOrderId: MLEG_ORDER.legs[1].id,
      symbol: P190,
      side: "buy",
      ratioQty: 1,
      filledQty: 2,
      filledAvgPrice: 1.85,
    },
  ]);
  // Our row keeps the net price without Alpaca's sign: the side says it was a credit.
  equal(filledAvgPriceOf(mleg), "1.25");
  const stock = orderSchema.parse(ORDER);
  deepEqual(toOptionFields(stock), {
    assetClass: "us_equity",
    orderClass: "simple",
    positionIntent: "buy_to_open",
  });
  equal(toLegFills(stock), null);
  equal(filledAvgPriceOf({ ...stock, filled_avg_price: "-1" }), "-1");
  const call = orderSchema.parse({ ...ORDER, symbol: C190, asset_class: "us_option" });
  equal(toOptionFields(call).assetClass, "us_option");
});
