/**
 * The condition editor's model: an entry or exit condition of the rule document as a list of
 * rows ("SMA(20) crosses above SMA(50)") joined by all/any, and back. Pure and zod-free, so it
 * is tested without a browser; the server validates what it writes (`/api/strategies/check`)
 * and its `path: message` errors are matched back to the row they concern.
 *
 * Only flat conditions fit the form: a single comparison, or an `all`/`any` of comparisons.
 * Anything deeper (a `not`, a group inside a group) is reported as not editable here and is
 * left untouched, to be edited in words or in the JSON view.
 */
import type { Doc } from "./draft.ts";

/** Where a condition lives in the rule document. */
export type Slot = "entry" | "exit";

export const COMPARISONS = [
  { op: ">", label: "is above" },
  { op: ">=", label: "is at or above" },
  { op: "<", label: "is below" },
  { op: "<=", label: "is at or below" },
  { op: "crosses_above", label: "crosses above" },
  { op: "crosses_below", label: "crosses below" },
] as const;

/**
 * What an operand can be, as one select: a price field, an indicator, or (on the right only) a
 * number. `period` is the usual window in bars (null: the indicator takes none in the form).
 */
export const SOURCES: { key: string; label: string; period: number | null }[] = [
  { key: "price:close", label: "Close (USD)", period: null },
  { key: "price:open", label: "Open (USD)", period: null },
  { key: "price:high", label: "High (USD)", period: null },
  { key: "price:low", label: "Low (USD)", period: null },
  { key: "price:volume", label: "Volume (shares)", period: null },
  { key: "sma", label: "SMA (USD)", period: 50 },
  { key: "ema", label: "EMA (USD)", period: 20 },
  { key: "rsi", label: "RSI (0–100)", period: 14 },
  { key: "atr", label: "ATR (USD)", period: 14 },
  { key: "roc", label: "Rate of change (%)", period: 10 },
  { key: "stdev", label: "Std deviation (USD)", period: 20 },
  { key: "highest", label: "Highest high (USD)", period: 20 },
  { key: "lowest", label: "Lowest low (USD)", period: 20 },
  { key: "avg_volume", label: "Avg volume (shares)", period: 20 },
  { key: "volume_ratio", label: "Volume ÷ avg of the bars before (×)", period: 20 },
  { key: "atr_pct", label: "ATR % of close (%)", period: 14 },
  { key: "gap_pct", label: "Gap from previous close (%)", period: null },
  { key: "bollinger", label: "Bollinger band (USD)", period: 20 },
  { key: "macd", label: "MACD (12, 26, 9)", period: null },
];

/** The outputs an indicator offers (its first is the default). */
export const OUTPUTS: Record<string, string[]> = {
  bollinger: ["middle", "upper", "lower"],
  macd: ["line", "signal", "histogram"],
};

export const NUMBER = "const";

export interface Group {
  join: "all" | "any";
  rows: Doc[];
}

/** A comparison leaf: `{ left, op, right }`. */
const isLeaf = (c: unknown): c is Doc =>
  !!c && typeof c === "object" && "left" in c && "op" in c && "right" in c;

/**
 * The condition as rows, `{ join: "all", rows: [] }` when there is none, or null when it is
 * deeper than the form shows.
 */
export function groupOf(cond: unknown): Group | null {
  if (cond === undefined || cond === null) return { join: "all", rows: [] };
  if (isLeaf(cond)) return { join: "all", rows: [cond] };
  if (typeof cond !== "object") return null;
  const c = cond as Doc;
  for (const join of ["all", "any"] as const) {
    if (Array.isArray(c[join]) && Object.keys(c).length === 1 && c[join].every(isLeaf)) {
      return { join, rows: c[join] };
    }
  }
  return null;
}

/** The rows as a condition: none, the one comparison, or an all/any of them. */
export function conditionOf(g: Group): Doc | undefined {
  if (g.rows.length === 0) return undefined;
  if (g.rows.length === 1) return g.rows[0];
  return { [g.join]: g.rows };
}

/** A copy of `doc` with the slot's condition replaced (removed when there are no rows). */
export function withGroup(doc: Doc, slot: Slot, g: Group): Doc {
  const d: Doc = structuredClone(doc);
  const c = conditionOf(g);
  if (c === undefined) delete d[slot];
  else d[slot] = c;
  return d;
}

/** The select's key for an operand (`price:close`, `sma`, `const`). */
export function sourceKey(o: Doc | undefined): string {
  if (!o) return "price:close";
  if (o.type === "price") return `price:${o.field ?? "close"}`;
  if (o.type === "indicator") return String(o.name);
  return NUMBER;
}

/** A fresh operand for a key picked in the select, with the indicator's usual period. */
export function operandFor(key: string, keepValue?: unknown): Doc {
  if (key === NUMBER) return { type: "const", value: keepValue ?? 0 };
  if (key.startsWith("price:")) return { type: "price", field: key.slice(6) };
  const info = SOURCES.find((s) => s.key === key);
  const o: Doc = { type: "indicator", name: key };
  if (info?.period) o.period = info.period;
  if (OUTPUTS[key]) o.output = OUTPUTS[key][0];
  return o;
}

/** A number (or parameter reference) as the text in its field. */
export function numText(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "object" && "param" in v) return String((v as { param: unknown }).param);
  return String(v);
}

/**
 * The text typed into a number field: a number, a declared parameter's name (`fast`), or the
 * text as typed so the server's validation names what is wrong; empty is undefined.
 */
export function numFrom(raw: string): unknown {
  const t = raw.trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isNaN(n)) return n;
  if (/^[a-zA-Z][a-zA-Z0-9_]{0,31}$/.test(t)) return { param: t };
  return t;
}

/** A new row: close above its 50-bar SMA (a sensible first condition to edit from). */
export function newRow(): Doc {
  return { left: operandFor("price:close"), op: ">", right: operandFor("sma") };
}

/** The server's `path: message` errors that concern row `i` of the slot's group. */
export function rowErrors(errors: string[], slot: Slot, g: Group, i: number): string[] {
  const prefix = g.rows.length === 1 ? `${slot}.` : `${slot}.${g.join}.${i}.`;
  return errors.filter((e) => e.startsWith(prefix)).map((e) =>
    e.slice(prefix.length).replace(/^left\b\.?/, "Indicator ").replace(
      /^right\b\.?/,
      "Compared with ",
    ).replace(/ :/, ":")
  );
}

/** The server's errors about the slot as a whole ("entry: A strategy needs an entry ..."). */
export function slotErrors(errors: string[], slot: Slot): string[] {
  return errors.filter((e) => e.startsWith(`${slot}: `)).map((e) => e.slice(slot.length + 2));
}

/** Whether the condition editor shows this error under a row or its slot (so the summary need not). */
export function formShows(doc: Doc, error: string): boolean {
  return (["entry", "exit"] as const).some((slot) =>
    (error.startsWith(`${slot}.`) || error.startsWith(`${slot}: `)) && groupOf(doc[slot]) !== null
  );
}
