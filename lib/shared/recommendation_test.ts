import assert from "node:assert/strict";
import { proposalFor, type RecView } from "./recommendation.ts";

const rec = (over: Partial<RecView>): RecView => ({
  id: 7,
  symbol: "AAPL",
  action: "buy",
  confidence: 70,
  confidenceBasis: null,
  entry: 75.09,
  stop: 72,
  target: 80,
  suggestedShares: 40,
  size: null,
  horizonDays: 10,
  reasoning: "r",
  evidence: [],
  asOf: "2020-01-03",
  source: "replay",
  analyst: "offline",
  model: "offline",
  status: "live",
  createdAt: "2026-11-04T15:30:00Z",
  ...over,
});

Deno.test("a proposal is a day limit order at the entry for the suggested shares", () => {
  const p = proposalFor(rec({}))!;
  assert.deepEqual(p.order, {
    symbol: "AAPL",
    side: "buy",
    qty: 40,
    type: "limit",
    limitPrice: 75.09,
    timeInForce: "day",
  });
  assert.match(p.note, /^BUY AAPL from the AI recommendation/);
  assert.equal(proposalFor(rec({ action: "trim", suggestedShares: 5 }))!.order.side, "sell");
  assert.equal(proposalFor(rec({ action: "hold" })), null);
  assert.equal(proposalFor(rec({ action: "avoid" })), null);
  assert.equal(proposalFor(rec({ suggestedShares: 0 })), null);
});
