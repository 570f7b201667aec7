/**
 * The trading API's request schemas and the mapping of the Broker seam's errors to HTTP:
 * malformed orders are 400 (zod), refused ones 422 naming the rule, unknown orders 404,
 * orders in the wrong state and idempotency keys reused for another request 409, an
 * unreachable broker 503.
 *
 * @module
 */
import { z } from "zod";
import { HttpError, NotFoundError } from "../http/errors.ts";
import { fromMarket } from "../market/api.ts";
import { checkSymbol, INDEX_SYMBOLS } from "../market/symbols.ts";
import { isOccSymbol, parseOcc } from "../options/occ.ts";
import {
  BrokerUnavailableError,
  IdempotencyKeyReusedError,
  OrderNotFoundError,
  OrderRefusedError,
  OrderStateError,
} from "./types.ts";

/** Has at most `dp` decimal places, as the number is written (its shortest round-trip form). */
const places = (dp: number) => (x: number) => {
  const [mantissa, exp] = x.toString().split("e");
  const fraction = (mantissa.split(".")[1] ?? "").length;
  return fraction - Number(exp ?? 0) <= dp;
};

export const priceSchema = z.number().finite().positive().max(1_000_000, "At most $1,000,000.")
  .refine(places(6), "At most 6 decimal places.");

/** Shares: positive, at most 8 decimals; the 1–10,000 rule is a pre-trade check (422). */
export const qtySchema = z.number().finite().positive().max(1_000_000, "At most 1,000,000 shares.")
  .refine(places(8), "At most 8 decimal places.");

export const notionalSchema = z.number().finite().positive().max(
  100_000_000,
  "At most $100,000,000.",
).refine(places(2), "Dollar amounts have at most 2 decimal places (cents).");

export const clientOrderIdSchema = z.string().min(1).max(128).regex(
  /^[\x21-\x7e]+$/,
  "Printable ASCII without spaces, 1–128 characters.",
);

/** A tradable ticker (indexes are quotes, not securities). */
export const tradableSymbolSchema = z.string().max(20).transform((input, ctx) => {
  const r = checkSymbol(input);
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: r.message });
    return z.NEVER;
  }
  if (r.symbol in INDEX_SYMBOLS) {
    ctx.addIssue({ code: "custom", message: `${r.symbol} is an index: it cannot be traded.` });
    return z.NEVER;
  }
  return r.symbol;
});

export const orderBodySchema = z.object({
  symbol: tradableSymbolSchema,
  side: z.enum(["buy", "sell"]),
  type: z.enum(["market", "limit", "stop", "stop_limit", "trailing_stop"]),
  timeInForce: z.enum(["day", "gtc"]).default("day"),
  qty: qtySchema.optional(),
  notional: notionalSchema.optional(),
  limitPrice: priceSchema.optional(),
  stopPrice: priceSchema.optional(),
  trailPrice: priceSchema.optional(),
  // 4 decimals, as the orders' and proposals' trail_percent columns keep: a finer one would
  // round to 0 there and break the column's check.
  trailPercent: z.number().finite().positive().max(50, "A trail of at most 50 %.")
    .refine(places(4), "At most 4 decimal places.").optional(),
  clientOrderId: clientOrderIdSchema.optional(),
  preview: z.boolean().default(false),
}).strict().superRefine((o, ctx) => {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  if ((o.qty === undefined) === (o.notional === undefined)) {
    issue("qty", "Give either qty (shares) or notional (dollars), not both and not neither.");
  }
  const fractional = o.qty !== undefined && !Number.isInteger(o.qty);
  if (
    (o.notional !== undefined || fractional) && (o.type !== "market" || o.timeInForce !== "day")
  ) {
    issue(
      o.notional !== undefined ? "notional" : "qty",
      "Dollar amounts and fractional shares are for market orders with time in force day.",
    );
  }
  const needsLimit = o.type === "limit" || o.type === "stop_limit";
  const needsStop = o.type === "stop" || o.type === "stop_limit";
  if (needsLimit && o.limitPrice === undefined) {
    issue("limitPrice", `A ${o.type} order needs limitPrice.`);
  }
  if (!needsLimit && o.limitPrice !== undefined) {
    issue("limitPrice", "limitPrice is only for limit and stop_limit orders.");
  }
  if (needsStop && o.stopPrice === undefined) {
    issue("stopPrice", `A ${o.type} order needs stopPrice.`);
  }
  if (!needsStop && o.stopPrice !== undefined) {
    issue("stopPrice", "stopPrice is only for stop and stop_limit orders.");
  }
  const trails = (o.trailPrice !== undefined ? 1 : 0) + (o.trailPercent !== undefined ? 1 : 0);
  if (o.type === "trailing_stop" && trails !== 1) {
    issue("trailPrice", "A trailing stop needs exactly one of trailPrice (USD) or trailPercent.");
  }
  if (o.type !== "trailing_stop" && trails > 0) {
    issue("trailPrice", "trailPrice and trailPercent are only for trailing_stop orders.");
  }
});

