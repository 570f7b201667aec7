/**
 * zod schemas of the Alpaca Trading API responses PaiiD reads (shared/api-contracts/alpaca.md).
 * Decimals stay strings here (`dec`); map.ts converts them deliberately. Unknown fields are
 * dropped (zod objects strip by default, §3.6), nullable fields accept null (§3.4), and the
 * account fields Alpaca removed on 2026-07-06 (daytrade_count and friends, §4) are optional.
 *
 * @module
 */
import { z } from "zod";

/** A decimal as Alpaca sends it: a string ("174.78"); a stray JSON number is accepted too. */
const dec = z.union([z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/), z.number()])
  .transform(String);
const decOrNull = dec.nullable().optional().transform((v) => v ?? null);
const timeOrNull = z.string().nullable().optional().transform((v) => v ?? null);

// §4 — only what the seam shows; the rest is ignored.
export const accountSchema = z.object({
  id: z.string(),
  status: z.string(),
  currency: z.string(),
  cash: dec,
  equity: dec,
  last_equity: dec,
  long_market_value: dec,
  short_market_value: dec,
  buying_power: dec,
  portfolio_value: dec.optional(),
  daytrading_buying_power: dec.optional(),
  daytrade_count: z.number().optional(),
  pattern_day_trader: z.boolean().optional(),
  trading_blocked: z.boolean().optional(),
  account_blocked: z.boolean().optional(),
  created_at: z.string().optional(),
  // Integers 0–3 (§4): 0 = no options, 1 = covered, 2 = + long options, 3 = + spreads.
  options_trading_level: z.number().int().optional(),
  options_approved_level: z.number().int().optional(),
  options_buying_power: dec.optional(),
});
export type AlpacaAccount = z.output<typeof accountSchema>;

// §5.1 — the fields of an order and of each of its legs.
const orderFields = {
  id: z.string().min(1),
  client_order_id: z.string(),
  created_at: z.string(),
  updated_at: timeOrNull,
  submitted_at: timeOrNull,
  filled_at: timeOrNull,
  expired_at: timeOrNull,
  canceled_at: timeOrNull,
  failed_at: timeOrNull,
  replaced_at: timeOrNull,
  replaced_by: z.string().nullable().optional().transform((v) => v ?? null),
  replaces: z.string().nullable().optional().transform((v) => v ?? null),
  // "" on mleg parents (§3.5): the legs carry the contracts.
  symbol: z.string(),
  asset_class: z.string().optional(),
  notional: decOrNull,
  qty: decOrNull,
  filled_qty: dec,
  filled_avg_price: decOrNull,
  // "" means simple (§3.5).
  order_class: z.string().optional().transform((v) => v || "simple"),
  type: z.string(),
  side: z.string(),
  // May be absent (§5.1); "" read as absent too.
  position_intent: z.string().nullable().optional().transform((v) => v || null),
  time_in_force: z.string(),
  limit_price: decOrNull,
  stop_price: decOrNull,
  status: z.string(),
  extended_hours: z.boolean().optional(),
  trail_percent: decOrNull,
  trail_price: decOrNull,
  hwm: decOrNull,
  // mleg legs only.
  ratio_qty: decOrNull,
};

/** A child order: a bracket's exit or an mleg's contract, never with legs of its own. */
export const legOrderSchema = z.object(orderFields);
export type AlpacaLegOrder = z.output<typeof legOrderSchema>;

export const orderSchema = z.object({
  ...orderFields,
  legs: z.array(legOrderSchema).nullable().optional().transform((v) => v ?? null),
});
export type AlpacaOrder = z.output<typeof orderSchema>;
export const ordersSchema = z.array(orderSchema);

// §6.1
export const positionSchema = z.object({
  asset_id: z.string().optional(),
  symbol: z.string(),
  exchange: z.string().optional(),
  asset_class: z.string().optional(),
  qty: dec,
  qty_available: dec.optional(),
  avg_entry_price: dec,
  side: z.enum(["long", "short"]),
  market_value: decOrNull,
  cost_basis: dec,
  unrealized_pl: decOrNull,
  unrealized_plpc: decOrNull,
  unrealized_intraday_pl: decOrNull,
  unrealized_intraday_plpc: decOrNull,
  current_price: decOrNull,
  lastday_price: decOrNull,
  change_today: decOrNull,
});
export type AlpacaPosition = z.output<typeof positionSchema>;
export const positionsSchema = z.array(positionSchema);

