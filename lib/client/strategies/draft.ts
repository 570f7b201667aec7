/**
 * The Strategy Builder's form fields over the rule document's JSON: reading a field out of the
 * document and writing it back, so the form, the JSON view and the words box edit one document.
 * Pure, so it is tested without a browser; the server validates (`/api/strategies/check`).
 */

// deno-lint-ignore no-explicit-any
export type Doc = Record<string, any>;

export type Field =
  | "symbols"
  | "sizingPercent"
  | "stopLossPercent"
  | "takeProfitPercent"
  | "trailingStopPercent"
  | "maxBars"
  | "maxPositions"
  | "slippageBps"
  | "rebalance";

export const FIELDS: { key: Field; label: string; unit: string }[] = [
  { key: "symbols", label: "Symbols (empty: every shipped stock)", unit: "" },
  { key: "sizingPercent", label: "Position size, % of equity (empty: equal weight)", unit: "%" },
  { key: "stopLossPercent", label: "Stop loss", unit: "%" },
  { key: "takeProfitPercent", label: "Profit target", unit: "%" },
  { key: "trailingStopPercent", label: "Trailing stop", unit: "%" },
  { key: "maxBars", label: "Exit after, bars", unit: "bars" },
  { key: "maxPositions", label: "Max positions", unit: "" },
  { key: "slippageBps", label: "Slippage, bps", unit: "bps" },
  { key: "rebalance", label: "Rebalance (daily, weekly, monthly)", unit: "" },
];

/** The JSON text as a document, or the reason it is not one. */
export function readDoc(text: string): { ok: true; doc: Doc } | { ok: false; message: string } {
  try {
    const doc = JSON.parse(text);
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
      return { ok: false, message: "The rules must be a JSON object." };
    }
    return { ok: true, doc };
  } catch (err) {
    return { ok: false, message: `Not valid JSON: ${(err as Error).message}` };
  }
}

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

export function fieldValue(doc: Doc, f: Field): string {
  switch (f) {
    case "symbols":
      return doc.universe?.type === "symbols"
        ? (doc.universe.symbols ?? []).join(", ")
        : doc.universe?.type === "sector"
        ? `sector: ${doc.universe.sector}`
        : "";
    case "sizingPercent":
      return doc.sizing?.method === "percent_equity" ? str(doc.sizing.percent) : "";
    case "maxPositions":
      return str(doc.constraints?.maxPositions);
    case "slippageBps":
      return str(doc.costs?.slippageBps);
    case "rebalance":
      return typeof doc.timing?.rebalance === "string" ? doc.timing.rebalance : "";
    default:
      return str(doc.exits?.[f]);
  }
}

/** A copy of `doc` with the field set from the text typed (empty: removed / the default). */
export function withField(doc: Doc, f: Field, raw: string): Doc {
  const d: Doc = structuredClone(doc);
  const t = raw.trim();
  const n = t === "" ? undefined : Number(t);
  const num = n === undefined || Number.isNaN(n) ? t === "" ? undefined : t : n;
  switch (f) {
    case "symbols": {
      if (t.startsWith("sector:")) {
        d.universe = { type: "sector", sector: t.slice(7).trim() };
      } else {
        const symbols = t.split(/[\s,]+/).map((s) => s.toUpperCase()).filter(Boolean);
        d.universe = symbols.length ? { type: "symbols", symbols } : { type: "all" };
      }
      break;
    }
    case "sizingPercent":
      d.sizing = num === undefined
        ? { method: "equal_weight" }
        : { method: "percent_equity", percent: num };
      break;
    case "maxPositions":
      d.constraints = { ...d.constraints, maxPositions: num };
      if (num === undefined) delete d.constraints.maxPositions;
      break;
    case "slippageBps":
      d.costs = { ...d.costs, slippageBps: num };
      if (num === undefined) delete d.costs.slippageBps;
      break;
    case "rebalance":
      d.timing = { ...d.timing, rebalance: t || undefined };
      if (!t) delete d.timing.rebalance;
      break;
    default:
      d.exits = { ...d.exits, [f]: num };
      if (num === undefined) delete d.exits[f];
  }
  return d;
}

/** An empty strategy to start from scratch: every shipped stock, nothing else yet. */
export function scratch(): Doc {
  return { name: "My strategy", universe: { type: "all" }, entry: undefined };
}
