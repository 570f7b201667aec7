/**
 * `/api/orders`: the caller's orders through the configured broker (built-in paper or Alpaca).
 *
 * - `POST /` — place an order, or with `preview: true` only price it and run the pre-trade
 *   checks. A stock order names a ticker; a single-leg option order an OCC symbol with its
 *   `positionIntent` and whole contracts (market or limit); a multi-leg order has
 *   `orderClass: "mleg"`, the underlying as `symbol`, 2–4 `legs` ({symbol, side, ratioQty,
 *   positionIntent}), `qty` in units and a positive net `limitPrice` per share (side buy: a
 *   debit paid, sell: a credit received). An option preview adds `option` (structure, premium,
 *   max profit and loss, breakevens, buying power and its rule, the legs' prices, the chain). `clientOrderId` (or the `Idempotency-Key` header) makes a submission idempotent:
 *   the same key again answers 200 with the first order and `duplicate: true`, never a second
 *   order; the same key with a different order answers 409 `idempotency_key_reused`. A new order
 *   answers 201. Malformed → 400; refused by a rule → 422 naming the rule and by how much
 *   (`details.checks`).
 * - `GET /?status=open|closed|all&after&until&limit&symbols` → `{ orders, source }`
 * - `GET /:id` → `{ order }`; `DELETE /:id` cancels → `{ order }` (409 when it cannot be);
 *   `PATCH /:id` replaces → `{ order }` (the new order; the old one becomes `replaced`).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import {
  fromBroker,
  idempotencyKey,
  orderIdSchema,
  orderQuerySchema,
  parseOrderBody,
  replaceBodySchema,
} from "../../lib/broker/api.ts";
import { previewOrder } from "../../lib/broker/trading.ts";
import type { OrderRequest } from "../../lib/broker/types.ts";

const orders = new Hono<AppEnv>();

orders.post("/", async (c) => {
  const user = requireUser(c);
  const body = parseOrderBody(await jsonBody(c));
  const { preview, clientOrderId, ...rest } = body;
  const req: OrderRequest = {
    ...rest,
    clientOrderId: idempotencyKey(clientOrderId, c.req.header("Idempotency-Key")),
  };
  const services = c.get("services");
  c.header("Cache-Control", "no-store");
  if (preview) {
    return c.json({
      placed: false,
      preview: await fromBroker(() => previewOrder(services, user.id, req)),
    });
  }
  const result = await fromBroker(() => services.broker.submit(user.id, req));
  return c.json(
    {
      placed: true,
      duplicate: result.duplicate,
      order: result.order,
      checks: result.checks ?? [],
      source: services.broker.kind,
    },
    result.duplicate ? 200 : 201,
  );
});

orders.get("/", async (c) => {
  const user = requireUser(c);
  const query = orderQuerySchema.parse(c.req.query());
  const { broker } = c.get("services");
  c.header("Cache-Control", "no-store");
  return c.json({
    orders: await fromBroker(() => broker.orders(user.id, query)),
    source: broker.kind,
  });
});

orders.get("/:id", async (c) => {
  const user = requireUser(c);
  const id = orderIdSchema.parse(c.req.param("id"));
  c.header("Cache-Control", "no-store");
  return c.json({ order: await fromBroker(() => c.get("services").broker.order(user.id, id)) });
});

orders.delete("/:id", async (c) => {
  const user = requireUser(c);
  const id = orderIdSchema.parse(c.req.param("id"));
  return c.json({ order: await fromBroker(() => c.get("services").broker.cancel(user.id, id)) });
});

orders.patch("/:id", async (c) => {
  const user = requireUser(c);
  const id = orderIdSchema.parse(c.req.param("id"));
  const change = replaceBodySchema.parse(await jsonBody(c));
  const order = await fromBroker(() => c.get("services").broker.replace(user.id, id, change));
  return c.json({ order });
});

export default orders;
