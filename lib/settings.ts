/**
 * Per-user settings: one zod schema, stored as jsonb in `user_settings`, always read back
 * through the schema so a stored row from an older release still yields every field.
 */
import { z } from "zod";
import type { Queryable } from "./db/database.ts";
import { symbolSchema } from "./market/symbols.ts";
import { DEFAULT_TOAST_KINDS, NOTIFICATION_KINDS } from "./shared/notification_kinds.ts";
import { DENSITIES, THEMES } from "./shared/appearance.ts";

/** The option permission levels, lowest first (lib/options/structure.ts reads them). */
export const OPTION_LEVEL_NAMES = ["none", "covered", "spreads"] as const;

/** How proposals are approved: by the user each time, or automatically within limits. */
export const APPROVAL_MODES = ["every_order", "auto_within_limits"] as const;

const toastKinds = z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length)
  .transform((list) => [...new Set(list)]);

// The API's own ticker rule (lib/shared/ticker.ts, canonical form out): every watchlist entry
// must be a symbol the market endpoints accept, or asking quotes for the list would fail whole.
const symbol = symbolSchema;

/** Every setting with its default. */
export const settingsSchema = z.object({
  /** 0 = very conservative, 100 = very aggressive. */
  riskTolerance: z.number().int().min(0).max(100).default(50),
  /** Largest single position as a percentage of the account. */
  maxPositionPercent: z.number().gt(0).max(100).default(10),
  /** Default quantity in the order ticket, in shares (fractions allowed). */
  defaultOrderSize: z.number().gt(0).max(1_000_000).default(10),
  watchlist: z.array(symbol).max(50).default(["SPY", "QQQ", "AAPL", "MSFT"])
    .refine((list) => new Set(list).size === list.length, "symbols must not repeat"),
  theme: z.enum(THEMES).default("dark"),
  /** How tightly the screens are packed. */
  density: z.enum(DENSITIES).default("comfortable"),
  /** What the order ticket starts with. */
  defaultOrderType: z.enum(["market", "limit"]).default("market"),
  defaultTimeInForce: z.enum(["day", "gtc"]).default("day"),
  /** Cash a new paper account starts with, USD. */
  startingCash: z.number().min(1_000).max(100_000_000).default(100_000),
  /** Largest single order, USD (estimated at the current price). */
  maxOrderValue: z.number().gt(0).max(100_000_000).default(25_000),
  /** Once today's loss reaches this (USD), only orders that reduce positions go through. */
  dailyLossLimit: z.number().gt(0).max(100_000_000).default(5_000),
  /** Selling shares you do not hold opens a short position; refused unless this is on. */
  allowShortSelling: z.boolean().default(false),
  /**
   * Which option structures may be opened (lib/options/structure.ts): `none`, `covered` (long
   * options, covered calls, cash-secured puts) or `spreads` (those and defined-risk spreads).
   * Naked short options are never allowed; closing is always allowed.
   */
  optionLevel: z.enum(OPTION_LEVEL_NAMES).default("spreads"),
  /** Notification kinds that also pop up a toast (all are kept in the notification centre). */
  toastKinds: toastKinds.default([...DEFAULT_TOAST_KINDS]),
  /**
   * Proposals (lib/proposals/): `every_order` waits for the user's approval of each one;
   * `auto_within_limits` approves at creation what fits both limits below. The kill switch
   * (lib/broker/halt.ts) overrides it: nothing is approved while trading is halted.
   */
  approvalMode: z.enum(APPROVAL_MODES).default("every_order"),
  /** Auto-approval: the largest estimated order value, USD. */
  autoApproveMaxOrderValue: z.number().gt(0).max(100_000_000).default(1_000),
  /** Auto-approval: the most auto-approved value per market session, USD. */
  autoApproveMaxDailyValue: z.number().gt(0).max(100_000_000).default(5_000),
  /**
   * Anonymous usage events from the browser (pages opened, kinds of palette commands, client
   * errors; lib/shared/telemetry.ts). Off until the user turns it on: nothing is sent without
   * their say, and nothing sent names them.
   */
  telemetry: z.boolean().default(false),
  /** PaiiD trades paper only until live trading has its own switch and checks. */
  tradingMode: z.enum(["paper", "live"]).default("paper").refine(
    (m) => m === "paper",
    "live trading is not available: PaiiD trades paper only",
  ),
}).strict();

