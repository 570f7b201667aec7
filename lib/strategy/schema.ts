/**
 * The strategy rule language: one zod schema for a JSON rule document, exported as JSON Schema
 * so the analyst can write one as a tool input. The same document is backtested (lib/backtest/)
 * and, once the strategy builder lands, paper-traded unchanged, so nothing in it depends on how
 * it is run.
 *
 * Any number in the document that a sweep may vary can be written `{ "param": "fast" }` and
 * declared under `params` with its default; `resolveParams` substitutes the values before a run.
 *
 * @module
 */
import { z } from "zod";

const paramRef = z.object({
  param: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,31}$/, "Parameter names are words."),
})
  .strict();

/** A number, or a reference to one of the document's declared parameters. */
const num = z.union([z.number().finite(), paramRef]);
export type Num = z.infer<typeof num>;

/** An indicator's window: a whole number of bars (1 to 1000), or a parameter. */
const bars = z.union([
  // A refinement rather than .int(): zod's int check aborts, and the condition union above
  // would then report a bare "Invalid input" at `entry` instead of this message at the period.
  z.number().min(1, "A period is 1 bar or more.").max(1000, "A period is at most 1000 bars.")
    .refine(Number.isInteger, "A period is a whole number of bars."),
  paramRef,
]);

export const PRICE_FIELDS = ["open", "high", "low", "close", "volume"] as const;
export const INDICATORS = [
  "sma",
  "ema",
  "rsi",
  "atr",
  "macd",
  "bollinger",
  "roc",
  "stdev",
  "highest",
  "lowest",
  "avg_volume",
  "volume_ratio",
  "atr_pct",
  "gap_pct",
] as const;
export type IndicatorName = typeof INDICATORS[number];

// "Bars ago" looks back only: a rule cannot ask for tomorrow's bar. (The engine's look-ahead
// check still re-runs every rule on cut data, for rules compiled by other means.)
const barsAgo = z.number().int().min(0, "Bars ago looks back: 0 or more.").max(500).optional();

/**
 * A factor the operand's value is multiplied by ("1.05 × the lowest low of 252 bars"), so a
 * rule can compare with a level near an indicator rather than at it.
 */
const times = z.union([
  z.number().finite().positive("A factor is a number above 0."),
  paramRef,
]).optional();

const priceOperand = z.object({
  type: z.literal("price"),
  field: z.enum(PRICE_FIELDS).default("close"),
  barsAgo,
  times,
}).strict();

/**
 * Indicators read bars ≤ the operand's own bar. `highest`/`lowest` include that bar (read one bar
 * back for "above the highest high of the n bars before"); `avg_volume` is the mean volume of n
 * bars; `volume_ratio` is the volume ÷ the mean volume of the n bars *before* it (×), so a spike
 * does not inflate its own average; `atr_pct` is ATR(n) ÷ close × 100; `gap_pct` is the open over
 * the previous close, in % (no period).
 */
const indicatorOperand = z.object({
  type: z.literal("indicator"),
  name: z.enum(INDICATORS),
  /** The window in bars (for macd: the signal period is `signal`, the fast/slow ones below). */
  period: bars.optional(),
  input: z.enum(PRICE_FIELDS).optional(),
  /** macd: line/signal/histogram; bollinger: upper/middle/lower. */
  output: z.enum(["line", "signal", "histogram", "upper", "middle", "lower"]).optional(),
  fast: bars.optional(),
  slow: bars.optional(),
  signal: bars.optional(),
  /** bollinger: the band's width in standard deviations. */
  stdDevs: num.optional(),
  barsAgo,
  times,
}).strict();

const constOperand = z.object({ type: z.literal("const"), value: num }).strict();

export const operandSchema = z.discriminatedUnion("type", [
  priceOperand,
  indicatorOperand,
  constOperand,
]);
export type Operand = z.infer<typeof operandSchema>;
export type IndicatorOperand = z.infer<typeof indicatorOperand>;

