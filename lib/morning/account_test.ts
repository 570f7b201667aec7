import assert from "node:assert/strict";
import type { Account, Order, Position } from "../broker/types.ts";
import { portfolioOverview, riskAlerts, stopLevel } from "./account.ts";

const AT = "2020-03-18T13:00:00.000Z";

function account(over: Partial<Account> = {}): Account {
  return {
    source: "paper",
    prices: "replay",
    currency: "USD",
    cash: 50_000,
    buyingPower: 50_000,
    equity: 100_000,
    longMarketValue: 50_000,
    shortMarketValue: 0,
    lastEquity: 101_000,
    dayPl: -1_000,
    dayPlPercent: -0.0099,
    startingCash: 100_000,
    unrealizedPl: 0,
    realizedPl: 0,
    timestamp: AT,
    ...over,
  };
}

function position(symbol: string, qty: number, price: number): Position {
  return {
    symbol,
    qty,
    side: qty > 0 ? "long" : "short",
    avgEntryPrice: price,
    costBasis: qty * price,
    marketValue: qty * price,
    currentPrice: price,
    lastdayPrice: price,
    unrealizedPl: 0,
    unrealizedPlPercent: 0,
    changeToday: 0,
    dayPl: 0,
    realizedPl: 0,
    source: "paper",
    prices: "replay",
  };
}

function stop(symbol: string, side: "buy" | "sell", stopPrice: number, over: Partial<Order> = {}) {
  return {
    id: crypto.randomUUID(),
    clientOrderId: "k",
    symbol,
    side,
    type: "stop",
    timeInForce: "gtc",
    qty: 10,
    notional: null,
    filledQty: 0,
    filledAvgPrice: null,
    limitPrice: null,
    stopPrice,
    trailPrice: null,
    trailPercent: null,
    hwm: null,
    status: "new",
    reason: null,
    createdAt: AT,
    submittedAt: AT,
    filledAt: null,
    canceledAt: null,
    expiredAt: null,
    expiresSession: null,
    replaces: null,
    replacedBy: null,
    source: "paper",
    prices: null,
    ...over,
  } as Order;
}

const limits = { maxPositionPercent: 10, dailyLossLimit: 5_000 };

Deno.test("overnight change is equity against the last close, with its source", () => {
  const p = portfolioOverview(account(), [position("KO", 10, 50)]);
  assert.deepEqual(p.change, { value: -1000, unit: "USD", source: "paper", asOf: AT });
  assert.equal(p.changePercent!.value, -0.99);
  assert.equal(p.positions.value, 1);
});

Deno.test("a long near its sell stop warns, through it breaches; a far stop says nothing", () => {
  const positions = [position("KO", 100, 50), position("PEP", 10, 100), position("MO", 10, 40)];
  const orders = [
    stop("KO", "sell", 49), // 2 % below: near
    stop("PEP", "sell", 101), // price is below the stop: through it
    stop("MO", "sell", 30), // 25 % below: far
    stop("KO", "buy", 49.5), // a buy stop does not protect a long
  ];
  const alerts = riskAlerts(account({ equity: 1_000_000 }), positions, orders, limits)
    .filter((a) => a.kind === "near_stop");
  assert.deepEqual(alerts.map((a) => [a.symbol, a.severity, a.value.value]), [
    ["KO", "warn", 2],
    ["PEP", "breach", -1],
  ]);
  assert.equal(alerts[0].limit.value, 3);
});

Deno.test("a short's stop is a buy stop above the price; trailing stops use best price less trail", () => {
  const alerts = riskAlerts(
    account({ equity: 1_000_000 }),
    [position("TSLA", -10, 100)],
    [stop("TSLA", "buy", 102)],
    limits,
  );
  assert.deepEqual(alerts.map((a) => [a.kind, a.severity, a.value.value]), [
    ["near_stop", "warn", 2],
  ]);
  const trailing = stop("KO", "sell", 0, {
    type: "trailing_stop",
    stopPrice: null,
    hwm: 60,
    trailPercent: 10,
  });
  assert.equal(stopLevel(trailing), 54);
  assert.equal(stopLevel({ ...trailing, trailPercent: null, trailPrice: 5 }), 55);
});

Deno.test("concentration over the position limit, and the daily loss limit", () => {
  // KO is 50,000 of 100,000 equity: 50 % over a 10 % limit.
  const alerts = riskAlerts(account({ dayPl: -2_600 }), [position("KO", 1000, 50)], [], limits);
  assert.deepEqual(alerts.map((a) => [a.kind, a.severity, a.value.value, a.limit.value]), [
    ["concentration", "breach", 50, 10],
    ["daily_loss", "warn", 2600, 5000],
  ]);
  assert.equal(alerts[1].limit.source, "settings");
  const breach = riskAlerts(account({ dayPl: -5_000 }), [], [], limits);
  assert.equal(breach[0].severity, "breach");
  assert.deepEqual(riskAlerts(account({ dayPl: -2_400 }), [], [], limits), []);
  assert.deepEqual(riskAlerts(account({ dayPl: 3_000 }), [], [], limits), []);
});
