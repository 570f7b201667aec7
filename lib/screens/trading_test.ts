import assert from "node:assert/strict";
import type { Account, CheckResult, Order, Position } from "../broker/types.ts";
import {
  buildOrder,
  cancelable,
  checkTicketSymbol,
  checkVerdict,
  closeQuestion,
  excessText,
  fieldForPath,
  formatShares,
  formatSignedPercent,
  formatSignedUsd,
  formatUsd,
  isRefused,
  liveAccount,
  parseAmount,
  placedMessage,
  readOrders,
  readPlaced,
  readPositions,
  readPreview,
  readProblem,
  remark,
  sharesWithUnit,
  startOfMarketDay,
  type TicketForm,
  tone,
  totalsOf,
} from "./trading.ts";

Deno.test("money: dollars to the cent with a real minus; P&L always signed", () => {
  assert.equal(formatUsd(1234.5), "$1,234.50");
  assert.equal(formatUsd(-3), "−$3.00");
  assert.equal(formatUsd(-0.001), "$0.00");
  assert.equal(formatUsd(null), "—");
  assert.equal(formatSignedUsd(12.3), "+$12.30");
  assert.equal(formatSignedUsd(-4), "−$4.00");
  assert.equal(formatSignedUsd(0.004), "$0.00");
  assert.equal(formatSignedUsd(Number.NaN), "—");
});

Deno.test("percent from a fraction, signed; shares as typed with a unit", () => {
  assert.equal(formatSignedPercent(0.0123), "+1.23 %");
  assert.equal(formatSignedPercent(-0.5), "−50.00 %");
  assert.equal(formatSignedPercent(0), "0.00 %");
  assert.equal(formatSignedPercent(null), "—");
  assert.equal(formatShares(10), "10");
  assert.equal(formatShares(1234.5), "1,234.5");
  assert.equal(formatShares(0.12345678), "0.12345678");
  assert.equal(formatShares(-5), "−5");
  assert.equal(sharesWithUnit(1), "1 share");
  assert.equal(sharesWithUnit(2.5), "2.5 shares");
  assert.equal(tone(1), "gain");
  assert.equal(tone(-1), "loss");
  assert.equal(tone(0.001), "flat");
});

Deno.test("start of the market day is New York midnight, in winter and in summer", () => {
  // 2024-01-15 03:00 UTC is still the 14th in New York (EST, UTC−5).
  assert.equal(startOfMarketDay(new Date("2024-01-15T03:00:00Z")), "2024-01-14T05:00:00.000Z");
  assert.equal(startOfMarketDay(new Date("2024-01-15T18:00:00Z")), "2024-01-15T05:00:00.000Z");
  // July: EDT, UTC−4.
  assert.equal(startOfMarketDay(new Date("2024-07-04T12:00:00Z")), "2024-07-04T04:00:00.000Z");
  // The day clocks spring forward (10 Mar 2024): midnight was still EST.
  assert.equal(startOfMarketDay(new Date("2024-03-10T15:00:00Z")), "2024-03-10T05:00:00.000Z");
});

const base: TicketForm = {
  symbol: "aapl",
  side: "buy",
  amountMode: "shares",
  amount: "10",
  type: "market",
  timeInForce: "day",
  limitPrice: "",
  stopPrice: "",
  trailMode: "percent",
  trail: "",
};

Deno.test("the ticket builds a market order in shares, symbol upper-cased", () => {
  assert.deepEqual(buildOrder(base), {
    ok: true,
    body: { symbol: "AAPL", side: "buy", type: "market", timeInForce: "day", qty: 10 },
  });
  const dollars = buildOrder({ ...base, amountMode: "dollars", amount: "1,500.25" });
  assert.deepEqual(dollars.ok && dollars.body.notional, 1500.25);
  assert.equal(dollars.ok && dollars.body.qty, undefined);
});

Deno.test("dollar amounts and fractions need market + day, as the API says", () => {
  const r = buildOrder({
    ...base,
    amountMode: "dollars",
    amount: "500",
    type: "limit",
    limitPrice: "10",
  });
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.errors.amount! : "", /market orders with time in force Day/);
  const frac = buildOrder({ ...base, amount: "1.5", timeInForce: "gtc" });
  assert.match(!frac.ok ? frac.errors.amount! : "", /Whole shares only/);
  assert.equal(buildOrder({ ...base, amount: "1.5" }).ok, true);
  const cents = buildOrder({ ...base, amountMode: "dollars", amount: "10.001" });
  assert.match(!cents.ok ? cents.errors.amount! : "", /2 decimal/);
});

