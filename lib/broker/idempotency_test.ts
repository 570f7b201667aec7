import { equal, notEqual, throws } from "node:assert/strict";
import {
  assertSameRequest,
  closeFingerprint,
  orderFingerprint,
  replaceFingerprint,
} from "./idempotency.ts";
import type { OrderRow } from "./orders_repo.ts";
import { IdempotencyKeyReusedError, type OrderRequest } from "./types.ts";

const order: OrderRequest = {
  symbol: "AAPL",
  side: "buy",
  type: "limit",
  timeInForce: "gtc",
  qty: 2,
  limitPrice: 100,
  clientOrderId: "k-1",
};

Deno.test("fingerprints: the key itself and absent fields do not count", () => {
  equal(orderFingerprint(order), orderFingerprint({ ...order, clientOrderId: "other" }));
  equal(orderFingerprint(order), orderFingerprint({ ...order, stopPrice: undefined }));
});

Deno.test("fingerprints: any other field, or another kind of request, differs", () => {
  notEqual(orderFingerprint(order), orderFingerprint({ ...order, qty: 3 }));
  notEqual(orderFingerprint(order), orderFingerprint({ ...order, limitPrice: 100.01 }));
  notEqual(orderFingerprint(order), orderFingerprint({ ...order, side: "sell" }));
  notEqual(closeFingerprint("AAPL", { clientOrderId: "k" }), orderFingerprint(order));
  notEqual(
    closeFingerprint("AAPL", { qty: 1, clientOrderId: "k" }),
    closeFingerprint("AAPL", { percentage: 1, clientOrderId: "k" }),
  );
  notEqual(replaceFingerprint("a", { qty: 1 }), replaceFingerprint("b", { qty: 1 }));
});

Deno.test("assertSameRequest: a retry passes, another request throws, old rows pass", () => {
  const row = (fp: string | null) =>
    ({ id: "o-1", client_order_id: "k-1", request_fingerprint: fp }) as OrderRow;
  assertSameRequest(row(orderFingerprint(order)), orderFingerprint({ ...order }));
  throws(
    () => assertSameRequest(row(orderFingerprint(order)), orderFingerprint({ ...order, qty: 5 })),
    (e) => e instanceof IdempotencyKeyReusedError && e.orderId === "o-1",
  );
  // Written before fingerprints existed: nothing to compare, treated as the same request.
  assertSameRequest(row(null), orderFingerprint({ ...order, qty: 5 }));
});

Deno.test("fingerprints: option fields count, and a stock order's is what it always was", () => {
  equal(
    orderFingerprint(order),
    '["order",["symbol","AAPL"],["side","buy"],["type","limit"],["timeInForce","gtc"],' +
      '["qty",2],["limitPrice",100]]',
  );
  const spread: OrderRequest = {
    ...order,
    timeInForce: "day",
    orderClass: "mleg",
    legs: [
      { symbol: "AAPL240621C00190000", side: "buy", ratioQty: 1, positionIntent: "buy_to_open" },
      { symbol: "AAPL240621C00200000", side: "sell", ratioQty: 1, positionIntent: "sell_to_open" },
    ],
  };
  equal(orderFingerprint(spread), orderFingerprint({ ...spread, clientOrderId: "other" }));
  const legs = spread.legs!;
  notEqual(orderFingerprint(spread), orderFingerprint({ ...spread, legs: [legs[0]] }));
  notEqual(
    orderFingerprint(spread),
    orderFingerprint({ ...spread, legs: [legs[0], { ...legs[1], ratioQty: 2 }] }),
  );
  notEqual(
    orderFingerprint({ ...order, positionIntent: "buy_to_open" }),
    orderFingerprint({ ...order, positionIntent: "buy_to_close" }),
  );
});
