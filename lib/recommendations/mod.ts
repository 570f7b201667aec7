/**
 * Recommendations: the analyst's structured task over the user's signals, sized from their risk
 * settings, stored per user with their evidence, and scored when their horizon ends.
 *
 * ```ts
 * const r = await generateRecommendations(services, userId, {
 *   onProgress: (p) => console.log(p.progress, p.message),
 * });
 * r.recommendations[0]; // { symbol, action, confidence, entry, stop, target, size, evidence, ... }
 * ```
 *
 * Called by `POST /api/ai/recommendations/refresh` and by the morning routine. Claude answers
 * when `ANTHROPIC_API_KEY` is set, the offline rules (offline.ts) otherwise; either way the
 * answer passes the same zod schema (schema.ts), and then PaiiD's own checks: only symbols that
 * were candidates, one recommendation per symbol, an entry within 10 % of the last close, and
 * the size recomputed from the settings (sizing.ts).
 *
 * @module
 */
import type { Services } from "../services.ts";
import type { AnalystKind } from "../ai/types.ts";
import { recordUsage } from "../ai/conversations.ts";
import { buildAnalystInput } from "./input.ts";
import { offlineRecommendations } from "./offline.ts";
import { answerSchema, type RecommendationDraft } from "./schema.ts";
import { type NewRecommendation, type Recommendation, saveBatch } from "./repo.ts";
import { suggestSize } from "./sizing.ts";

export { scoreMatured } from "./score.ts";
export { listLive, trackRecord } from "./repo.ts";
export type { Recommendation, TrackRecord } from "./repo.ts";

export interface Progress {
  step: "signals" | "analyst" | "checks" | "saved";
  /** 0–1. */
  progress: number;
  message: string;
}

export interface GenerateOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Candidates handed to the analyst (default 8). */
  maxCandidates?: number;
}

export interface GenerateResult {
  recommendations: Recommendation[];
  asOf: string;
  source: string;
  analyst: AnalystKind;
  model: string;
  /** 1, or 2 when the analyst's first answer failed validation. */
  attempts: number;
  /** Answers dropped by the checks after the schema, with why. */
  dropped: { symbol: string; reason: string }[];
  /** Watched or held symbols without data to compute signals from. */
  unavailable: string[];
}

export const INSTRUCTIONS = "Recommend what to do with each candidate: buy, sell, hold, trim " +
  "(reduce a held position) or avoid. Use only the numbers in the input. For each give a " +
  "confidence 0-100 and what it rests on, an entry near the last close, a stop and a target " +
  "consistent with the action (buy/hold: stop < entry < target; sell/trim/avoid: target < entry " +
  "< stop), a horizon in trading days, suggestedShares from risk.riskPerTradePercent of equity " +
  "between entry and stop, reasoning in 2-4 sentences, and the evidence: each signal or data " +
  "point used with its value, source and asOf exactly as in the input. Skip candidates with no " +
  "clear view. sell and trim apply to held positions only.";

const MAX_ENTRY_GAP = 0.1;

export async function generateRecommendations(
  services: Services,
  userId: number,
  opts: GenerateOptions = {},
): Promise<GenerateResult> {
  const progress = (p: Progress) => opts.onProgress?.(p);
  progress({ step: "signals", progress: 0.05, message: "Reading signals for your symbols…" });
  const { input, settings, signals } = await buildAnalystInput(services, userId, {
    maxCandidates: opts.maxCandidates,
  });
  progress({
    step: "analyst",
    progress: 0.35,
    message: `Signals for ${signals.symbols.length} symbols as of ${input.asOf}; asking the ` +
      `${services.analyst.kind === "claude" ? "Claude" : "offline"} analyst about ` +
      `${input.candidates.length} candidates…`,
  });
  const answer = await services.analyst.structured({
    userId,
    task: "recommendations",
    instructions: INSTRUCTIONS,
    input,
    schema: answerSchema,
    offline: () => Promise.resolve(offlineRecommendations(input)),
    signal: opts.signal,
  });
  await recordUsage(
    services.db,
    userId,
    "recommendations",
    answer.analyst,
    answer.model,
    answer.usage,
  );
  progress({ step: "checks", progress: 0.8, message: "Checking levels and sizing…" });
  const bySymbol = new Map(input.candidates.map((c) => [c.symbol, c]));
  const held = new Map(input.portfolio.positions.map((p) => [p.symbol, p.qty]));
  const dropped: GenerateResult["dropped"] = [];
  const seen = new Set<string>();
  const keep: NewRecommendation[] = [];
  for (const r of answer.value.recommendations) {
    const reason = refusal(r, bySymbol.get(r.symbol)?.close, seen);
    if (reason) {
      dropped.push({ symbol: r.symbol, reason });
      continue;
    }
    seen.add(r.symbol);
    const size = suggestSize({
      action: r.action,
      entry: r.entry,
      stop: r.stop,
      equity: input.portfolio.equity,
      heldShares: Math.max(0, held.get(r.symbol) ?? 0),
      settings,
    });
    keep.push({
      ...r,
      suggestedShares: size.shares,
      size,
      evidence: [...r.evidence, {
        signal: "Risk per trade",
        value: size.riskPercent,
        unit: "%",
        detail: size.rule,
        source: "settings",
        asOf: input.asOf,
      }].slice(0, 13),
    });
  }
  const saved = await saveBatch(services.db, userId, keep, {
    asOf: input.asOf,
    source: input.source,
    analyst: answer.analyst,
    model: answer.model,
  });
  progress({
    step: "saved",
    progress: 1,
    message: `${saved.length} idea${saved.length === 1 ? "" : "s"} saved.`,
  });
  services.log.info("recommendations generated", {
    userId,
    analyst: answer.analyst,
    attempts: answer.attempts,
    saved: saved.length,
    dropped: dropped.length,
  });
  return {
    recommendations: saved,
    asOf: input.asOf,
    source: input.source,
    analyst: answer.analyst,
    model: answer.model,
    attempts: answer.attempts,
    dropped,
    unavailable: signals.unavailable,
  };
}

/** Why PaiiD refuses an answer that passed the schema, or null. */
function refusal(r: RecommendationDraft, close: number | undefined, seen: Set<string>) {
  if (close === undefined) return "not one of the candidates";
  if (seen.has(r.symbol)) return "a second recommendation for the symbol";
  if (Math.abs(r.entry / close - 1) > MAX_ENTRY_GAP) {
    return `entry $${r.entry} is more than 10 % from the last close $${close}`;
  }
  return null;
}
