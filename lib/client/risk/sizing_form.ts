/**
 * The position sizer's form as data: which fields each method asks for, and the request body
 * `/api/risk/size` takes. Blank optional fields are left out so the server's defaults (the live
 * quote, 1 % risk, 2 × ATR(14), 10 % volatility target) apply.
 */
export type Method = "fixed_fractional" | "atr" | "volatility_target" | "kelly";

export interface SizingForm {
  symbol: string;
  side: "buy" | "sell";
  method: Method;
  entry: string;
  stop: string;
  riskPercent: string;
  atrMultiple: string;
  targetVolatility: string;
  winRate: string;
  payoffRatio: string;
}

export const METHODS: { id: Method; label: string; fields: (keyof SizingForm)[] }[] = [
  {
    id: "fixed_fractional",
    label: "Fixed fractional (risk % to a stop)",
    fields: ["stop", "riskPercent"],
  },
  { id: "atr", label: "ATR stop", fields: ["riskPercent", "atrMultiple"] },
  { id: "volatility_target", label: "Volatility target", fields: ["targetVolatility"] },
  { id: "kelly", label: "Half Kelly", fields: ["winRate", "payoffRatio"] },
];

export const EMPTY_FORM: SizingForm = {
  symbol: "AAPL",
  side: "buy",
  method: "fixed_fractional",
  entry: "",
  stop: "",
  riskPercent: "1",
  atrMultiple: "2",
  targetVolatility: "10",
  winRate: "",
  payoffRatio: "",
};

/** The body for `/api/risk/size`; a number field that does not parse is sent as text for the
 * server to name in its 400 (one source of truth for the rules). */
export function sizingBody(form: SizingForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    symbol: form.symbol.trim().toUpperCase(),
    side: form.side,
    method: form.method,
  };
  const fields = METHODS.find((m) => m.id === form.method)?.fields ?? [];
  for (const key of ["entry", ...fields] as (keyof SizingForm)[]) {
    const text = form[key].trim();
    if (text === "") continue;
    const n = Number(text);
    // The win rate is typed as a percentage on screen and sent as a fraction.
    body[key] = Number.isFinite(n) ? (key === "winRate" ? n / 100 : n) : text;
  }
  return body;
}

/** Execute Trade, prefilled with the sized order. */
export function ticketUrl(symbol: string, side: "buy" | "sell", shares: number): string {
  const q = new URLSearchParams({ symbol, side, qty: String(shares) });
  return `/execute?${q}`;
}
