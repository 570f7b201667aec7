/**
 * The inbound side of the market API (outbound clients are the `http.ts` files): what its
 * routers share, symbol checks that answer 400 with the reason, and the mapping of source errors
 * onto HTTP (unknown symbol → 404, failing upstream → 503).
 *
 * @module
 */
import { z } from "zod";
import { BadRequestError, NotFoundError, ServiceUnavailableError } from "../http/errors.ts";
import { checkSymbol } from "./symbols.ts";
import { UnknownSymbolError, UpstreamError } from "./types.ts";

/** A real calendar date `YYYY-MM-DD` (2021-02-30 is refused). */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2020-01-31.")
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, "Not a real date.");

/** The canonical symbol, or a 400 `invalid_symbol` that says what is wrong. */
export function parseSymbol(input: string): string {
  const r = checkSymbol(input);
  if (!r.ok) throw new BadRequestError(r.message, { symbol: input.slice(0, 20) }, "invalid_symbol");
  return r.symbol;
}

/** Runs a market-data read, turning the seam's errors into HTTP errors. */
export async function fromMarket<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof UnknownSymbolError) {
      throw new NotFoundError(err.message, { symbol: err.symbol });
    }
    if (err instanceof UpstreamError) {
      throw new ServiceUnavailableError(
        "Market data is unavailable right now and nothing is cached for this request.",
        { upstream: err.message.slice(0, 200), status: err.status ?? null },
      );
    }
    throw err;
  }
}
