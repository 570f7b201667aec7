import { equal, notEqual, throws } from "node:assert/strict";
import {
  assertSameRequest,
  closeFingerprint,
  closeStrategyFingerprint,
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

Deno.test("fingerprints: an option order's intent and legs count; a stock order's stays as it was", () => {
  // The stock fingerprint is fixed text: a change here would refuse retries of stored orders.
  equal(
    orderFingerprint(order),
    '["order",["symbol","AAPL"],["side","buy"],["type","limit"],["timeInForce","gtc"],' +
      '["qty",2],["limitPrice",100]]',
  );
  const leg = (symbol: string, side: "buy" | "sell") => ({
    symbol,
    side,
    ratioQty: 1,
    positionIntent: side === "buy" ? "buy_to_open" as const : "sell_to_open" as const,
  });
  const mleg: OrderRequest = {
    ...order,
    orderClass: "mleg",
    legs: [leg("AAPL240621C00150000", "buy"), leg("AAPL240621C00155000", "sell")],
  };
  equal(orderFingerprint(mleg), orderFingerprint({ ...mleg, clientOrderId: "other" }));
  notEqual(orderFingerprint(mleg), orderFingerprint(order));
  notEqual(
    orderFingerprint(mleg),
    orderFingerprint({ ...mleg, legs: [mleg.legs![0], { ...mleg.legs![1], ratioQty: 2 }] }),
  );
  notEqual(orderFingerprint(mleg), orderFingerprint({ ...mleg, legs: [...mleg.legs!].reverse() }));
  const single = {
    ...order,
    symbol: "AAPL240621C00150000",
    positionIntent: "buy_to_open" as const,
  };
  notEqual(
    orderFingerprint(single),
    orderFingerprint({ ...single, positionIntent: "buy_to_close" }),
  );
  equal(
    closeStrategyFingerprint(["B", "A"]),
    closeStrategyFingerprint(["A", "B"]),
  );
});
