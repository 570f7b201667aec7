/**
 * What a recommendation is, as the analyst's structured task must answer it (zod, fed to Claude
 * as the `answer` tool's JSON Schema, and checked again on the offline analyst's output).
 *
 * Levels must agree with the action: a bullish call (buy, hold) has stop < entry < target, a
 * bearish one (sell, trim, avoid) target < entry < stop. The suggested size the analyst gives is
 * replaced by PaiiD's own arithmetic from the user's risk settings (sizing.ts) before storing.
 *
 * @module
 */
import { z } from "zod";

export const ACTIONS = ["buy", "sell", "hold", "trim", "avoid"] as const;
export type Action = typeof ACTIONS[number];

/** Bullish calls expect the price to rise; bearish ones expect it to fall (or lag). */
export function isBullish(action: Action): boolean {
  return action === "buy" || action === "hold";
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A date as YYYY-MM-DD.");

export const evidenceSchema = z.object({
  /** The signal or data point: `Price vs SMA 50`, `RSI 14`, `Position P&L`. */
  signal: z.string().min(1).max(80),
  value: z.union([z.number().finite(), z.string().max(80)]),
  unit: z.string().max(20).optional(),
  detail: z.string().max(300).optional(),
  /** Where the value came from: `replay`, `tradier`, `paper`, `settings`, `regime model`. */
  source: z.string().min(1).max(40),
  /** The day the value describes. */
  asOf: day,
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const recommendationSchema = z.object({
  symbol: z.string().regex(/^[A-Z][A-Z.]{0,9}$/, "A ticker such as AAPL."),
  action: z.enum(ACTIONS),
  confidence: z.number().min(0).max(100),
  /** What the confidence rests on, in a sentence. */
  confidenceBasis: z.string().min(1).max(400),
  entry: z.number().positive(),
  stop: z.number().positive(),
  target: z.number().positive(),
  /** Shares; PaiiD recomputes it from the user's risk per trade. */
  suggestedShares: z.number().int().min(0).max(1_000_000),
  horizonDays: z.number().int().min(1).max(60),
  reasoning: z.string().min(20).max(1500),
  evidence: z.array(evidenceSchema).min(1).max(12),
}).superRefine((r, ctx) => {
  const ok = isBullish(r.action)
    ? r.stop < r.entry && r.entry < r.target
    : r.target < r.entry && r.entry < r.stop;
  if (!ok) {
    ctx.addIssue({
      code: "custom",
      path: ["stop"],
      message: isBullish(r.action)
        ? `${r.action}: needs stop < entry < target`
        : `${r.action}: needs target < entry < stop`,
    });
  }
});
export type RecommendationDraft = z.infer<typeof recommendationSchema>;

export const answerSchema = z.object({
  recommendations: z.array(recommendationSchema).max(10),
});
export type RecommendationsAnswer = z.infer<typeof answerSchema>;
