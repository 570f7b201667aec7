/**
 * The shipped strategy templates, by stable id. Each is an ordinary rule document (parsed by the
 * same schema as a user's), with its tunable numbers declared as parameters so a sweep can vary
 * them.
 *
 * @module
 */
import { type Operand, type Rules, ruleSchema, type RulesInput } from "./schema.ts";

export const TEMPLATE_IDS = [
  "sma-cross",
  "rsi-reversion",
  "donchian-breakout",
  "momentum-rotation",
  "buy-and-hold",
] as const;
export type TemplateId = typeof TEMPLATE_IDS[number];

export interface Template {
  id: TemplateId;
  name: string;
  description: string;
  /** Symbols used when the request names none. */
  defaultSymbols: string[] | "all";
  rules: Rules;
}

const close: Operand = { type: "price", field: "close" };
const p = (param: string) => ({ param });

const DOCS: Record<
  TemplateId,
  { description: string; symbols: string[] | "all"; doc: RulesInput }
> = {
  "sma-cross": {
    description: "Trend following: long while the fast moving average is above the slow one.",
    symbols: ["AAPL"],
    doc: {
      name: "SMA cross",
      params: { fast: { default: 20, min: 2, max: 200 }, slow: { default: 50, min: 5, max: 400 } },
      universe: { type: "symbols", symbols: ["AAPL"] },
      entry: {
        left: { type: "indicator", name: "sma", period: p("fast") },
        op: "crosses_above",
        right: { type: "indicator", name: "sma", period: p("slow") },
      },
      exit: {
        left: { type: "indicator", name: "sma", period: p("fast") },
        op: "crosses_below",
        right: { type: "indicator", name: "sma", period: p("slow") },
      },
      sizing: { method: "equal_weight" },
    },
  },
  "rsi-reversion": {
    description:
      "Mean reversion: buy an oversold dip in an uptrend, sell on the bounce or after 10 bars.",
    symbols: ["AAPL", "MSFT", "JNJ", "PG", "KO"],
    doc: {
      name: "RSI mean reversion",
      params: {
        rsiPeriod: { default: 14, min: 2, max: 50 },
        oversold: { default: 30, min: 5, max: 50 },
        exitAbove: { default: 55, min: 40, max: 90 },
      },
      universe: { type: "symbols", symbols: ["AAPL", "MSFT", "JNJ", "PG", "KO"] },
      entry: {
        all: [
          {
            left: { type: "indicator", name: "rsi", period: p("rsiPeriod") },
            op: "<",
            right: { type: "const", value: p("oversold") },
          },
          { left: close, op: ">", right: { type: "indicator", name: "sma", period: 200 } },
        ],
      },
      exit: {
        left: { type: "indicator", name: "rsi", period: p("rsiPeriod") },
        op: ">",
        right: { type: "const", value: p("exitAbove") },
      },
      exits: { stopLossPercent: 8, maxBars: 10 },
      sizing: { method: "equal_weight" },
    },
  },
  "donchian-breakout": {
    description: "Breakout: buy a close above the 20-day high, sell below the 10-day low.",
    symbols: ["AAPL", "MSFT", "AMZN", "NVDA", "JPM"],
    doc: {
      name: "Donchian breakout",
      params: {
        entryBars: { default: 20, min: 5, max: 100 },
        exitBars: { default: 10, min: 3, max: 100 },
      },
      universe: { type: "symbols", symbols: ["AAPL", "MSFT", "AMZN", "NVDA", "JPM"] },
      entry: {
        left: close,
        op: ">",
        right: {
          type: "indicator",
          name: "highest",
          input: "high",
          period: p("entryBars"),
          barsAgo: 1,
        },
      },
      exit: {
        left: close,
        op: "<",
        right: {
          type: "indicator",
          name: "lowest",
          input: "low",
          period: p("exitBars"),
          barsAgo: 1,
        },
      },
      exits: { atrStop: { period: 14, multiple: 3 } },
      sizing: { method: "equal_weight" },
    },
  },
  "momentum-rotation": {
    description:
      "Monthly rotation: hold the 10 stocks with the best 6-month rate of change, equal weight.",
    symbols: "all",
    doc: {
      name: "Momentum rotation (top 10)",
      params: { lookback: { default: 126, min: 10, max: 252 }, top: { default: 10, min: 1 } },
      universe: { type: "all" },
      timing: { rebalance: "monthly" },
      ranking: {
        by: { type: "indicator", name: "roc", period: p("lookback") },
        order: "desc",
        top: p("top"),
      },
      sizing: { method: "equal_weight" },
      constraints: { maxPositions: p("top") },
    },
  },
  "buy-and-hold": {
    description: "Buy every symbol at the first open, equal weight, and hold to the end.",
    symbols: ["AAPL"],
    doc: {
      name: "Buy and hold",
      universe: { type: "symbols", symbols: ["AAPL"] },
      entry: { left: { type: "const", value: 1 }, op: ">", right: { type: "const", value: 0 } },
      sizing: { method: "equal_weight" },
      constraints: { maxPositions: 200 },
    },
  },
};

export const TEMPLATES: Record<TemplateId, Template> = Object.fromEntries(
  TEMPLATE_IDS.map((id) => {
    const d = DOCS[id];
    const rules = ruleSchema.parse(d.doc);
    return [id, {
      id,
      name: rules.name,
      description: d.description,
      defaultSymbols: d.symbols,
      rules,
    }];
  }),
) as Record<TemplateId, Template>;

export function isTemplateId(id: string): id is TemplateId {
  return (TEMPLATE_IDS as readonly string[]).includes(id);
}
