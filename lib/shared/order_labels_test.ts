import assert from "node:assert/strict";
import { order } from "../client/_fixtures.ts";
import { cancelable, placedMessage } from "./order_labels.ts";

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
