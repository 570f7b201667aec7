/**
 * The option strategy builder's legs as form data, the body `/api/risk/options/analyze` takes,
 * and how its answer is read on screen. Blank premium and IV fields are left out so the chain's
 * values apply; the IV is typed in percent and sent as a fraction.
 */
import { formatUsd } from "../../shared/money.ts";

export type LegType = "call" | "put" | "stock";

export interface LegDraft {
  /** Stable key for the row. */
  id: number;
  type: LegType;
  side: "buy" | "sell";
  /** Strike as text ("" for stock). */
  strike: string;
  expiration: string;
  /** Contracts (shares for stock). */
  quantity: string;
  /** USD per share; blank = the chain's mid (the quote for stock). */
  premium: string;
  /** Percent; blank = the chain's IV. */
  iv: string;
}

/** A template's leg as `GET /api/risk/options/templates` gives it. */
export interface TemplateLeg {
  type: LegType;
  side: "buy" | "sell";
  strike?: number;
  expiration?: string;
  quantity: number;
}

export interface TemplateInfo {
  id: string;
  label: string;
  description: string;
  legs?: TemplateLeg[] | null;
  unavailable?: string;
}

export interface AnalyzedLeg {
  type: LegType;
  side: "buy" | "sell";
  quantity: number;
  premium: number;
  premiumSource: string;
  strike?: number;
  expiration?: string;
  iv?: number;
  ivSource?: string;
  contract?: string | null;
}

export interface Analysis {
  symbol: string;
  today: string;
  underlyingPrice: number;
  legs: AnalyzedLeg[];
  net: { amount: number; kind: "debit" | "credit" | "even" };
  expiration: string;
  breakevens: number[];
  maxProfit: number | "unlimited";
  maxLoss: number | "unlimited";
  probabilityOfProfit: number;
  greeks: { delta: number; gamma: number; theta: number; vega: number; rho: number };
  curves: { prices: number[]; series: { label: string; date: string; pnl: number[] }[] };
  table: { prices: number[]; dates: string[]; pnl: number[][] };
  prices: string;
  chain: string;
  ivShift: number;
}

let nextId = 1;

export function newLeg(partial: Partial<Omit<LegDraft, "id">> = {}): LegDraft {
  return {
    id: nextId++,
    type: "call",
    side: "buy",
    strike: "",
    expiration: "",
    quantity: "1",
    premium: "",
    iv: "",
    ...partial,
  };
}

export function draftsFromTemplate(legs: readonly TemplateLeg[]): LegDraft[] {
  return legs.map((l) =>
    newLeg({
      type: l.type,
      side: l.side,
      strike: l.strike === undefined ? "" : String(l.strike),
      expiration: l.expiration ?? "",
      quantity: String(l.quantity),
    })
  );
}

/** A number when the text is one, else the text itself for the server to name in its 400. */
function numberOrText(text: string): number | string {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

export function analyzeBody(
  symbol: string,
  legs: readonly LegDraft[],
  ivShiftPercent: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    symbol: symbol.trim().toUpperCase(),
    legs: legs.map((l) => {
      const leg: Record<string, unknown> = {
        type: l.type,
        side: l.side,
        quantity: numberOrText(l.quantity.trim()),
      };
      if (l.type !== "stock") {
        leg.strike = numberOrText(l.strike.trim());
        leg.expiration = l.expiration;
        const iv = l.iv.trim();
        if (iv !== "") {
          const n = numberOrText(iv);
          leg.iv = typeof n === "number" ? n / 100 : n;
        }
      }
      if (l.premium.trim() !== "") leg.premium = numberOrText(l.premium.trim());
      return leg;
    }),
  };
  const shift = ivShiftPercent.trim();
  if (shift !== "" && shift !== "0") {
    const n = numberOrText(shift);
    body.ivShift = typeof n === "number" ? n / 100 : n;
  }
  return body;
}

/** "$1,234.00", or "Unlimited". */
export function formatLimit(x: number | "unlimited"): string {
  return x === "unlimited" ? "Unlimited" : formatUsd(x);
}

/** "$12.00 debit" / "$30.00 credit" / "Even". */
export function formatNet(net: Analysis["net"]): string {
  return net.kind === "even" ? "Even" : `${formatUsd(Math.abs(net.amount))} ${net.kind}`;
}

export function formatBreakevens(b: readonly number[]): string {
  return b.length === 0 ? "None" : b.map((x) => formatUsd(x)).join(" and ");
}

/** What the answer's labels mean, for the note beside the results. */
export function sourceNote(a: Pick<Analysis, "prices" | "chain">): string {
  const chain = a.chain === "replay-model"
    ? "the replay's modelled option chain (Black-Scholes on realized volatility, not quotes)"
    : `the ${a.chain} option chain`;
  const prices = a.prices === "replay" ? "replay prices" : `${a.prices} prices`;
  return `Premiums and IVs left blank come from ${chain}; underlying at ${prices}.`;
}

/** The fill-in hint for a blank premium or IV: the chain's value the answer used. */
export function placeholderFor(a: Analysis | null, index: number, field: "premium" | "iv") {
  const leg = a?.legs[index];
  if (!leg) return field === "premium" ? "chain mid" : "chain IV";
  if (field === "premium") return String(leg.premium);
  return leg.iv === undefined ? "" : (leg.iv * 100).toFixed(1);
}
