/**
 * The one ticker rule, for the API, the settings and the browser alike: a US ticker
 * (`^[A-Z]{1,5}([.-][A-Z])?$`, e.g. `AAPL`, `BRK.B`, `BRK-B`) or one of the index symbols, also
 * under their common aliases (`^GSPC` and `$SPX` are the S&P 500). Input is trimmed and
 * upper-cased first. Whether a well-formed symbol exists is the data source's call, not this one.
 *
 * Shared code: no zod, no DOM, no server imports (the zod schemas wrap this in
 * lib/market/symbols.ts).
 *
 * @module
 */

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

export type SymbolCheck = { ok: true; symbol: string } | { ok: false; message: string };

/** Whether a canonical symbol (as `checkSymbol` returns it) is an index rather than a security. */
export function isIndexSymbol(symbol: string): symbol is IndexSymbol {
  return Object.hasOwn(INDEX_SYMBOLS, symbol);
}

/** Checks and canonicalizes one symbol; `message` says what is wrong with a malformed one. */
export function checkSymbol(input: string): SymbolCheck {
  const raw = input.trim().toUpperCase();
  if (raw === "") return { ok: false, message: "The symbol is empty." };
  const alias = Object.hasOwn(INDEX_ALIASES, raw) ? INDEX_ALIASES[raw] : undefined;
  if (alias) return { ok: true, symbol: alias };
  if (isIndexSymbol(raw)) return { ok: true, symbol: raw };
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
