/** What the tools share: symbol input, market errors turned into ToolErrors, rounding. */
import { z } from "zod";
import { symbolSchema } from "../../market/symbols.ts";
import { UnknownSymbolError } from "../../market/types.ts";
import { ToolError } from "./registry.ts";

export const symbolInput = symbolSchema.describe("A ticker symbol, e.g. AAPL.");

/** Runs a market read, turning an unknown symbol into a message the model can act on. */
export async function market<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof UnknownSymbolError) {
      throw new ToolError(`${err.message} Use search_symbols to find the ticker.`);
    }
    throw err;
  }
}

/** Rounds to `digits` decimals, keeping null: indicator values do not need 15 digits. */
export function round(n: number | null | undefined, digits = 4): number | null {
  if (n === null || n === undefined || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const limitInput = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).default(fallback);