// §7 — a fill, or anything else (dividends, fees, ...) kept loosely.
export const fillActivitySchema = z.object({
  id: z.string().min(1),
  activity_type: z.literal("FILL"),
  transaction_time: z.string(),
  type: z.string(),
  price: dec,
  qty: dec,
  side: z.enum(["buy", "sell"]),
  symbol: z.string(),
  leaves_qty: decOrNull,
  cum_qty: decOrNull,
  order_id: z.string(),
  order_status: z.string().optional(),
});
export type AlpacaFillActivity = z.output<typeof fillActivitySchema>;

export const otherActivitySchema = z.object({
  id: z.string().min(1),
  activity_type: z.string().refine((t) => t !== "FILL", "a FILL must be a full fill activity"),
  date: z.string().nullable().optional(),
  activity_sub_type: z.string().nullable().optional(),
  net_amount: decOrNull,
  symbol: z.string().nullable().optional(),
  // The signed change to the holding, per Alpaca's page on option events (the contract is
  // silent): OPEXP/OPEXC/OPASN give the contracts that left (-2 = two long ones, 2 = two short
  // ones), OPTRD the shares that exercise or assignment bought (+) or sold (−).
  qty: decOrNull,
  price: decOrNull,
  per_share_amount: decOrNull,
  status: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
});
export type AlpacaOtherActivity = z.output<typeof otherActivitySchema>;

export const activitySchema = z.union([fillActivitySchema, otherActivitySchema]);
export type AlpacaActivity = z.output<typeof activitySchema>;
export const activitiesSchema = z.array(activitySchema);
/** A page read before its entries are, so one unreadable entry does not sink the page. */
export const activityPageSchema = z.array(z.looseObject({ id: z.string().min(1) }));

/**
 * The FILLs of one activities page, and the entries that do not read as the contract says
 * (skipped, so one odd entry cannot stop every later fill from being booked).
 */
export function readFillPage(page: { id: string; activity_type?: unknown }[]): {
  fills: AlpacaFillActivity[];
  unreadable: { id: string; error: string }[];
} {
  const fills: AlpacaFillActivity[] = [];
  const unreadable: { id: string; error: string }[] = [];
  for (const raw of page) {
    // A FILL is judged as a FILL, so the error names its field rather than the union's.
    const a = raw.activity_type === "FILL"
      ? fillActivitySchema.safeParse(raw)
      : activitySchema.safeParse(raw);
    if (!a.success) {
      const error = a.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      unreadable.push({ id: raw.id, error });
    } else if (a.data.activity_type === "FILL") fills.push(a.data as AlpacaFillActivity);
  }
  return { fills, unreadable };
}

// §8 — real JSON numbers here, parallel arrays; equity and pct entries may be null.
export const portfolioHistorySchema = z.object({
  timestamp: z.array(z.number()),
  equity: z.array(z.number().nullable()),
  profit_loss: z.array(z.number().nullable()),
  profit_loss_pct: z.array(z.number().nullable()),
  base_value: z.number().nullable().optional().transform((v) => v ?? null),
  base_value_asof: z.string().optional(),
  timeframe: z.string(),
}).refine(
  (h) => h.equity.length === h.timestamp.length && h.profit_loss.length === h.timestamp.length,
  "portfolio history arrays differ in length",
);
export type AlpacaPortfolioHistory = z.output<typeof portfolioHistorySchema>;

// §9
export const clockSchema = z.object({
  timestamp: z.string(),
  is_open: z.boolean(),
  next_open: z.string(),
  next_close: z.string(),
});
export type AlpacaClock = z.output<typeof clockSchema>;

// §12 — `code` is missing on some gateway errors; extra context fields are kept.
export const errorBodySchema = z.looseObject({
  code: z.number().optional(),
  message: z.string().optional(),
});
