/**
 * `/api/positions`: the caller's open positions, marked to market.
 *
 * - `GET /` → `{ positions, source, prices }`, positions sorted by symbol
 * - `DELETE /:symbol?qty=|percentage=` — sends the market order that closes all (or part) of
 *   it → `{ order, duplicate }`. Send an `Idempotency-Key` header (or `clientOrderId`) so a
 *   retried close never sells twice. 404 when there is no such position; 422
 *   `insufficient_qty` (naming what is held) for more shares than are held; 409
 *   `idempotency_key_reused` when the key was first used for another request. The shares follow
 *   lib/shared/close_quantity.ts, the rule the close dialog previews with. `:symbol` may be an
 *   option contract's OCC symbol: it closes whole contracts with the closing intent (sell to
 *   close a long, buy to close a short).
 * - `POST /close-strategy` `{ symbols: OCC[] (2–4, one underlying), clientOrderId? }` — closes
 *   those option positions as ONE market multi-leg order → `{ order, duplicate }` (201, or 200
 *   for a retried key). 404 when a symbol is not held; 422 when the legs are not one strategy.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { HttpError } from "../../lib/http/errors.ts";
import {
  closeQuerySchema,
  closeStrategyBodySchema,
  fromBroker,
  idempotencyKey,
  positionSymbolSchema,
} from "../../lib/broker/api.ts";
import { positionsPrices, sortedPositions } from "../../lib/broker/snapshot.ts";

const positions = new Hono<AppEnv>();

positions.get("/", async (c) => {
  const user = requireUser(c);
  const { broker } = c.get("services");
  c.header("Cache-Control", "no-store");
  const list = await fromBroker(() => broker.positions(user.id));
  return c.json({
    positions: sortedPositions(list),
    source: broker.kind,
    prices: positionsPrices(broker, list),
  });
});

positions.delete("/:symbol", async (c) => {
  const user = requireUser(c);
  const symbol = positionSymbolSchema.parse(c.req.param("symbol"));
  const q = closeQuerySchema.parse(c.req.query());
  const clientOrderId = idempotencyKey(q.clientOrderId, c.req.header("Idempotency-Key"));
  const result = await fromBroker(() =>
    c.get("services").broker.closePosition(user.id, symbol, {
      qty: q.qty,
      percentage: q.percentage,
      clientOrderId,
    })
  );
  return c.json({ order: result.order, duplicate: result.duplicate }, result.duplicate ? 200 : 201);
});

positions.post("/close-strategy", async (c) => {
  const user = requireUser(c);
  const body = closeStrategyBodySchema.parse(await jsonBody(c));
  const clientOrderId = idempotencyKey(body.clientOrderId, c.req.header("Idempotency-Key"));
  const { broker } = c.get("services");
  if (!broker.closeStrategy) {
    throw new HttpError(
      501,
      "not_supported",
      `The ${broker.kind} broker cannot close option strategies as one order yet; close each leg.`,
    );
  }
  const result = await fromBroker(() =>
    broker.closeStrategy!(user.id, { symbols: body.symbols, clientOrderId })
  );
  return c.json({ order: result.order, duplicate: result.duplicate }, result.duplicate ? 200 : 201);
});

export default positions;
