/**
 * An order template as the API takes it: the order's shape without limit or stop prices (see
 * lib/shared/order_template.ts for why), checked with the order API's own field schemas and the
 * same rules: dollars or fractional shares only for market orders good for the day, a trail only
 * for a trailing stop, and at most one size and one trail.
 *
 * @module
 */
import { z } from "zod";
import {
  notionalSchema,
  places,
  priceSchema,
  qtySchema,
  tradableSymbolSchema,
} from "../broker/api.ts";

const name = z.string().trim().min(1, "Give the template a name.").max(64)
  // Postgres text cannot hold NUL; let through, the insert failed with a 500.
  .refine((s) => !s.includes("\u0000"), "A name may not contain NUL characters.");
const trailPercent = z.number().finite().positive().max(50, "A trail of at most 50 %.");

const fields = {
  name,
  symbol: tradableSymbolSchema.nullable(),
  side: z.enum(["buy", "sell"]),
  type: z.enum(["market", "limit", "stop", "stop_limit", "trailing_stop"]),
  timeInForce: z.enum(["day", "gtc"]),
  qty: qtySchema.nullable(),
  notional: notionalSchema.nullable(),
  trailPrice: priceSchema.nullable(),
  // 4 decimals, as the column keeps them (and the orders' trail_percent).
  trailPercent: trailPercent.refine(places(4), "At most 4 decimal places.").nullable(),
};

export interface TemplateShape {
  type: string;
  timeInForce: string;
  qty: number | null;
  notional: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
}

/** The order rules a whole template must meet, as issues on its fields. */
export function templateIssues(t: TemplateShape): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (t.qty !== null && t.notional !== null) {
    issues.push({ path: "qty", message: "Give qty (shares) or notional (dollars), not both." });
  }
  const fractional = t.qty !== null && !Number.isInteger(t.qty);
  if ((t.notional !== null || fractional) && (t.type !== "market" || t.timeInForce !== "day")) {
    issues.push({
      path: t.notional !== null ? "notional" : "qty",
      message: "Dollar amounts and fractional shares are for market orders with time in force day.",
    });
  }
  if (t.trailPrice !== null && t.trailPercent !== null) {
    issues.push({ path: "trailPrice", message: "Give trailPrice or trailPercent, not both." });
  }
  if (t.type !== "trailing_stop" && (t.trailPrice !== null || t.trailPercent !== null)) {
    issues.push({
      path: "trailPrice",
      message: "trailPrice and trailPercent are only for trailing_stop templates.",
    });
  }
  return issues;
}

function refineWith(t: TemplateShape, ctx: z.RefinementCtx) {
  for (const i of templateIssues(t)) {
    ctx.addIssue({ code: "custom", path: [i.path], message: i.message });
  }
}

export const createTemplateSchema = z.strictObject({
  ...fields,
  symbol: fields.symbol.default(null),
  timeInForce: fields.timeInForce.default("day"),
  qty: fields.qty.default(null),
  notional: fields.notional.default(null),
  trailPrice: fields.trailPrice.default(null),
  trailPercent: fields.trailPercent.default(null),
}).superRefine(refineWith);

export type NewTemplate = z.infer<typeof createTemplateSchema>;

/** A PATCH: any field; the template it makes must still meet the rules (the route checks). */
export const patchTemplateSchema = z.strictObject({
  name: fields.name.optional(),
  symbol: fields.symbol.optional(),
  side: fields.side.optional(),
  type: fields.type.optional(),
  timeInForce: fields.timeInForce.optional(),
  qty: fields.qty.optional(),
  notional: fields.notional.optional(),
  trailPrice: fields.trailPrice.optional(),
  trailPercent: fields.trailPercent.optional(),
}).refine((p) => Object.keys(p).length > 0, "Send at least one field to change.");

export type TemplateChange = z.infer<typeof patchTemplateSchema>;

export const templateIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