export type OrderBody = z.infer<typeof orderBodySchema>;

/** An option contract by its OCC symbol (`AAPL240621C00150000`), upper-cased. */
export const occSymbolSchema = z.string().max(32).transform((input, ctx) => {
  const c = parseOcc(input);
  if (!c) {
    ctx.addIssue({
      code: "custom",
      message: "Not an OCC option symbol: root, YYMMDD, C or P, strike × 1000 in 8 digits " +
        "(AAPL240621C00150000).",
    });
    return z.NEVER;
  }
  return c.symbol;
});

/** A position's symbol: a ticker, or an option contract's OCC symbol. */
export const positionSymbolSchema = z.string().max(32).transform((input, ctx) => {
  const parsed = isOccSymbol(input)
    ? occSymbolSchema.safeParse(input)
    : tradableSymbolSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: "custom", message: issue.message });
    }
    return z.NEVER;
  }
  return parsed.data;
});

export const positionIntentSchema = z.enum([
  "buy_to_open",
  "buy_to_close",
  "sell_to_open",
  "sell_to_close",
]);

/** Whole contracts (or multi-leg units); the size rule itself is a pre-trade check (422). */
const contractsSchema = z.number().int("Whole contracts only.").positive().max(
  1_000_000,
  "At most 1,000,000 contracts.",
);

/** Market or limit, as options trade; a limit order needs its price and only it has one. */
function optionPriceRules(
  o: { type: string; limitPrice?: number },
  issue: (path: string, message: string) => void,
) {
  if (o.type === "limit" && o.limitPrice === undefined) {
    issue("limitPrice", "A limit order needs limitPrice.");
  }
  if (o.type !== "limit" && o.limitPrice !== undefined) {
    issue("limitPrice", "limitPrice is only for limit orders.");
  }
}

/** The side an intent trades on: buy_to_* buys, sell_to_* sells. */
export function intentSide(intent: z.infer<typeof positionIntentSchema>): "buy" | "sell" {
  return intent.startsWith("buy") ? "buy" : "sell";
}

/**
 * A single-leg option order: an OCC symbol, whole contracts, market or limit (USD per share),
 * day or gtc, and whether it opens or closes.
 */
export const optionOrderBodySchema = z.object({
  symbol: occSymbolSchema,
  side: z.enum(["buy", "sell"]),
  type: z.enum(["market", "limit"], "Option orders are market or limit."),
  timeInForce: z.enum(["day", "gtc"]).default("day"),
  qty: contractsSchema,
  limitPrice: priceSchema.optional(),
  positionIntent: positionIntentSchema,
  clientOrderId: clientOrderIdSchema.optional(),
  preview: z.boolean().default(false),
}).strict().superRefine((o, ctx) => {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  optionPriceRules(o, issue);
  if (intentSide(o.positionIntent) !== o.side) {
    issue(
      "positionIntent",
      `${o.positionIntent} is a ${intentSide(o.positionIntent)}, not a ${o.side}.`,
    );
  }
});

export const orderLegSchema = z.object({
  symbol: occSymbolSchema,
  side: z.enum(["buy", "sell"]),
  ratioQty: z.number().int("Whole contracts per unit.").min(1).max(100),
  positionIntent: positionIntentSchema,
}).strict();

/**
 * A multi-leg option order: 2–4 legs on one underlying (`symbol`), `qty` units, a net `limitPrice`
 * per share of one unit (always positive: `side` buy pays it as a debit, sell receives it as a
 * credit). Whether the legs make a valid structure is a pre-trade check (422 option_structure).
 */
export const mlegOrderBodySchema = z.object({
  orderClass: z.literal("mleg"),
  symbol: tradableSymbolSchema,
  side: z.enum(["buy", "sell"]),
  type: z.enum(["market", "limit"], "Multi-leg orders are market or limit."),
  timeInForce: z.enum(["day", "gtc"]).default("day"),
  qty: contractsSchema,
  limitPrice: priceSchema.optional(),
  legs: z.array(orderLegSchema).min(2, "A multi-leg order has 2 to 4 legs.").max(
    4,
    "A multi-leg order has 2 to 4 legs.",
  ),
  clientOrderId: clientOrderIdSchema.optional(),
  preview: z.boolean().default(false),
}).strict().superRefine((o, ctx) =>
  optionPriceRules(o, (path, message) => {
    ctx.addIssue({ code: "custom", path: [path], message });
  })
);

export type OptionOrderBody = z.infer<typeof optionOrderBodySchema>;
export type MlegOrderBody = z.infer<typeof mlegOrderBodySchema>;
export type AnyOrderBody = OrderBody | OptionOrderBody | MlegOrderBody;