Deno.test("each order type asks for its prices, and only those", () => {
  const limit = buildOrder({ ...base, type: "limit" });
  assert.deepEqual(!limit.ok && Object.keys(limit.errors), ["limitPrice"]);
  const stopLimit = buildOrder({
    ...base,
    type: "stop_limit",
    limitPrice: "101",
    stopPrice: "100",
  });
  assert.deepEqual(stopLimit.ok && stopLimit.body, {
    symbol: "AAPL",
    side: "buy",
    type: "stop_limit",
    timeInForce: "day",
    qty: 10,
    limitPrice: 101,
    stopPrice: 100,
  });
  // A limit price typed earlier is not sent with a market order.
  const market = buildOrder({ ...base, limitPrice: "99" });
  assert.equal(market.ok && market.body.limitPrice, undefined);
  const trail = buildOrder({ ...base, side: "sell", type: "trailing_stop", trail: "2.5" });
  assert.equal(trail.ok && trail.body.trailPercent, 2.5);
  const trailUsd = buildOrder({ ...base, type: "trailing_stop", trailMode: "price", trail: "3" });
  assert.equal(trailUsd.ok && trailUsd.body.trailPrice, 3);
  const wide = buildOrder({ ...base, type: "trailing_stop", trail: "60" });
  assert.match(!wide.ok ? wide.errors.trail! : "", /50 %/);
});

Deno.test("bad symbols and amounts are caught with a reason", () => {
  assert.equal(checkTicketSymbol(" brk.b ").ok, true);
  assert.match((checkTicketSymbol("SPX") as { message: string }).message, /index/);
  assert.match((checkTicketSymbol("^GSPC") as { message: string }).message, /ticker|index/);
  assert.match((checkTicketSymbol("") as { message: string }).message, /Enter a symbol/);
  assert.equal(checkTicketSymbol("TOOLONG").ok, false);
  assert.equal(parseAmount("0", "x", 2).ok, false);
  assert.equal(parseAmount("-1", "x", 2).ok, false);
  assert.equal(parseAmount("1e3", "x", 2).ok, false);
  assert.equal(parseAmount("abc", "x", 2).ok, false);
  assert.deepEqual(parseAmount(".5", "x", 2), { ok: true, value: 0.5 });
  const r = buildOrder({ ...base, symbol: "", amount: "" });
  assert.deepEqual(!r.ok && Object.keys(r.errors).sort(), ["amount", "symbol"]);
});

Deno.test("API errors: validation paths land on ticket fields; refusals carry their checks", () => {
  assert.equal(fieldForPath("notional"), "amount");
  assert.equal(fieldForPath("trailPercent"), "trail");
  assert.equal(fieldForPath("preview"), null);
  const v = readProblem(400, {
    error: {
      code: "validation_failed",
      message: "The request is not valid.",
      details: [{ path: "qty", message: "Too big." }, { path: "limitPrice", message: "Needed." }],
    },
  });
  assert.deepEqual(v.fieldErrors, { amount: "Too big.", limitPrice: "Needed." });
  const check: CheckResult = {
    rule: "buying_power",
    ok: false,
    severity: "refuse",
    message: "Needs $5,000.00 but buying power is $1,000.00: $4,000.00 short.",
    excess: 4000,
    unit: "USD",
  };
  const refused = readProblem(422, {
    error: {
      code: "insufficient_buying_power",
      message: "Order refused: …",
      details: { checks: [check, { junk: true }] },
    },
  });
  assert.equal(refused.code, "insufficient_buying_power");
  assert.deepEqual(refused.checks, [check]);
  assert.equal(readProblem(0, null).message, "The server could not be reached.");
  assert.equal(readProblem(502, "<html>").message, "The request failed (HTTP 502).");
});

Deno.test("check verdicts: refusals block, warnings do not, and say by how much", () => {
  const refuse: CheckResult = {
    rule: "max_order_value",
    ok: false,
    severity: "refuse",
    message: "m",
    excess: 1234.5,
    unit: "USD",
  };
  const warn: CheckResult = { rule: "market_hours", ok: true, severity: "warn", message: "m" };
  const info: CheckResult = { rule: "quantity", ok: true, severity: "info", message: "m" };
  assert.deepEqual([refuse, warn, info].map(checkVerdict), ["refuse", "warn", "ok"]);
  assert.equal(isRefused([warn, info]), false);
  assert.equal(isRefused([warn, refuse]), true);
  assert.equal(excessText(refuse), "over by $1,234.50");
  assert.equal(excessText({ ...refuse, unit: "shares", excess: 5 }), "over by 5 shares");
  assert.equal(excessText({ ...refuse, unit: "%", excess: 2.5 }), "over by 2.50 percentage points");
  assert.equal(excessText(warn), "");
});

function order(over: Partial<Order> = {}): Order {
  return {
    id: "0b6e1c1e-8a4c-4b8e-9d5e-2f1a3c4d5e6f",
    clientOrderId: "k",
    symbol: "AAPL",
    side: "buy",
    type: "market",
    timeInForce: "day",
    qty: 10,
    notional: null,
    filledQty: 0,
    filledAvgPrice: null,
    limitPrice: null,
    stopPrice: null,
    trailPrice: null,
    trailPercent: null,
    hwm: null,
    status: "accepted",
    reason: null,
    createdAt: "2024-01-15T15:00:00.000Z",
    submittedAt: null,
    filledAt: null,
    canceledAt: null,
    expiredAt: null,
    expiresSession: null,
    replaces: null,
    replacedBy: null,
    source: "paper",
    prices: null,
    ...over,
  };
}