export const COMPARATORS = [">", "<", ">=", "<=", "crosses_above", "crosses_below"] as const;
export type Comparator = typeof COMPARATORS[number];

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { left: Operand; op: Comparator; right: Operand };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(conditionSchema).min(1).max(20) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1).max(20) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    z.object({ left: operandSchema, op: z.enum(COMPARATORS), right: operandSchema }).strict(),
  ])
);

const sizingSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("fixed_shares"), shares: num }).strict(),
  z.object({ method: z.literal("fixed_cash"), amount: num }).strict(),
  z.object({ method: z.literal("percent_equity"), percent: num }).strict(),
  /** Risk this % of equity between the entry and the stop (needs a stop under exits). */
  z.object({ method: z.literal("risk_percent"), percent: num }).strict(),
  /** Risk this % of equity over `multiple` ATRs. */
  z.object({
    method: z.literal("atr"),
    riskPercent: num,
    period: num.default(14),
    multiple: num.default(2),
  }).strict(),
  /** Size so the position's annualised volatility is `targetPercent` of equity. */
  z.object({ method: z.literal("volatility_target"), targetPercent: num, period: num.default(20) })
    .strict(),
  z.object({ method: z.literal("equal_weight") }).strict(),
  z.object({ method: z.literal("inverse_volatility"), period: num.default(20) }).strict(),
]);
export type Sizing = z.infer<typeof sizingSchema>;

const universeSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("symbols"),
    symbols: z.array(z.string().regex(/^[A-Za-z.\-]{1,10}$/, "A ticker such as AAPL or BRK.B."))
      .min(1).max(200),
  }).strict(),
  z.object({ type: z.literal("sector"), sector: z.string().min(2).max(60) }).strict(),
  z.object({ type: z.literal("all") }).strict(),
]);

export const ruleSchema = z.object({
  name: z.string().min(1).max(100),
  version: z.literal(1).default(1),
  params: z.record(
    z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,31}$/),
    z.object({
      default: z.number().finite(),
      min: z.number().optional(),
      max: z.number().optional(),
    })
      .strict(),
  ).default({}),
  universe: universeSchema,
  benchmark: z.string().default("SPX"),
  timing: z.object({
    signal: z.literal("close").default("close"),
    fill: z.literal("next_open").default("next_open"),
    rebalance: z.union([
      z.enum(["daily", "weekly", "monthly"]),
      z.object({ driftPercent: num }).strict(),
    ]).default("daily"),
  }).strict().default({ signal: "close", fill: "next_open", rebalance: "daily" }),
  entry: conditionSchema.optional(),
  exit: conditionSchema.optional(),
  /** long_short only: when to open and close a short. */
  shortEntry: conditionSchema.optional(),
  shortExit: conditionSchema.optional(),
  ranking: z.object({
    by: operandSchema,
    order: z.enum(["desc", "asc"]).default("desc"),
    top: num,
  }).strict().optional(),
  sizing: sizingSchema.default({ method: "equal_weight" }),
  exits: z.object({
    stopLossPercent: num.optional(),
    atrStop: z.object({ period: num.default(14), multiple: num.default(2) }).strict().optional(),
    takeProfitPercent: num.optional(),
    trailingStopPercent: num.optional(),
    maxBars: num.optional(),
  }).strict().default({}),
  constraints: z.object({
    maxPositions: num.default(10),
    maxWeightPercent: num.default(100),
    sectorCapPercent: num.optional(),
    direction: z.enum(["long", "long_short"]).default("long"),
  }).strict().default({ maxPositions: 10, maxWeightPercent: 100, direction: "long" }),
  costs: z.object({
    commission: z.discriminatedUnion("type", [
      z.object({ type: z.literal("none") }).strict(),
      z.object({
        type: z.literal("per_share"),
        perShare: z.number().min(0).max(1),
        minimum: z.number().min(0).max(100).default(0),
      }).strict(),
      z.object({ type: z.literal("percent"), percent: z.number().min(0).max(5) }).strict(),
    ]).default({ type: "none" }),
    slippageBps: z.number().min(0).max(500).default(0),
    /** `paper_broker`: buys at the ask and sells at the bid of the paper broker's spread model. */
    spread: z.enum(["paper_broker", "none"]).default("paper_broker"),
  }).strict().default({ commission: { type: "none" }, slippageBps: 0, spread: "paper_broker" }),
  priceAdjustment: z.enum(["split", "total_return"]).default("split"),
  startingCash: z.number().min(1000).max(1e9).default(100_000),
}).strict().superRefine((doc, ctx) => {
  if (!doc.entry && !doc.ranking) {
    ctx.addIssue({
      code: "custom",
      path: ["entry"],
      message: "A strategy needs an entry condition or a ranking.",
    });
  }
  if (doc.sizing.method === "risk_percent" && !doc.exits.stopLossPercent && !doc.exits.atrStop) {
    ctx.addIssue({
      code: "custom",
      path: ["sizing", "method"],
      message: "Risk-% sizing needs a stop loss or an ATR stop under exits.",
    });
  }
  if ((doc.shortEntry || doc.shortExit) && doc.constraints.direction !== "long_short") {
    ctx.addIssue({
      code: "custom",
      path: ["constraints", "direction"],
      message: "Short rules need direction long_short.",
    });
  }
  // Every { param } must be declared.
  const walk = (v: unknown, path: (string | number)[]) => {
    if (v && typeof v === "object") {
      if ("param" in v && typeof (v as { param: unknown }).param === "string") {
        const name = (v as { param: string }).param;
        if (!(name in doc.params)) {
          ctx.addIssue({ code: "custom", path, message: `Parameter "${name}" is not declared.` });
        }
        return;
      }
      for (const [k, x] of Object.entries(v)) if (k !== "params") walk(x, [...path, k]);
    }
  };
  walk(doc, []);
});