/**
 * Reads `POST /api/orders`'s body with the schema its shape asks for: `orderClass: "mleg"` a
 * multi-leg order, an OCC symbol or a `positionIntent` a single option, anything else a stock
 * order. Each schema is strict, so a field of another kind is named as not allowed (400).
 */
export function parseOrderBody(raw: unknown): AnyOrderBody {
  const o = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  if (o.orderClass === "mleg") return mlegOrderBodySchema.parse(raw);
  if (o.positionIntent !== undefined || (typeof o.symbol === "string" && isOccSymbol(o.symbol))) {
    return optionOrderBodySchema.parse(raw);
  }
  return orderBodySchema.parse(raw);
}

/** `POST /api/positions/close-strategy`: 2–4 option positions closed as one order. */
export const closeStrategyBodySchema = z.object({
  symbols: z.array(occSymbolSchema).min(2, "Close 2 to 4 legs at once.").max(
    4,
    "Close 2 to 4 legs at once.",
  ).refine((s) => new Set(s).size === s.length, "Each contract once."),
  clientOrderId: clientOrderIdSchema.optional(),
}).strict();

export const replaceBodySchema = z.object({
  qty: qtySchema.refine(Number.isInteger, "Replaced quantities are whole shares.").optional(),
  limitPrice: priceSchema.optional(),
  stopPrice: priceSchema.optional(),
  trail: z.number().finite().positive().max(1_000_000).optional(),
  timeInForce: z.enum(["day", "gtc"]).optional(),
  clientOrderId: clientOrderIdSchema.optional(),
}).strict().refine(
  (b) =>
    b.qty !== undefined || b.limitPrice !== undefined || b.stopPrice !== undefined ||
    b.trail !== undefined || b.timeInForce !== undefined,
  "Say what to change: qty, limitPrice, stopPrice, trail or timeInForce.",
);

export const orderQuerySchema = z.object({
  status: z.enum(["open", "closed", "all"]).default("open"),
  after: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  symbols: z.string().max(400).optional().transform((s, ctx) => {
    if (!s) return undefined;
    const out: string[] = [];
    for (const part of s.split(",").map((p) => p.trim()).filter(Boolean)) {
      const contract = parseOcc(part);
      if (contract) {
        out.push(contract.symbol);
        continue;
      }
      const r = checkSymbol(part);
      if (!r.ok) {
        ctx.addIssue({ code: "custom", message: r.message });
        return z.NEVER;
      }
      out.push(r.symbol);
    }
    return out;
  }),
}).strict();

export const orderIdSchema = z.uuid("Order ids are UUIDs.");

export const closeQuerySchema = z.object({
  qty: z.coerce.number().pipe(qtySchema).optional(),
  percentage: z.coerce.number().finite().positive().max(100).optional(),
  clientOrderId: clientOrderIdSchema.optional(),
}).strict().refine(
  (q) => q.qty === undefined || q.percentage === undefined,
  "Give qty or percentage, not both.",
);

export const historyQuerySchema = z.object({
  range: z.enum(["1D", "1W", "1M", "3M", "1Y", "ALL"]).default("1M"),
}).strict();

/** The caller's idempotency key from the body or the `Idempotency-Key` header. */
export function idempotencyKey(fromBody: string | undefined, header: string | undefined): string {
  if (header !== undefined) {
    const parsed = clientOrderIdSchema.safeParse(header);
    if (!parsed.success) {
      throw new HttpError(
        400,
        "invalid_idempotency_key",
        "Idempotency-Key: " + parsed.error.issues[0].message,
      );
    }
    if (fromBody !== undefined && fromBody !== header) {
      throw new HttpError(
        400,
        "invalid_idempotency_key",
        "clientOrderId and the Idempotency-Key header differ: send one key.",
      );
    }
    return header;
  }
  return fromBody ?? crypto.randomUUID();
}

/** Runs a broker call, turning the seam's errors (and market-data errors) into HTTP errors. */
export async function fromBroker<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await fromMarket(call);
  } catch (err) {
    if (err instanceof OrderRefusedError) {
      throw new HttpError(422, err.code, err.message, {
        checks: err.checks,
        ...(err.details ?? {}),
      });
    }
    if (err instanceof OrderNotFoundError) throw new NotFoundError(err.message);
    if (err instanceof IdempotencyKeyReusedError) {
      throw new HttpError(409, "idempotency_key_reused", err.message, {
        clientOrderId: err.clientOrderId,
        orderId: err.orderId,
      });
    }
    if (err instanceof OrderStateError) {
      throw new HttpError(409, "order_state", err.message, { status: err.status ?? null });
    }
    if (err instanceof BrokerUnavailableError) {
      throw new HttpError(
        503,
        "broker_unavailable",
        err.message,
        undefined,
        err.retryAfterSeconds ? { "Retry-After": String(err.retryAfterSeconds) } : undefined,
      );
    }
    throw err;
  }
}
