import { deepEqual, equal, ok } from "node:assert/strict";
import {
  accountSchema,
  activitiesSchema,
  type AlpacaOtherActivity,
  clockSchema,
  errorBodySchema,
  orderSchema,
  portfolioHistorySchema,
  positionSchema,
  readFillPage,
} from "./schemas.ts";

import { ACCOUNT, FILL, MLEG_ORDER, OPTION_EXERCISE, ORDER, POSITION } from "./testdata.ts";

Deno.test("account: decimals stay strings, unknown fields are dropped", () => {
  const a = accountSchema.parse(ACCOUNT);
  equal(a.cash, "98750.12");
  equal(a.daytrade_count, 0);
  ok(!("admin_configurations" in a));
});

Deno.test("account: the fields removed in 2026 may be absent", () => {
  const {
    daytrade_count: _a,
    pattern_day_trader: _b,
    daytrading_buying_power: _c,
    ...rest
  } = ACCOUNT;
  const a = accountSchema.parse(rest);
  equal(a.daytrade_count, undefined);
  equal(a.equity, "101204.55");
});

Deno.test("account: a missing required decimal is refused", () => {
  const { equity: _e, ...rest } = ACCOUNT;
  equal(accountSchema.safeParse(rest).success, false);
  equal(accountSchema.safeParse({ ...ACCOUNT, cash: "lots" }).success, false);
});

Deno.test("order: nulls present, empty order_class means simple", () => {
  const o = orderSchema.parse(ORDER);
  equal(o.order_class, "simple");
  equal(o.filled_avg_price, null);
  equal(o.notional, null);
  equal(o.qty, "10");
  equal(o.limit_price, "550");
  ok(!("subtag" in o));
});

Deno.test("order: fields that some responses omit default to null", () => {
  const { hwm: _h, trail_price: _t, failed_at: _f, ...rest } = ORDER;
  const o = orderSchema.parse(rest);
  equal(o.hwm, null);
  equal(o.trail_price, null);
  equal(o.failed_at, null);
});

Deno.test("order: filled_qty is required", () => {
  const { filled_qty: _q, ...rest } = ORDER;
  equal(orderSchema.safeParse(rest).success, false);
});

Deno.test("position parses, including a short", () => {
  const p = positionSchema.parse(POSITION);
  equal(p.unrealized_plpc, "0.0076443");
  const s = positionSchema.parse({
    ...POSITION,
    side: "short",
    qty: "-10",
    market_value: "-5523.1",
  });
  equal(s.qty, "-10");
  equal(positionSchema.safeParse({ ...POSITION, side: "sideways" }).success, false);
});

Deno.test("activities: FILL and non-trade activities mix in one list", () => {
  const list = activitiesSchema.parse([
    FILL,
    {
      id: "20240615000000000::5f596936-6f23-4cef-bdf1-3806aae57dbf",
      activity_type: "DIV",
      activity_sub_type: "CDIV",
      date: "2024-06-15",
      net_amount: "12.44",
      symbol: "SPY",
      qty: "10",
      per_share_amount: "1.244",
      status: "executed",
      description: "",
    },
  ]);
  equal(list.length, 2);
  equal(list[0].activity_type, "FILL");
  equal((list[0] as { price?: string }).price, "549.98");
  equal(list[1].activity_type, "DIV");
});

Deno.test("activities: a FILL without its price is refused, not read as another kind", () => {
  const r = activitiesSchema.safeParse([{
    id: "x",
    activity_type: "FILL",
    transaction_time: "2024-06-20T14:31:25.034Z",
    type: "fill",
    qty: "1",
    side: "buy",
    symbol: "SPY",
    order_id: "o",
  }]);
  equal(r.success, false);
});

