import assert from "node:assert/strict";
import {
  buildOrder,
  checkTicketSymbol,
  fieldForPath,
  parseAmount,
  type TicketForm,
} from "./ticket.ts";

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
  // Index aliases are indexes too, as the API sees them.
  assert.match((checkTicketSymbol("^GSPC") as { message: string }).message, /index/);
  assert.match((checkTicketSymbol("gspc") as { message: string }).message, /index/);
  assert.match((checkTicketSymbol("A1") as { message: string }).message, /1 to 5 letters/);
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

Deno.test("API validation paths land on ticket fields", () => {
  assert.equal(fieldForPath("notional"), "amount");
  assert.equal(fieldForPath("trailPercent"), "trail");
  assert.equal(fieldForPath("preview"), null);
});
