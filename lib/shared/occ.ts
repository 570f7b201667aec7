/**
 * OCC option symbols (`AAPL240621P00200000`): root, expiry as YYMMDD, C or P, and the strike
 * × 1000 in eight digits. Every option order, position and fill names its contract this way, for
 * both brokers and both market-data sources, so this is the one place that reads and writes them. Pure and dependency-free, so the screens
 * use it too; the server imports it through lib/options/occ.ts.
 *
 * @module
 */

/** One standard US equity option is on 100 shares. */
export const OPTION_MULTIPLIER = 100;

export interface OptionContractId {
  /** The OCC symbol, upper case. */
  symbol: string;
  /** The root as written in the symbol (the underlying for standard contracts). */
  underlying: string;
  /** `YYYY-MM-DD`. */
  expiration: string;
  type: "call" | "put";
  /** USD per share. */
  strike: number;
}

const OCC = /^([A-Z][A-Z0-9.]{0,5})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

/** True for a well-formed OCC symbol with a real calendar date and a positive strike. */
export function isOccSymbol(symbol: string): boolean {
  return parseOcc(symbol) !== null;
}

/** Reads an OCC symbol; null when it is not one (a stock ticker, a typo, an impossible date). */
export function parseOcc(symbol: string): OptionContractId | null {
  const m = OCC.exec(symbol.trim().toUpperCase());
  if (!m) return null;
  const [, root, yy, mm, dd, cp, k] = m;
  const expiration = `20${yy}-${mm}-${dd}`;
  const date = new Date(`${expiration}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== expiration) return null;
  const strike = Number(k) / 1000;
  if (!(strike > 0)) return null;
  return {
    symbol: `${root}${yy}${mm}${dd}${cp}${k}`,
    underlying: root,
    expiration,
    type: cp === "C" ? "call" : "put",
    strike,
  };
}

/** Writes the OCC symbol of a contract (the inverse of `parseOcc`). */
export function formatOcc(
  underlying: string,
  expiration: string,
  type: "call" | "put",
  strike: number,
): string {
  const ymd = expiration.slice(2).replaceAll("-", "");
  const k = String(Math.round(strike * 1000)).padStart(8, "0");
  return `${underlying.toUpperCase()}${ymd}${type === "call" ? "C" : "P"}${k}`;
}
