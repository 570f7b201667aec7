/**
 * What the API accepts as a symbol, as zod schemas. The rule itself (a US ticker or an index
 * symbol, with aliases) lives in lib/shared/ticker.ts so the browser applies the same one; it is
 * re-exported here for server code. Whether a well-formed symbol exists is the source's call
 * (404 there).
 *
 * @module
 */
import { z } from "zod";
import { checkSymbol, type IndexSymbol } from "../shared/ticker.ts";

export {
  checkSymbol,
  INDEX_SYMBOLS,
  type IndexSymbol,
  isIndexSymbol,
  type SymbolCheck,
  TICKER,
} from "../shared/ticker.ts";

/** The indexes shown on the radial centre for each source. */
export const HEADLINE_INDEXES = {
  tradier: ["DJI", "COMP", "SPX"],
  replay: ["SPX", "VIX"],
} as const satisfies Record<string, readonly IndexSymbol[]>;

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
