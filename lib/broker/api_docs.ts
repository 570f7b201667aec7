/**
 * The OpenAPI declarations of `/api/orders` and `/api/positions` (lib/http/openapi/registry.ts),
 * kept beside the schemas they name so the two busy router files carry one line each.
 */
import type { OperationDoc, OperationKey } from "../http/openapi/mod.ts";
import {
  closeQuerySchema,
  closeStrategyBodySchema,
  orderBodySchema,
  orderIdSchema,
  orderQuerySchema,
  positionSymbolSchema,
  replaceBodySchema,
} from "./api.ts";

type Docs = Partial<Record<OperationKey, OperationDoc>>;

export const ORDERS_DOCS: Docs = {
  "POST /": {
    summary: "Place an order, or with `preview: true` price it and run the pre-trade checks",
    description: "`clientOrderId` (or the `Idempotency-Key` header) makes it idempotent.",
    body: orderBodySchema,
    example: {
      symbol: "AAPL",
      side: "buy",
      type: "limit",
      qty: 10,
      limitPrice: 120,
      preview: true,
    },
    responses: {
      200: "Previewed `{ placed: false, preview }`, or a duplicate `{ duplicate: true, order }`",
      201: "`{ placed: true, duplicate, order, checks, source }`",
      409: "`idempotency_key_reused`",
      422: "Refused by a pre-trade check (`details.checks`)",
      423: "`trading_halted`",
    },
  },
  "GET /": {
    summary: "The caller's orders",
    query: orderQuerySchema,
    queryExample: { status: "all", limit: "50", symbols: "AAPL,MSFT" },
    responses: { 200: "`{ orders, source }`" },
  },
  "GET /:id": {
    summary: "One order",
    params: { id: orderIdSchema },
    responses: { 200: "`{ order }`" },
  },
  "DELETE /:id": {
    summary: "Cancel an order",
    params: { id: orderIdSchema },
    responses: { 200: "`{ order }`", 400: "Not an order id", 409: "It can no longer be cancelled" },
  },
  "PATCH /:id": {
    summary: "Replace an open order (the old one becomes `replaced`)",
    params: { id: orderIdSchema },
    body: replaceBodySchema,
    example: { qty: 5, limitPrice: 118.5 },
    responses: { 200: "`{ order }`: the new order", 423: "`trading_halted`" },
  },
};

export const POSITIONS_DOCS: Docs = {
  "GET /": {
    summary: "The caller's open positions, marked to market",
    responses: { 200: "`{ positions, source, prices }`" },
  },
  "DELETE /:symbol": {
    summary: "Close all or part of a position with a market order",
    description:
      "Send an `Idempotency-Key` header (or `clientOrderId`) so a retry never sells twice. " +
      "`symbol` may be an option's OCC symbol: whole contracts close with the closing intent.",
    params: { symbol: positionSymbolSchema },
    query: closeQuerySchema,
    queryExample: { percentage: "50" },
    responses: {
      200: "A duplicate: `{ order, duplicate: true }`",
      201: "`{ order, duplicate: false }`",
      404: "No such position",
      409: "`idempotency_key_reused`",
      422: "`insufficient_qty`",
    },
  },
  "POST /close-strategy": {
    summary: "Close 2–4 option positions of one underlying as ONE market multi-leg order",
    description:
      "Send an `Idempotency-Key` header (or `clientOrderId`) so a retry never closes twice.",
    body: closeStrategyBodySchema,
    example: { symbols: ["AAPL210416C00130000", "AAPL210416C00135000"] },
    responses: {
      200: "A duplicate: `{ order, duplicate: true }`",
      201: "`{ order, duplicate: false }`",
      404: "A symbol is not held",
      422: "The legs are not one strategy",
      501: "`not_supported`: the broker cannot close a strategy as one order",
    },
  },
};
