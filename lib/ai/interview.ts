/**
 * The onboarding interview: the same fields as the form, asked one question at a time. The
 * answers go to the analyst's structured task `onboarding_profile`; the offline analyst runs it
 * as a scripted interview, reading each answer with the plain rules in `parseAnswers`.
 */
import { checkSymbol } from "../shared/ticker.ts";
import type { Analyst, StructuredResult } from "./types.ts";
import { type ProfileAnswers, profileAnswersSchema } from "./profile.ts";

export const QUESTIONS = [
  { key: "goals", text: "What would you like to achieve with PaiiD?" },
  {
    key: "experience",
    text: "How much trading experience do you have: none, beginner, intermediate or advanced?",
  },
  {
    key: "horizon",
    text: "How long do you usually hold an investment: days, weeks, months or years?",
  },
  { key: "riskTolerance", text: "How much risk are you comfortable with: low, medium or high?" },
  { key: "startingCash", text: "How much paper cash would you like to start with, in USD?" },
  { key: "symbols", text: "Which symbols would you like to watch? (e.g. AAPL, MSFT, SPY)" },
] as const;

const DEFAULT_CASH = 100_000;

// Words a list of symbols is often written with that also look like tickers.
const NOT_SYMBOLS = new Set(["AND", "OR", "THE", "I", "A", "NONE", "NO", "MAYBE", "ALSO", "PLUS"]);

function pick<T extends string>(text: string, rules: [RegExp, T][], fallback: T): T {
  for (const [re, value] of rules) if (re.test(text)) return value;
  return fallback;
}

/** Dollars in "25k", "$1.5 million", "100,000"; undefined when none is named. */
export function parseCash(text: string): number | undefined {
  const m = text.replaceAll(",", "").match(/(\d+(?:\.\d+)?)\s*(k|thousand|m|million)?\b/i);
  if (!m) return undefined;
  const unit = (m[2] ?? "").toLowerCase();
  const scale = unit.startsWith("k") || unit === "thousand"
    ? 1_000
    : unit.startsWith("m")
    ? 1_000_000
    : 1;
  return Math.round(Number(m[1]) * scale);
}

/** The scripted reading of the interview's answers, in the order of `QUESTIONS`. */
export function parseAnswers(answers: string[]): ProfileAnswers {
  const [goals = "", experience = "", horizon = "", risk = "", cash = "", symbols = ""] = answers
    .map((a) => a.trim());
  const symbolList: string[] = [];
  for (const word of symbols.split(/[\s,;]+/)) {
    const r = checkSymbol(word);
    if (r.ok && !NOT_SYMBOLS.has(r.symbol) && !symbolList.includes(r.symbol)) {
      symbolList.push(r.symbol);
    }
  }
  const amount = parseCash(cash) ?? DEFAULT_CASH;
  return profileAnswersSchema.parse({
    goals: goals.slice(0, 500),
    experience: pick(experience.toLowerCase(), [
      [/advanced|expert|professional|many years/, "advanced"],
      [/intermediate|moderate|few years|some years/, "intermediate"],
      [/none|never|no experience|^no\b/, "none"],
    ], "beginner"),
    horizon: pick(horizon.toLowerCase(), [
      [/year|long/, "years"],
      [/month/, "months"],
      [/week/, "weeks"],
      [/day|intraday|short/, "days"],
    ], "months"),
    riskTolerance: pick(risk.toLowerCase(), [
      [/low|conservative|cautious|safe|little/, "low"],
      [/high|aggressive|a lot/, "high"],
    ], "medium"),
    startingCash: Math.min(100_000_000, Math.max(1_000, amount)),
    symbols: symbolList.slice(0, 50),
  });
}

const INSTRUCTIONS = `You interviewed a new PaiiD user to set up their paper-trading profile. ` +
  `Each input item is one question and the user's answer. Produce their profile: goals in their ` +
  `own words; experience, horizon and risk tolerance as the closest allowed value; startingCash in ` +
  `USD (100000 when they named no amount, within 1000..100000000); symbols as US tickers they ` +
  `named, none invented.`;

/** Runs the structured task over the complete answers. */
export async function profileFromInterview(
  analyst: Analyst,
  userId: number,
  answers: string[],
  signal?: AbortSignal,
): Promise<StructuredResult<ProfileAnswers>> {
  return await analyst.structured({
    userId,
    task: "onboarding_profile",
    instructions: INSTRUCTIONS,
    input: QUESTIONS.map((q, i) => ({ question: q.text, answer: answers[i] })),
    schema: profileAnswersSchema,
    offline: () => Promise.resolve(parseAnswers(answers)),
    signal,
  });
}