Deno.test("the result toast says what happened: filled, queued, resting, rejected", () => {
  assert.deepEqual(
    placedMessage(order({ status: "filled", filledQty: 10, filledAvgPrice: 190.12 })),
    { kind: "success", text: "Bought 10 AAPL at $190.12" },
  );
  assert.equal(placedMessage(order()).text, "Market order to buy 10 AAPL is queued for the open");
  assert.equal(
    placedMessage(order({ status: "new", type: "limit", side: "sell", limitPrice: 200 })).text,
    "Limit order to sell 10 AAPL (limit $200.00) is resting",
  );
  const rejected = placedMessage(order({ status: "rejected", reason: "No shares to sell." }));
  assert.equal(rejected.kind, "error");
  assert.match(rejected.text, /rejected: No shares to sell\.$/);
  assert.match(
    placedMessage(order({ status: "filled", filledQty: 10, filledAvgPrice: 1 }), true).text,
    /^Already placed: Bought/,
  );
  assert.equal(
    placedMessage(order({ qty: null, notional: 500, status: "accepted" })).text,
    "Market order to buy $500.00 of AAPL is queued for the open",
  );
  assert.equal(cancelable("new"), true);
  assert.equal(cancelable("filled"), false);
});

Deno.test("answers are read defensively: malformed bodies give null or are filtered", () => {
  const o = order();
  assert.deepEqual(readPlaced({ placed: true, duplicate: true, order: o }), {
    order: o,
    duplicate: true,
  });
  assert.equal(readPlaced({ placed: false, preview: {} }), null);
  assert.equal(readPlaced({ placed: true, order: { id: 1 } }), null);
  assert.deepEqual(readOrders({ orders: [o, { nope: 1 }] }), [o]);
  assert.equal(readOrders({ error: {} }), null);
  assert.equal(readPreview({ placed: false, preview: { symbol: "AAPL" } }), null);
  assert.equal(readPositions({ positions: "x" }), null);
  assert.deepEqual(readPositions({ positions: [], prices: "replay" }), {
    positions: [],
    prices: "replay",
  });
});

function position(over: Partial<Position> = {}): Position {
  return {
    symbol: "AAPL",
    qty: 10,
    side: "long",
    avgEntryPrice: 100,
    costBasis: 1000,
    marketValue: 1100,
    currentPrice: 110,
    lastdayPrice: 105,
    unrealizedPl: 100,
    unrealizedPlPercent: 0.1,
    changeToday: 110 / 105 - 1,
    dayPl: 50,
    realizedPl: null,
    source: "paper",
    prices: "replay",
    ...over,
  };
}

Deno.test("a live price re-marks a position: value, P&L and today's change", () => {
  const p = remark(position(), 120);
  assert.equal(p.currentPrice, 120);
  assert.equal(p.marketValue, 1200);
  assert.equal(p.unrealizedPl, 200);
  assert.equal(p.unrealizedPlPercent, 0.2);
  assert.equal(p.dayPl, 150);
  assert.ok(Math.abs(p.changeToday! - (120 / 105 - 1)) < 1e-12);
  // A short gains when the price falls.
  const s = remark(position({ qty: -10, side: "short", costBasis: -1000 }), 90);
  assert.equal(s.marketValue, -900);
  assert.equal(s.unrealizedPl, 100);
  assert.equal(s.unrealizedPlPercent, 0.1);
  // No price, no change.
  const held = position();
  assert.equal(remark(held, null), held);
  assert.equal(remark(held, 0), held);
});

Deno.test("totals and the live account follow the re-marked positions", () => {
  const served = [position(), position({ symbol: "MSFT", marketValue: null, unrealizedPl: null })];
  const t = totalsOf(served);
  assert.equal(t.marketValue, 2100); // MSFT without a mark counts at cost
  assert.equal(t.costBasis, 2000);
  assert.equal(t.unrealizedPl, 100);
  assert.equal(t.unrealizedPlPercent, 0.05);
  assert.equal(totalsOf([]).unrealizedPlPercent, null);
  const account = {
    cash: 5000,
    buyingPower: 5000,
    equity: 7100,
    dayPl: 50,
    unrealizedPl: 100,
  } as Account;
  const live = [remark(served[0], 120), served[1]];
  const a = liveAccount(account, served, live);
  assert.equal(a.equity, 7200);
  assert.equal(a.dayPl, 150);
  assert.equal(a.unrealizedPl, 200);
  assert.equal(a.cash, 5000);
});

Deno.test("the close dialog asks in words: sell a long, buy back a short", () => {
  assert.equal(closeQuestion(position()), "Sell 10 AAPL at market?");
  assert.equal(
    closeQuestion(position({ qty: -5, side: "short" })),
    "Buy 5 AAPL at market to cover the short?",
  );
});
