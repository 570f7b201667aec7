/**
 * What the API accepts as a symbol, before any source is asked: a US ticker
 * (`^[A-Z]{1,5}([.-][A-Z])?$`, e.g. `AAPL`, `BRK.B`, `BRK-B`) or one of the index symbols, also
 * under their common aliases (`^GSPC` and `$SPX` are the S&P 500). Input is trimmed and
 * upper-cased first. Whether a well-formed symbol exists is the source's call (404 there).
 *
 * @module
 */
import { z } from "zod";

/** Stock and ETF tickers, with an optional class suffix. */
export const TICKER = /^[A-Z]{1,5}([.-][A-Z])?$/;

/** The index symbols PaiiD names, with what they are. Replay ships SPX and VIX. */
export const INDEX_SYMBOLS = {
  SPX: "S&P 500",
  VIX: "CBOE Volatility Index",
  DJI: "Dow Jones Industrial Average",
  COMP: "Nasdaq Composite",
} as const;

export type IndexSymbol = keyof typeof INDEX_SYMBOLS;

/** Other spellings of the index symbols (Yahoo's `^`, other vendors' `$`). */
const INDEX_ALIASES: Record<string, IndexSymbol> = {
  "^GSPC": "SPX",
  "$SPX": "SPX",
  "^SPX": "SPX",
  "GSPC": "SPX",
  "^VIX": "VIX",
  "$VIX": "VIX",
  "^DJI": "DJI",
  "$DJI": "DJI",
  "^IXIC": "COMP",
  "$COMP": "COMP",
};

/** The indexes shown on the radial centre for each source. */
export const HEADLINE_INDEXES = {
  tradier: ["DJI", "COMP", "SPX"],
  replay: ["SPX", "VIX"],
} as const satisfies Record<string, readonly IndexSymbol[]>;

export type SymbolCheck = { ok: true; symbol: string } | { ok: false; message: string };

/** Checks and canonicalizes one symbol; `message` says what is wrong with a malformed one. */
export function checkSymbol(input: string): SymbolCheck {
  const raw = input.trim().toUpperCase();
  if (raw === "") return { ok: false, message: "The symbol is empty." };
  const alias = INDEX_ALIASES[raw];
  if (alias) return { ok: true, symbol: alias };
  if (raw in INDEX_SYMBOLS) return { ok: true, symbol: raw };
  if (TICKER.test(raw)) return { ok: true, symbol: raw };
  const shown = JSON.stringify(input.slice(0, 20));
  if (raw.length > 7) {
    return { ok: false, message: `Symbol ${shown} is too long: tickers have 1 to 5 letters.` };
  }
  return {
    ok: false,
    message: `Symbol ${shown} is not a ticker (1 to 5 letters, optionally .X or -X for a ` +
      `share class, e.g. BRK.B) nor an index (${Object.keys(INDEX_SYMBOLS).join(", ")}).`,
  };
}

/** Zod schema for one symbol: canonical form out, the reason in the issue message. */
export const symbolSchema = z.string().transform((input, ctx) => {
  const r = checkSymbol(input);
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: r.message });
    return z.NEVER;
  }
  return r.symbol;
});

/** Most symbols one request may name. */
export const MAX_SYMBOLS = 50;

/** Zod schema for a comma-separated list: de-duplicated, 1 to `MAX_SYMBOLS`. */
export const symbolListSchema = z.string().transform((input, ctx) => {
  const parts = input.split(",").map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) {
    ctx.addIssue({ code: "custom", message: "Name at least one symbol, e.g. symbols=AAPL,MSFT." });
    return z.NEVER;
  }
  const out: string[] = [];
  for (const part of parts) {
    const r = checkSymbol(part);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.message });
      return z.NEVER;
    }
    if (!out.includes(r.symbol)) out.push(r.symbol);
  }
  if (out.length > MAX_SYMBOLS) {
    ctx.addIssue({ code: "custom", message: `At most ${MAX_SYMBOLS} symbols per request.` });
    return z.NEVER;
  }
  return out;
});
