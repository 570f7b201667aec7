import assert from "node:assert/strict";
import type { Order } from "../../broker/types.ts";
import {
  contractLabel,
  isOptionOrder,
  legLabel,
  optionOrderSize,
  optionPlacedMessage,
  symbolLabel,
  timesMultiplier,
} from "./labels.ts";

function order(over: Partial<Order>): Order {
  return {
    id: "o1",
    clientOrderId: "k",
    symbol: "AAPL210115C00150000",
    side: "buy",
    type: "limit",
    timeInForce: "day",
    qty: 2,
    notional: null,
    filledQty: 2,
    filledAvgPrice: 2.2,
    limitPrice: 2.2,
    stopPrice: null,
    trailPrice: null,
    trailPercent: null,
    hwm: null,
    status: "filled",
    reason: null,
    createdAt: "2021-01-04T15:00:00Z",
    submittedAt: null,
    filledAt: null,
    canceledAt: null,
    expiredAt: null,
    expiresSession: null,
    replaces: null,
    replacedBy: null,
    source: "paper",
    prices: "replay",
    assetClass: "us_option",
    ...over,
  };
}

Deno.test("contracts in words, from their terms or their OCC symbol", () => {
  assert.equal(
    contractLabel({ underlying: "AAPL", expiration: "2021-01-15", type: "call", strike: 172.5 }),
    "AAPL 172.5 call · 15 Jan 2021",
  );
  assert.equal(symbolLabel("SPY210115P00372500"), "SPY 372.5 put · 15 Jan 2021");
  assert.equal(symbolLabel("AAPL"), "AAPL", "a ticker stays a ticker");
});

Deno.test("legs and sizes of option orders", () => {
  assert.equal(
    legLabel({
      symbol: "AAPL210115C00155000",
      side: "sell",
      ratioQty: 2,
      positionIntent: "sell_to_open",
    }),
    "Sell to open 2 × AAPL 155 call · 15 Jan 2021",
  );
  assert.equal(optionOrderSize(order({})), "2 contracts AAPL 150 call · 15 Jan 2021");
  assert.equal(optionOrderSize(order({ qty: 1 })), "1 contract AAPL 150 call · 15 Jan 2021");
  const mleg = order({
    symbol: "AAPL",
    orderClass: "mleg",
    qty: 1,
    legs: [
      {
        symbol: "AAPL210115C00150000",
        side: "buy",
        ratioQty: 1,
        positionIntent: "buy_to_open",
        filledQty: 1,
        filledAvgPrice: 2.2,
      },
      {
        symbol: "AAPL210115C00155000",
        side: "sell",
        ratioQty: 1,
        positionIntent: "sell_to_open",
        filledQty: 1,
        filledAvgPrice: 1,
      },
    ],
  });
  assert.equal(optionOrderSize(mleg), "1 × 2-leg AAPL order");
  assert.ok(isOptionOrder(mleg));
  assert.ok(isOptionOrder(order({ assetClass: undefined })), "known by its OCC symbol");
  assert.ok(!isOptionOrder(order({ symbol: "AAPL", assetClass: undefined })));
});

Deno.test("the dollars behind a per-share option price", () => {
  assert.equal(timesMultiplier(2, 2.2), "2 × $2.20 × 100 = $440.00");
});

Deno.test("the toast after placing says contracts and per share", () => {
  assert.deepEqual(optionPlacedMessage(order({})), {
    kind: "success",
    text: "Bought 2 contracts AAPL 150 call · 15 Jan 2021 at $2.20 per share",
  });
  const refused = optionPlacedMessage(order({ status: "rejected", reason: "no quote" }), true);
  assert.equal(refused.kind, "error");
  assert.match(refused.text, /^Already placed: .*rejected: no quote$/);
  assert.match(optionPlacedMessage(order({ status: "new" })).text, /is working$/);
});
