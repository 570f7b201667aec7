import assert from "node:assert/strict";
import type { Account, Position } from "../broker/types.ts";
import { portfolioTotals } from "../broker/totals.ts";
import { liveAccount, remark } from "./portfolio.ts";

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
  const t = portfolioTotals(served);
  assert.equal(t.marketValue, 2100); // MSFT without a mark counts at cost
  assert.equal(t.costBasis, 2000);
  assert.equal(t.unrealizedPl, 100);
  assert.equal(t.unrealizedPlPercent, 0.05);
  assert.equal(portfolioTotals([]).unrealizedPlPercent, null);
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
