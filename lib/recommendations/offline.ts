/**
 * The offline analyst's recommendations: fixed rules over the same input Claude gets
 * (input.ts), with reasoning written from templates filled only with the signals' own numbers.
 *
 * - A held position: sell at a score ≤ −1.5, trim at ≤ −0.5, hold otherwise.
 * - Any other candidate: buy at a score ≥ 0.5, avoid at ≤ −0.5, nothing in between.
 * - Confidence: 50 + 12 × |score|, at most 90, rounded (the share of signals that agree is
 *   named as its basis).
 * - Entry at the last close; stop 2 ATR(14) against the call, target 3 ATR with it (1.5 reward
 *   to risk); horizon 10 trading days.
 *
 * @module
 */
import type { AnalystInput, CandidateInput } from "./input.ts";
import type { Action, Evidence, RecommendationDraft, RecommendationsAnswer } from "./schema.ts";
import { isBullish } from "./schema.ts";

export const OFFLINE_HORIZON_DAYS = 10;
const STOP_ATR = 2;
const TARGET_ATR = 3;

const round2 = (n: number) => Math.round(n * 100) / 100;
const usd = (n: number) => `$${n.toFixed(2)}`;

function actionFor(c: CandidateInput, held: boolean): Action | null {
  if (held) return c.score <= -1.5 ? "sell" : c.score <= -0.5 ? "trim" : "hold";
  return c.score >= 0.5 ? "buy" : c.score <= -0.5 ? "avoid" : null;
}

function recommend(input: AnalystInput, c: CandidateInput): RecommendationDraft | null {
  const position = input.portfolio.positions.find((p) => p.symbol === c.symbol);
  const action = actionFor(c, position !== undefined && position.qty > 0);
  if (!action) return null;
  const bullish = isBullish(action);
  const dir = bullish ? 1 : -1;
  const entry = round2(c.close);
  const atr = Math.max(c.atr, c.close * 0.005);
  const stop = round2(entry - dir * STOP_ATR * atr);
  const target = round2(entry + dir * TARGET_ATR * atr);
  const directional = c.signals.filter((s) => s.direction !== "neutral");
  const agree = directional.filter((s) => (s.direction === "bullish") === bullish);
  const against = directional.filter((s) => (s.direction === "bullish") !== bullish);
  const confidence = Math.min(90, Math.round(50 + 12 * Math.abs(c.score)));
  const evidence: Evidence[] = [
    ...[...agree, ...against].slice(0, 7),
    ...c.signals.filter((s) => s.kind === "volatility"),
  ].map((s) => ({
    signal: s.name,
    value: s.value,
    unit: s.unit || undefined,
    detail: s.detail,
    source: s.source,
    asOf: s.asOf,
  }));
  if (input.regime) {
    evidence.push({
      signal: input.regime.name,
      value: input.regime.value,
      detail: input.regime.detail,
      source: input.regime.source,
      asOf: input.regime.asOf,
    });
  }
  if (position) {
    evidence.push({
      signal: "Position",
      value: position.qty,
      unit: "shares",
      detail: `Held at an average ${usd(position.avgEntryPrice)} a share.`,
      source: input.portfolio.source,
      asOf: input.asOf,
    });
  }
  const verb: Record<Action, string> = {
    buy: "A buy",
    sell: "Sell the position",
    trim: "Trim the position",
    hold: "Hold the position",
    avoid: "Avoid for now",
  };
  const reasons = agree.slice(0, 3).map((s) => s.detail).join(" ");
  const counter = against.length
    ? ` Against it: ${against.slice(0, 2).map((s) => s.detail).join(" ")}`
    : " No signal points the other way.";
  const regime = input.regime ? ` ${input.regime.detail}` : "";
  const reasoning = `${verb[action]}: ${c.symbol} closed at ${usd(c.close)} on ${c.asOf} ` +
    `(${c.source}), signal score ${c.score >= 0 ? "+" : ""}${c.score}. ${
      reasons || "No strong signal either way."
    }${counter} The stop at ${usd(stop)} is ${STOP_ATR} ATR(14) from the entry and the target ` +
    `${usd(target)} is ${TARGET_ATR} ATR, over ${OFFLINE_HORIZON_DAYS} trading days.${regime}`;
  return {
    symbol: c.symbol,
    action,
    confidence,
    confidenceBasis: `${agree.length} of ${directional.length} directional signals agree ` +
      `(score ${c.score}); offline rule 50 + 12 × |score|, at most 90.`,
    entry,
    stop,
    target,
    suggestedShares: 0,
    horizonDays: OFFLINE_HORIZON_DAYS,
    reasoning: reasoning.slice(0, 1500),
    evidence: evidence.slice(0, 12),
  };
}

export function offlineRecommendations(input: AnalystInput): RecommendationsAnswer {
  return {
    recommendations: input.candidates.map((c) => recommend(input, c))
      .filter((r): r is RecommendationDraft => r !== null)
      .slice(0, 10),
  };
}
