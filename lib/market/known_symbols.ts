/**
 * Symbols a user saves (watchlists, onboarding) must be ones the market data knows: checked
 * with the company look-up, which the cache keeps for a day.
 */
import type { Services } from "../services.ts";
import { UnknownSymbolError, UpstreamError } from "./types.ts";
import { HttpError, ServiceUnavailableError } from "../http/errors.ts";

/** Refuses (422 `unknown_symbols`, naming each with the reason) symbols the market lacks. */
export async function requireKnownSymbols(
  services: Pick<Services, "market">,
  symbols: string[],
): Promise<void> {
  const unknown: { symbol: string; reason: string }[] = [];
  await Promise.all(symbols.map(async (symbol) => {
    try {
      await services.market.company(symbol);
    } catch (err) {
      if (err instanceof UpstreamError) {
        throw new ServiceUnavailableError(
          "Market data is unavailable right now, so the symbols cannot be checked. Try again soon.",
        );
      }
      if (!(err instanceof UnknownSymbolError)) throw err;
      unknown.push({ symbol, reason: err.message });
    }
  }));
  if (unknown.length === 0) return;
  unknown.sort((a, b) => a.symbol.localeCompare(b.symbol));
  throw new HttpError(
    422,
    "unknown_symbols",
    `Unknown symbol${unknown.length > 1 ? "s" : ""}: ${unknown.map((u) => u.symbol).join(", ")}.`,
    { unknown },
  );
}
