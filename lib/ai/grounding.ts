/**
 * The grounding check: every figure in an analyst's answer must come from a tool result of that
 * turn or from the user's own message. Numbers that cannot be traced are returned so the screen
 * can mark them "unverified" and the logs can count them. Part of the analyst's contract with
 * the system prompt (lib/ai/prompt.ts) and the tool descriptions (lib/ai/tools/).
 *
 * A figure in the text matches a source number when it equals the source rounded to the
 * decimals the text shows (80.36 ← 80.3625, $80.4 ← 80.36), ignoring sign (prose says "down
 * 1.2 %" for -1.2), thousands separators and `$`; with a k/M/B suffix, when it equals the source
 * at that scale and precision ($1.2M ← 1,234,567); with `%`, also when it is a fraction source
 * × 100 (0.82 % ← 0.0082).
 *
 * Not figures, so not checked: dates and times (2024-01-02, 15:30), years, and small whole
 * numbers without a unit or decimals (counts, "top 5", indicator periods and thresholds like
 * RSI 14 above 70 or SMA 200, and "S&P 500") — a whole number from 0 to 31 or one of 50, 70,
 * 80, 100, 200, 500.
 */
import type { ToolCallRecord } from "./types.ts";

export interface TextNumber {
  /** As written, e.g. `$1,234.50`, `-0.8%`, `1.2M`. */
  raw: string;
  value: number;
  /** Decimals as written. */
  decimals: number;
  percent: boolean;
  scale: number;
  currency: boolean;
  /** Written with separators, currency, percent, decimals or a suffix. */
  marked: boolean;
}

const NUMBER = /(?<![\w.])([-+−]?)(\$)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(%|[kKMB]\b|bn\b)?/g;
const DATE_OR_TIME = /\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?|\b\d{1,2}:\d{2}(?::\d{2})?\b/g;
const LABELS = new Set([50, 70, 80, 100, 200, 500]);
const SCALE: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, B: 1e9, bn: 1e9 };

/** The numbers in `text`, dates and times taken out first. */
export function numbersIn(text: string): TextNumber[] {
  const cleaned = text.replace(DATE_OR_TIME, (m) => " ".repeat(m.length));
  const out: TextNumber[] = [];
  for (const m of cleaned.matchAll(NUMBER)) {
    const [raw, sign, dollar, whole, frac, unit] = m;
    const magnitude = Number(`${whole.replaceAll(",", "")}${frac ? `.${frac}` : ""}`);
    const negative = sign === "-" || sign === "−";
    out.push({
      raw: raw.trim(),
      value: negative ? -magnitude : magnitude,
      decimals: frac?.length ?? 0,
      percent: unit === "%",
      scale: unit && unit !== "%" ? SCALE[unit] : 1,
      currency: dollar === "$",
      marked: Boolean(dollar || unit || frac || whole.includes(",")),
    });
  }
  return out;
}

/** Whether the checker treats `n` as a figure that needs a source. */
export function isFigure(n: TextNumber): boolean {
  if (n.marked) return true;
  const v = Math.abs(n.value);
  if (v <= 31 || LABELS.has(v)) return false;
  return !(v >= 1900 && v <= 2100); // a year
}

/** Every number in a tool's output: numeric leaves, and numbers inside text leaves. */
export function sourceNumbers(value: unknown, into: number[] = []): number[] {
  if (typeof value === "number" && Number.isFinite(value)) into.push(value);
  else if (typeof value === "string") {
    for (const n of numbersIn(value)) into.push(n.value * n.scale);
  } else if (Array.isArray(value)) { for (const v of value) sourceNumbers(v, into); }
  else if (value && typeof value === "object") {
    for (const v of Object.values(value)) sourceNumbers(v, into);
  }
  return into;
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(Math.abs(x) * f + 1e-9) / f;
}

/** Whether the written figure `n` is `source` as the text rounded and scaled it. */
export function matches(n: TextNumber, source: number): boolean {
  const shown = Math.abs(n.value);
  const candidates = n.percent ? [source, source * 100] : [source];
  return candidates.some((s) => {
    const scaled = s / n.scale;
    return Math.abs(roundTo(scaled, n.decimals) - shown) < 1e-9 ||
      // A source already rounded the other way (80.355 shown as 80.36 from 80.35499…).
      Math.abs(Math.abs(scaled) - shown) <= 0.5 * 10 ** -n.decimals + 1e-9;
  });
}

export interface GroundingReport {
  /** Figures that matched no tool output nor the user's message, as written. */
  unverified: string[];
  /** How many figures were checked. */
  checked: number;
}

/** Checks the figures of `text` against the turn's tool results and the user's message. */
export function checkGrounding(
  text: string,
  toolCalls: readonly ToolCallRecord[],
  userMessage = "",
): GroundingReport {
  const sources = sourceNumbers(toolCalls.filter((c) => c.ok).map((c) => c.output));
  sourceNumbers(userMessage, sources);
  const figures = numbersIn(text).filter(isFigure);
  const unverified = figures.filter((n) => !sources.some((s) => matches(n, s))).map((n) => n.raw);
  return { unverified, checked: figures.length };
}