/** A validated rule document (defaults filled in). */
export type Rules = z.infer<typeof ruleSchema>;
/** What a client may send (defaults optional). */
export type RulesInput = z.input<typeof ruleSchema>;

/** The rule language as JSON Schema (input side: defaults are optional), for tool inputs. */
export function rulesJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ruleSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
}

/**
 * Parses a rule document; a failure is a list of `path: message` lines, each naming where the
 * document is wrong (`entry.all.0.right.period: ...`).
 */
export function parseRules(
  input: unknown,
): { ok: true; rules: Rules } | { ok: false; errors: string[] } {
  const r = ruleSchema.safeParse(input);
  if (r.success) return { ok: true, rules: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${i.path.join(".") || "(document)"}: ${i.message}`),
  };
}

export type ParamValues = Record<string, number>;

/** The value of a `Num` given parameter values (falling back to the declared defaults). */
export function numOf(n: Num, rules: Pick<Rules, "params">, values: ParamValues = {}): number {
  if (typeof n === "number") return n;
  const v = values[n.param] ?? rules.params[n.param]?.default;
  if (v === undefined) throw new Error(`Parameter "${n.param}" is not declared.`);
  return v;
}

/** A copy of the document with every `{ param }` replaced by its number. */
export function resolveParams(rules: Rules, values: ParamValues = {}): Rules {
  for (const k of Object.keys(values)) {
    if (!(k in rules.params)) throw new Error(`Unknown parameter "${k}".`);
  }
  const sub = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sub);
    if (v && typeof v === "object") {
      if ("param" in v && typeof (v as { param: unknown }).param === "string") {
        return numOf(v as Num, rules, values);
      }
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, k === "params" ? x : sub(x)]),
      );
    }
    return v;
  };
  const out = sub(rules) as Rules;
  out.params = Object.fromEntries(
    Object.entries(rules.params).map(([k, p]) => [k, { ...p, default: values[k] ?? p.default }]),
  );
  return out;
}