Deno.test("portfolio history: numbers, nulls allowed, arrays must line up", () => {
  const h = portfolioHistorySchema.parse({
    timestamp: [1718890200, 1718891100, 1718892000],
    equity: [101011.32, null, 101204.55],
    profit_loss: [140.3, null, 333.53],
    profit_loss_pct: [0.00139, null, 0.00331],
    base_value: 100871.02,
    base_value_asof: "2024-06-18",
    timeframe: "15Min",
    cashflow: {},
  });
  deepEqual(h.equity, [101011.32, null, 101204.55]);
  equal(
    portfolioHistorySchema.safeParse({
      timestamp: [1, 2],
      equity: [1],
      profit_loss: [0, 0],
      profit_loss_pct: [0, 0],
      base_value: 1,
      timeframe: "1D",
    }).success,
    false,
  );
});

Deno.test("clock and error bodies", () => {
  const c = clockSchema.parse({
    timestamp: "2024-06-20T10:15:02.123456789-04:00",
    is_open: true,
    next_open: "2024-06-21T09:30:00-04:00",
    next_close: "2024-06-20T16:00:00-04:00",
  });
  equal(c.is_open, true);
  const e = errorBodySchema.parse({
    code: 40310000,
    message: "insufficient buying power",
    buying_power: "10.00",
  });
  equal(e.buying_power, "10.00");
  equal(errorBodySchema.parse({ message: "unauthorized" }).code, undefined);
});

Deno.test("activities page: an unreadable entry is set aside, the FILLs around it are kept", () => {
  const fill = (id: string) => ({ ...FILL, id });
  const page = [
    fill("a1"),
    { ...fill("a2"), price: undefined }, // a FILL without its price
    { id: "a3", activity_type: "DIV", net_amount: "1.00" },
    fill("a4"),
  ];
  const { fills, unreadable } = readFillPage(page);
  deepEqual(fills.map((f) => f.id), ["a1", "a4"]);
  equal(unreadable.length, 1);
  equal(unreadable[0].id, "a2");
  ok(unreadable[0].error.includes("price"), unreadable[0].error);
});

Deno.test("account: the options level and options buying power are read when present", () => {
  const a = accountSchema.parse({ ...ACCOUNT, options_buying_power: "98750.12" });
  equal(a.options_trading_level, 2);
  equal(a.options_buying_power, "98750.12");
  equal(
    accountSchema.parse({ ...ACCOUNT, options_trading_level: undefined }).options_trading_level,
    undefined,
  );
  equal(accountSchema.safeParse({ ...ACCOUNT, options_trading_level: "2" }).success, false);
});

Deno.test("order: an mleg order keeps its legs, each with its ratio and intent", () => {
  const o = orderSchema.parse(MLEG_ORDER);
  equal(o.order_class, "mleg");
  equal(o.symbol, "");
  equal(o.position_intent, null);
  equal(o.limit_price, "-1.2");
  equal(o.legs?.length, 2);
  deepEqual(o.legs?.map((l) => [l.symbol, l.side, l.ratio_qty, l.position_intent]), [
    ["AAPL240621P00200000", "sell", "1", "sell_to_open"],
    ["AAPL240621P00190000", "buy", "1", "buy_to_open"],
  ]);
  // A simple order has no legs and no ratio.
  const simple = orderSchema.parse(ORDER);
  equal(simple.legs, null);
  equal(simple.ratio_qty, null);
  equal(simple.position_intent, "buy_to_open");
  const { position_intent: _p, ...noIntent } = ORDER;
  equal(orderSchema.parse(noIntent).position_intent, null);
  // A leg that does not read as an order sinks the whole answer: its fill would be unknown.
  const broken = { ...MLEG_ORDER, legs: [{ ...MLEG_ORDER.legs[0], filled_qty: undefined }] };
  equal(orderSchema.safeParse(broken).success, false);
});

Deno.test("activities: option events carry their signed quantity and the trade its price", () => {
  const [exercise, trade] = activitiesSchema.parse(OPTION_EXERCISE);
  equal(exercise.activity_type, "OPEXC");
  equal((exercise as AlpacaOtherActivity).qty, "-2");
  equal((trade as AlpacaOtherActivity).price, "190");
  equal((trade as AlpacaOtherActivity).net_amount, "-38000");
});