export type Settings = z.infer<typeof settingsSchema>;

/** A partial update: any subset of the fields, nothing else. */
export const settingsPatchSchema = z.object({
  riskTolerance: settingsSchema.shape.riskTolerance.unwrap().optional(),
  maxPositionPercent: settingsSchema.shape.maxPositionPercent.unwrap().optional(),
  defaultOrderSize: settingsSchema.shape.defaultOrderSize.unwrap().optional(),
  watchlist: z.array(symbol).max(50).refine(
    (list) => new Set(list).size === list.length,
    "symbols must not repeat",
  ).optional(),
  theme: z.enum(THEMES).optional(),
  density: z.enum(DENSITIES).optional(),
  defaultOrderType: z.enum(["market", "limit"]).optional(),
  defaultTimeInForce: z.enum(["day", "gtc"]).optional(),
  startingCash: settingsSchema.shape.startingCash.unwrap().optional(),
  maxOrderValue: settingsSchema.shape.maxOrderValue.unwrap().optional(),
  dailyLossLimit: settingsSchema.shape.dailyLossLimit.unwrap().optional(),
  allowShortSelling: z.boolean().optional(),
  optionLevel: z.enum(OPTION_LEVEL_NAMES).optional(),
  toastKinds: toastKinds.optional(),
  approvalMode: z.enum(APPROVAL_MODES).optional(),
  autoApproveMaxOrderValue: settingsSchema.shape.autoApproveMaxOrderValue.unwrap().optional(),
  autoApproveMaxDailyValue: settingsSchema.shape.autoApproveMaxDailyValue.unwrap().optional(),
  telemetry: z.boolean().optional(),
  tradingMode: z.enum(["paper", "live"]).refine(
    (m) => m === "paper",
    "live trading is not available: PaiiD trades paper only",
  ).optional(),
}).strict();

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** Settings of `userId`, defaults filled in. Fields a newer schema rejects fall back too. */
export async function getSettings(db: Queryable, userId: number): Promise<Settings> {
  const [row] = await db.query<{ settings: Record<string, unknown> }>(
    "select settings from user_settings where user_id = $1",
    [userId],
  );
  return settingsFrom(row?.settings ?? {});
}

/** Parsed once: every order reads a user's settings, and parsing the defaults was most of it. */
const DEFAULTS: Readonly<Settings> = Object.freeze(settingsSchema.parse({}));

/** Stored settings over the defaults; a stored value that no longer parses keeps its default. */
export function settingsFrom(stored: Record<string, unknown>): Settings {
  const out: Record<string, unknown> = { ...DEFAULTS };
  // The list defaults are each caller's own to change.
  for (const [key, value] of Object.entries(out)) if (Array.isArray(value)) out[key] = [...value];
  for (const [key, value] of Object.entries(stored)) {
    const field = settingsSchema.shape[key as keyof Settings];
    const parsed = field?.safeParse(value);
    if (parsed?.success) out[key] = parsed.data;
  }
  return out as Settings;
}

/** Applies `patch` to `userId`'s settings and returns the result. */
export async function updateSettings(
  db: Queryable,
  userId: number,
  patch: SettingsPatch,
): Promise<Settings> {
  const next = settingsSchema.parse({ ...(await getSettings(db, userId)), ...patch });
  await db.query(
    `insert into user_settings (user_id, settings, updated_at) values ($1, $2, now())
     on conflict (user_id) do update set settings = excluded.settings, updated_at = now()`,
    [userId, next],
  );
  return next;
}

/** Puts every setting back to its default. */
export async function resetSettings(db: Queryable, userId: number): Promise<Settings> {
  await db.query("delete from user_settings where user_id = $1", [userId]);
  return settingsSchema.parse({});
}
