import { deepEqual, equal, ok } from "node:assert/strict";
import { assess, type CheckInput, replaceProblem } from "./checks.ts";

const input = (over: Partial<CheckInput> = {}): CheckInput => ({
  request: {
    symbol: "AAPL",
    side: "buy",
    type: "market",
    timeInForce: "day",
    qty: 10,
    clientOrderId: "k",
  },
  price: 100,
  last: 100,
  settings: {
    maxOrderValue: 25_000,
    maxPositionPercent: 10,
    dailyLossLimit: 5_000,
    allowShortSelling: false,
  },
  equity: 100_000,
  buyingPower: 100_000,
  positionQty: 0,
  dayPl: 0,
  marketOpen: true,
  ...over,
});

const rules = (a: ReturnType<typeof assess>) => a.refusals.map((c) => c.rule);

Deno.test("checks: a plain order passes every rule", () => {
  const a = assess(input());
  deepEqual(rules(a), []);
  equal(a.cost, 1000);
  equal(a.buyingPowerAfter, 99_000);
  equal(a.positionQtyAfter, 10);
  ok(a.increasesExposure);
});

Deno.test("checks: selling a long reduces exposure, so loss and size rules stand aside", () => {
  const a = assess(input({
    request: { ...input().request, side: "sell", qty: 10 },
    positionQty: 500, // 50 % of equity, over the 10 % limit, but this sells
    dayPl: -9_000,
  }));
  deepEqual(rules(a), []);
  equal(a.increasesExposure, false);
  ok(!a.checks.some((c) => c.rule === "daily_loss_limit"));
});

Deno.test("checks: the daily loss limit warns at 80 % and refuses at 100 %", () => {
  const warn = assess(input({ dayPl: -4_100 }));
  equal(warn.checks.find((c) => c.rule === "daily_loss_limit")?.severity, "warn");
  const stop = assess(input({ dayPl: -5_250 }));
  deepEqual(rules(stop), ["daily_loss_limit"]);
  equal(stop.refusals[0].excess, 250);
});

Deno.test("checks: a sell through zero is a short sale; allowed only when enabled", () => {
  const r = input({ request: { ...input().request, side: "sell", qty: 15 }, positionQty: 10 });
  const refused = assess(r);
  deepEqual(rules(refused), ["short_sale"]);
  equal(refused.refusals[0].excess, 5);
  const allowed = assess({ ...r, settings: { ...r.settings, allowShortSelling: true } });
  deepEqual(rules(allowed), []);
  // The new short side (5 shares) is what it commits.
  equal(allowed.buyingPowerAfter, 99_500);
});

Deno.test("checks: notional orders estimate shares; warnings for closed market and far prices", () => {
  const n = assess(input({ request: { ...input().request, qty: undefined, notional: 250 } }));
  equal(n.qty, 2.5);
  equal(n.cost, 250);
  const tiny = assess(input({ request: { ...input().request, qty: undefined, notional: 0.5 } }));
  deepEqual(rules(tiny), ["notional"]);
  const closed = assess(input({ marketOpen: false }));
  equal(closed.checks.find((c) => c.rule === "market_hours")?.severity, "warn");
  const far = assess(input({
    request: { ...input().request, type: "limit", limitPrice: 150 },
    price: 150,
  }));
  ok(far.checks.find((c) => c.rule === "price")?.message.includes("50%"));
});

Deno.test("replaceProblem: changes an order cannot take, whatever the account", () => {
  const limit = { type: "limit" as const, notional: null, trailPercent: null };
  equal(replaceProblem(limit, { limitPrice: 10 }), null);
  ok(replaceProblem(limit, { stopPrice: 10 })?.includes("stop price"));
  ok(replaceProblem(limit, { trail: 2 })?.includes("trail"));
  const dollars = { type: "market" as const, notional: 500, trailPercent: null };
  ok(replaceProblem(dollars, { qty: 3 })?.includes("dollar-amount"));
  const trailing = { type: "trailing_stop" as const, notional: null, trailPercent: 5 };
  equal(replaceProblem(trailing, { trail: 50 }), null);
  ok(replaceProblem(trailing, { trail: 50.01 })?.includes("50"));
  const trailingDollars = { type: "trailing_stop" as const, notional: null, trailPercent: null };
  equal(replaceProblem(trailingDollars, { trail: 120 }), null);
});

Deno.test("checks: messages are formatted when read, and travel in JSON and copies", () => {
  const a = assess(input({ buyingPower: 12_345.5 }));
  const bp = a.checks.find((c) => c.rule === "buying_power")!;
  // Not computed up front: a getter, so an order that passes costs no formatting.
  ok(Object.getOwnPropertyDescriptor(bp, "message")?.get);
  equal(bp.message, "Uses $1,000.00 of $12,345.50 buying power.");
  const sent = JSON.parse(JSON.stringify(a.checks)) as typeof a.checks;
  deepEqual(sent.map((c) => c.message), a.checks.map((c) => c.message));
  equal({ ...bp }.message, bp.message);
  equal(structuredClone(bp).message, bp.message);
});

Deno.test("checks: one share is a share, in every message that counts them", () => {
  const message = (a: ReturnType<typeof assess>, rule: string) =>
    a.checks.find((c) => c.rule === rule)?.message ?? "";
  const one = input({ request: { ...input().request, qty: 1 } });
  equal(message(assess(one), "quantity"), "1 share is within 1–10,000.");
  equal(message(assess(input()), "quantity"), "10 shares is within 1–10,000.");
  const notional = input({
    request: { ...input().request, qty: undefined, notional: 100 },
  });
  equal(message(assess(notional), "notional"), "$100.00 buys about 1 share.");
  const short = input({
    request: { ...input().request, side: "sell", qty: 2 },
    positionQty: 1,
    settings: { ...input().settings, allowShortSelling: false },
  });
  ok(message(assess(short), "short_sale").startsWith("You hold 1 share; selling 2"));
});
