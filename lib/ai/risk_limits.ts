/**
 * Suggested risk limits from an onboarding profile: a fixed table, so the same answers always
 * give the same suggestion and a user can read why. The user confirms (or edits) them before
 * they are written into settings (lib/settings.ts), where lib/broker/checks.ts enforces them.
 *
 * | risk tolerance | max order (% of cash) | max position % | daily loss (% of cash) |
 * | -------------- | --------------------- | -------------- | ---------------------- |
 * | low            | 5                     | 5              | 1                      |
 * | medium         | 10                    | 10             | 2                      |
 * | high           | 20                    | 20             | 4                      |
 *
 * Experience scales all three: none × 0.5, beginner × 0.75, intermediate × 1, advanced × 1.25,
 * because a first-time trader's mistakes should stay small. Money is rounded down to whole
 * dollars, percentages to one decimal, and every value is kept within the settings' bounds.
 *
 * @module
 */
import type { Settings } from "../settings.ts";

export type RiskTolerance = "low" | "medium" | "high";
export type Experience = "none" | "beginner" | "intermediate" | "advanced";

export interface RiskInputs {
  riskTolerance: RiskTolerance;
  experience: Experience;
  /** Starting paper cash, USD. */
  startingCash: number;
}

export type SuggestedLimits = Pick<
  Settings,
  "maxOrderValue" | "maxPositionPercent" | "dailyLossLimit" | "riskTolerance"
>;

const BY_TOLERANCE: Record<RiskTolerance, { order: number; position: number; loss: number }> = {
  low: { order: 5, position: 5, loss: 1 },
  medium: { order: 10, position: 10, loss: 2 },
  high: { order: 20, position: 20, loss: 4 },
};

const EXPERIENCE_SCALE: Record<Experience, number> = {
  none: 0.5,
  beginner: 0.75,
  intermediate: 1,
  advanced: 1.25,
};

/** The settings' 0-100 risk score each answer maps to. */
const TOLERANCE_SCORE: Record<RiskTolerance, number> = { low: 25, medium: 50, high: 75 };

const MAX_MONEY = 100_000_000;

function money(value: number): number {
  return Math.min(MAX_MONEY, Math.max(1, Math.floor(value)));
}

/** The suggestion for `inputs`, per the table above. */
export function suggestLimits(inputs: RiskInputs): SuggestedLimits {
  const row = BY_TOLERANCE[inputs.riskTolerance];
  const scale = EXPERIENCE_SCALE[inputs.experience];
  const pct = (p: number) => p * scale / 100;
  return {
    maxOrderValue: money(inputs.startingCash * pct(row.order)),
    maxPositionPercent: Math.min(100, Math.round(row.position * scale * 10) / 10),
    dailyLossLimit: money(inputs.startingCash * pct(row.loss)),
    riskTolerance: TOLERANCE_SCORE[inputs.riskTolerance],
  };
}
