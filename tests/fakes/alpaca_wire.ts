/**
 * The wire rules the fake Alpaca server (`alpaca.ts`) shares between its stock and option
 * orders: the §12 error bodies, decimals as strings (§3.1), nanosecond timestamps (§3.2), and
 * the field readers of the §5.2 validation matrix.
 *
 * @module
 */

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: Record<string, unknown>) {
    super(String(body.message));
  }
}

export const invalid = (message: string) => new ApiError(422, { code: 40010001, message });
export const notFound = (message: string) => new ApiError(404, { code: 40410000, message });
export const forbidden = (message: string, extra: Record<string, unknown> = {}) =>
  new ApiError(403, { code: 40310000, message, ...extra });

// ---- Numbers and time ------------------------------------------------------------------------

export const round2 = (n: number) => Math.round(n * 100) / 100;
export const roundQty = (n: number) => Math.round(n * 1e9) / 1e9;
export const floorQty = (n: number) => Math.floor(n * 1e9 + 1e-6) / 1e9;

/** A decimal string as Alpaca writes it: no exponent, no trailing zeros (`"10"`, `"174.78"`). */
export function dec(n: number, dp = 9): string {
  const s = n.toFixed(dp);
  const t = s.includes(".") ? s.replace(/\.?0+$/, "") : s;
  return t === "-0" ? "0" : t;
}
export const money = (n: number) => dec(round2(n), 2);

let lastNs = 0n;
/** Strictly increasing nanosecond timestamps, so `after`/`until` filters are unambiguous. */
export function nowNs(): bigint {
  // Random sub-millisecond digits: a client must parse all nine, not assume zeros.
  const ns = BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6));
  lastNs = ns > lastNs ? ns : lastNs + 1n;
  return lastNs;
}

/** RFC 3339 with nine fractional digits and `Z` (§3.2). */
export function isoNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  return `${new Date(ms).toISOString().slice(0, 19)}.${
    String(ns % 1_000_000_000n).padStart(9, "0")
  }Z`;
}

/** Parses a query timestamp: a date, or RFC 3339 with up to 9 fractional digits. */
export function parseTime(raw: string): bigint | null {
  // An unencoded `+` offset arrives as a space.
  const m =
    /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?)?$/i
      .exec(raw.trim().replace(/ (\d{2}:?\d{2})$/, "+$1"));
  if (!m) return null;
  const hms = m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2]) : "00:00:00";
  let zone = (m[4] ?? "Z").toUpperCase();
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${hms}${zone}`);
  if (Number.isNaN(ms)) return null;
  return BigInt(ms) * 1_000_000n + BigInt((m[3] ?? "").padEnd(9, "0"));
}

// ---- Fields ---------------------------------------------------------------------------------

export const SIDES = ["buy", "sell"] as const;
export const TYPES = ["market", "limit", "stop", "stop_limit", "trailing_stop"] as const;
export const TIFS = ["day", "gtc", "opg", "cls", "ioc", "fok"] as const;
export const INTENTS = ["buy_to_open", "buy_to_close", "sell_to_open", "sell_to_close"] as const;
export type Side = typeof SIDES[number];
export type OrderType = typeof TYPES[number];
export type Tif = typeof TIFS[number];

export type Body = Record<string, unknown>;

/** A positive decimal given as a string or a JSON number (§5.2), or null when absent. */
export function decimalField(body: Body, key: string, maxDp: number): number | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  const text = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw invalid(`invalid ${key}`);
  const n = Number(text);
  if (!(n > 0)) throw invalid(`${key} must be > 0`);
  if ((text.split(".")[1] ?? "").length > maxDp) throw invalid(`invalid ${key}: too many decimals`);
  return n;
}

/** Prices: whole cents from $1 up, four places below (the sub-penny rule). */
export function priceField(body: Body, key: string): number | null {
  const n = decimalField(body, key, 9);
  if (n === null) return null;
  const dp = (dec(n).split(".")[1] ?? "").length;
  if (dp > (n >= 1 ? 2 : 4)) {
    throw invalid(
      `invalid ${key} ${dec(n)}. sub-penny increment does not fulfill minimum pricing criteria`,
    );
  }
  return n;
}

export function enumField<T extends string>(body: Body, key: string, values: readonly T[]): T {
  const v = body[key];
  if (v === undefined || v === null || v === "") throw invalid(`${key} is required`);
  if (!values.includes(v as T)) throw invalid(`invalid ${key}: ${JSON.stringify(v)}`);
  return v as T;
}

export function clientIdField(body: Body): string | null {
  const v = body.client_order_id;
  if (v === undefined || v === null || v === "") return null;
  if (typeof v !== "string") throw invalid("invalid client_order_id");
  if (v.length > 128) throw invalid("client_order_id must be no more than 128 characters");
  return v;
}
