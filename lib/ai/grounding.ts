/**
 * The grounding checker: every number an answer states must come from a tool result of the same
 * turn or from the user's own message. It finds the numbers in the text as written ($80.4,
 * 1,234.5, 0.82 %, -3%, 12.5M) and looks for a source number that, rounded to the text's
 * decimals, is the same: sign-blind (a change of -1.2 may be written "down 1.2"), percent-aware
 * (a fraction 0.0082 may be written 0.82 %) and suffix-aware (12,500,000 may be 12.5M).
 *
 * Not checked, on purpose: ISO dates and clock times (they are labels, not figures), and plain
 * integers up to 10 with no decimals, sign, currency or unit: in prose they count things ("two
 * symbols", "3 positions", "step 1") or name indicator windows, and flagging them would bury the
 * prices that matter under noise.
 */
import type { ToolCallRecord } from "./types.ts";

export interface GroundingReport {
  /** Numbers in the text that no source explains, exactly as written. */
  unverified: string[];
  /** How many numbers were checked (the skipped dates and small counts excluded). */
  checked: number;
}

/** A number as written in text. */
export interface TextNumber {
  raw: string;
  /** The written magnitude without sign, suffix or percent: "12.5M" → 12.5. */
  value: number;
  decimals: number;
  /** 1, 1e3, 1e6, 1e9 or 1e12 for k/M/B/T (and thousand/million/billion/trillion). */
  scale: number;
  percent: boolean;
  signed: boolean;
  currency: boolean;
}

const SCALES: Record<string, number> = {
  k: 1e3,
  K: 1e3,
  thousand: 1e3,
  m: 1e6,
  M: 1e6,
  mn: 1e6,
  million: 1e6,
  b: 1e9,
  B: 1e9,
  bn: 1e9,
  billion: 1e9,
  t: 1e12,
  T: 1e12,
  trillion: 1e12,
};

// Dates, times and clock instants are removed before numbers are read.
const DATE_TIME =
  /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?|\b\d{1,2}:\d{2}(?::\d{2})?\b/g;

const NUMBER = new RegExp(
  String.raw`(?<![\p{L}\p{N}_.])([+\-−]?)(\$?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)` +
    String.raw`(?:\s?(thousand|million|billion|trillion|mn|bn)\b|(k|K|M|B|T)(?![\p{L}\p{N}]))?` +
    String.raw`(\s?%| percent\b)?`,
  "gu",
);

/** The numbers written in `text`, dates and times left out. */
export function extractNumbers(text: string): TextNumber[] {
  const out: TextNumber[] = [];
  const clean = text.replace(DATE_TIME, (m) => " ".repeat(m.length));
  for (const m of clean.matchAll(NUMBER)) {
    const [, sign, dollar, digits, word, letter, pct] = m;
    const plain = digits.replaceAll(",", "");
    const dot = plain.indexOf(".");
    out.push({
      raw: text.slice(m.index!, m.index! + m[0].length).trim(),
      value: Number(plain),
      decimals: dot < 0 ? 0 : plain.length - dot - 1,
      scale: SCALES[word ?? letter ?? ""] ?? 1,
      percent: pct !== undefined,
      signed: sign !== "",
      currency: dollar !== "",
    });
  }
  return out;
}

function isCount(n: TextNumber): boolean {
  return n.decimals === 0 && n.value <= 10 && n.scale === 1 && !n.percent && !n.signed &&
    !n.currency;
}

/** Every number in a tool result: numeric leaves, numbers inside strings, and key names' digits. */
export function sourceNumbers(value: unknown, into: number[] = []): number[] {
  if (typeof value === "number") {
    if (Number.isFinite(value)) into.push(Math.abs(value));
  } else if (typeof value === "string") {
    for (const n of extractNumbers(value)) into.push(n.value * n.scale);
  } else if (Array.isArray(value)) {
    for (const v of value) sourceNumbers(v, into);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      // Keys like `sma50` or `rsi14` carry the indicator's window, which an answer may name.
      for (const d of k.match(/\d+/g) ?? []) into.push(Number(d));
      sourceNumbers(v, into);
    }
  }
  return into;
}

/** Whether `source` (absolute) written the way `n` is written would read as `n`. */
export function matches(n: TextNumber, source: number): boolean {
  // Half a unit in the last written place, with room for binary floating point.
  const tolerance = 0.5 * 10 ** -n.decimals + 1e-9 * Math.max(1, n.value);
  const near = (x: number) => Math.abs(x / n.scale - n.value) <= tolerance;
  if (near(source)) return true;
  // A percentage may be a fraction at the source (0.0082 → 0.82 %).
  return n.percent && near(source * 100);
}

export function checkGrounding(
  text: string,
  toolCalls: readonly ToolCallRecord[],
  userMessage: string,
): GroundingReport {
  const sources = new Set<number>();
  for (const call of toolCalls) {
    if (!call.ok) continue;
    sourceNumbers(call.output).forEach((x) => sources.add(x));
    sourceNumbers(call.input).forEach((x) => sources.add(x));
  }
  sourceNumbers(userMessage).forEach((x) => sources.add(x));
  const list = [...sources];
  const unverified: string[] = [];
  let checked = 0;
  for (const n of extractNumbers(text)) {
    if (isCount(n)) continue;
    checked++;
    if (!list.some((s) => matches(n, s))) unverified.push(n.raw);
  }
  return { unverified, checked };
}
