/**
 * What the setup island knows of `/api/ai/profile`: the answers it sends, the limits it is
 * answered with, and the form's choices with their labels. Browser code: no zod, no server
 * imports (the server validates everything again).
 */

export interface FormAnswers {
  goals: string;
  experience: "none" | "beginner" | "intermediate" | "advanced";
  horizon: "days" | "weeks" | "months" | "years";
  riskTolerance: "low" | "medium" | "high";
  startingCash: number;
  symbols: string[];
}

export interface Limits {
  maxOrderValue: number;
  maxPositionPercent: number;
  dailyLossLimit: number;
}

export interface InterviewStep {
  done: false;
  index: number;
  total: number;
  question: { key: string; text: string };
  analyst: string;
}

export interface InterviewDone {
  done: true;
  profile: FormAnswers;
  suggested: Limits;
  analyst: string;
}

export const EXPERIENCE_CHOICES = [
  ["none", "None yet"],
  ["beginner", "Beginner"],
  ["intermediate", "Intermediate"],
  ["advanced", "Advanced"],
] as const;

export const HORIZON_CHOICES = [
  ["days", "Days"],
  ["weeks", "Weeks"],
  ["months", "Months"],
  ["years", "Years"],
] as const;

export const RISK_CHOICES = [
  ["low", "Low"],
  ["medium", "Medium"],
  ["high", "High"],
] as const;

export const DEFAULT_ANSWERS: FormAnswers = {
  goals: "",
  experience: "beginner",
  horizon: "months",
  riskTolerance: "medium",
  startingCash: 100_000,
  symbols: [],
};

/** "aapl, msft spy" → ["AAPL", "MSFT", "SPY"], repeats dropped (the server checks each). */
export function splitSymbols(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const s = part.trim().toUpperCase();
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/** The limits the user may edit, with their units. */
export const LIMIT_FIELDS = [
  { key: "maxOrderValue", label: "Largest single order", unit: "USD", step: 1 },
  { key: "maxPositionPercent", label: "Largest position", unit: "% of account", step: 0.1 },
  { key: "dailyLossLimit", label: "Daily loss limit", unit: "USD", step: 1 },
] as const;
