import { deepEqual, equal } from "node:assert/strict";
import { initialTicketForm, type TicketForm } from "./ticket.ts";
import {
  applyTemplate,
  describeTemplate,
  type OrderTemplate,
  templateFromTicket,
} from "./order_template.ts";

const form: TicketForm = {
  symbol: "AAPL",
  side: "buy",
  amountMode: "shares",
  amount: "10",
  type: "limit",
  timeInForce: "gtc",
  limitPrice: "150.25",
  stopPrice: "",
  trailMode: "percent",
  trail: "",
};

const template: OrderTemplate = {
  id: 1,
  name: "t",
  symbol: null,
  side: "sell",
  type: "trailing_stop",
  timeInForce: "day",
  qty: 25,
  notional: null,
  trailPrice: null,
  trailPercent: 3,
  createdAt: "",
  updatedAt: "",
};

Deno.test("saving the ticket: no prices, the symbol only when asked, a blank size saves none", () => {
  deepEqual(templateFromTicket(form, { name: " Swing ", includeSymbol: false }), {
    ok: true,
    body: { name: "Swing", side: "buy", type: "limit", timeInForce: "gtc", qty: 10 },
  });
  deepEqual(templateFromTicket({ ...form, amount: "" }, { name: "a", includeSymbol: true }), {
    ok: true,
    body: { name: "a", symbol: "AAPL", side: "buy", type: "limit", timeInForce: "gtc" },
  });
  const dollars = templateFromTicket(
    { ...form, type: "market", timeInForce: "day", amountMode: "dollars", amount: "500.50" },
    { name: "d", includeSymbol: false },
  );
  deepEqual(dollars.ok && dollars.body.notional, 500.5);
  const trail = templateFromTicket(
    { ...form, type: "trailing_stop", trail: "2.5", trailMode: "percent" },
    { name: "tr", includeSymbol: false },
  );
  deepEqual(trail.ok && [trail.body.trailPercent, trail.body.trailPrice], [2.5, undefined]);
  equal(templateFromTicket(form, { name: "  ", includeSymbol: false }).ok, false);
  equal(
    templateFromTicket({ ...form, amount: "1.5" }, { name: "x", includeSymbol: false }).ok,
    false,
  );
  equal(
    templateFromTicket({ ...form, symbol: "" }, { name: "x", includeSymbol: true }).ok,
    false,
  );
  equal(
    templateFromTicket({ ...form, type: "trailing_stop", trail: "60" }, {
      name: "x",
      includeSymbol: false,
    }).ok,
    false,
  );
});

Deno.test("applying: order shape always, size and trail when kept, prices never", () => {
  deepEqual(applyTemplate(form, template), {
    ...form,
    side: "sell",
    type: "trailing_stop",
    timeInForce: "day",
    amount: "25",
    limitPrice: "",
    trailMode: "percent",
    trail: "3",
  });
  const other = applyTemplate(form, { ...template, symbol: "MSFT", type: "limit" });
  deepEqual([other.symbol, other.limitPrice, other.stopPrice], ["MSFT", "", ""]);
  // The same symbol, the same type: the typed level still goes, the ticket asks for it anew.
  const same = applyTemplate({ ...form, stopPrice: "149" }, {
    ...template,
    symbol: "AAPL",
    type: "limit",
  });
  deepEqual([same.limitPrice, same.stopPrice], ["", ""]);
  // No size in the template: what was typed stays.
  const sizeless = applyTemplate(form, { ...template, qty: null, trailPercent: null });
  deepEqual([sizeless.amountMode, sizeless.amount, sizeless.trail], ["shares", "10", ""]);
  const dollars = applyTemplate(form, { ...template, type: "market", qty: null, notional: 250 });
  deepEqual([dollars.amountMode, dollars.amount], ["dollars", "250"]);
  const usdTrail = applyTemplate(form, { ...template, trailPercent: null, trailPrice: 1.5 });
  deepEqual([usdTrail.trailMode, usdTrail.trail], ["price", "1.5"]);
});

Deno.test("a template in one line", () => {
  equal(describeTemplate(template), "Sell 25 sh · Trailing stop · trail 3 % · Day");
  equal(
    describeTemplate({
      ...template,
      symbol: "KO",
      type: "market",
      notional: 500,
      qty: null,
      trailPercent: null,
    }),
    "Sell $500 KO · Market · Day",
  );
});

Deno.test("the page opens the ticket from a template over the user's defaults", () => {
  const opened = applyTemplate(
    initialTicketForm({ qty: "5", type: "limit", timeInForce: "gtc" }),
    {
      ...template,
      symbol: "KO",
      type: "market",
      timeInForce: "day",
      qty: null,
      notional: 300,
      trailPercent: null,
    },
  );
  deepEqual(opened, {
    symbol: "KO",
    side: "sell",
    amountMode: "dollars",
    amount: "300",
    type: "market",
    timeInForce: "day",
    limitPrice: "",
    stopPrice: "",
    trailMode: "percent",
    trail: "",
  });
});
