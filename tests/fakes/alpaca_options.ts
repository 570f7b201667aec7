/**
 * The option rules of the fake Alpaca server, per ../shared/api-contracts/alpaca.md: OCC
 * contracts; what §5.2 allows for option and `mleg` orders (market or limit, time in force day,
 * whole contracts, at most four legs each with its `ratio_qty`); the account's options trading
 * level (§4, 0–3: none; covered calls and cash-secured puts; + buying calls and puts; + spreads);
 * and what an option order holds of buying power. Pure: the brokerage (`alpaca_model.ts`) applies
 * them and throws what they return.
 *
 * The contract does not describe Alpaca's option margin, so the fake keeps it simple and says so:
 * a short call must be covered by 100 shares per contract and a short put by cash (strike × 100);
 * in an mleg order each opening short leg needs an opening long leg of its type; an mleg order
 * holds its net debit, or for a credit the widest strike distance between its legs of one type,
 * less the credit.
 *
 * @module
 */
import {
  type Body,
  decimalField,
  enumField,
  INTENTS,
  invalid,
  round2,
  type Side,
  SIDES,
  TIFS,
  TYPES,
} from "./alpaca_wire.ts";

/** Shares per standard contract: option cash and market values are price × qty × 100. */
export const MULTIPLIER = 100;

export type Intent = typeof INTENTS[number];

export interface Contract {
  symbol: string;
  underlying: string;
  expiration: string;
  type: "call" | "put";
  strike: number;
}

const OCC = /^([A-Z][A-Z0-9.]{0,5})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

/** An OCC option symbol read (the fake's own reader, so a client bug cannot hide behind it). */
export function occ(symbol: string): Contract | null {
  const m = OCC.exec(symbol);
  if (!m) return null;
  const expiration = `20${m[2]}-${m[3]}-${m[4]}`;
  if (Number.isNaN(Date.parse(`${expiration}T00:00:00Z`))) return null;
  const strike = Number(m[6]) / 1000;
  if (!(strike > 0)) return null;
  return { symbol, underlying: m[1], expiration, type: m[5] === "C" ? "call" : "put", strike };
}

export function intentSide(intent: Intent): Side {
  return intent.startsWith("buy") ? "buy" : "sell";
}

/** What an order without `position_intent` does to a holding of `held` contracts. */
export function defaultIntent(side: Side, held: number): Intent {
  if (side === "buy") return held < 0 ? "buy_to_close" : "buy_to_open";
  return held > 0 ? "sell_to_close" : "sell_to_open";
}

export function isOpening(intent: Intent): boolean {
  return intent.endsWith("_open");
}

/** A limit price with at most two decimals (whole cents), positive unless `signed`. */
function optionPrice(body: Body, key: string, signed: boolean): number | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  const text = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw invalid(`invalid ${key}`);
  const n = Number(text);
  if (n === 0 || (!signed && n < 0)) throw invalid(`${key} must be ${signed ? "non-zero" : "> 0"}`);
  if ((text.split(".")[1] ?? "").replace(/0+$/, "").length > 2) {
    throw invalid(`invalid ${key} ${text}: option prices are in whole cents`);
  }
  return n;
}

/** The §5.2 rules a single-contract option order adds to the stock ones. */
export function checkOptionOrder(
  b: Body,
  o: { type: string; tif: string; notional: number | null; qty: number | null },
): void {
  if (o.tif !== "day") {
    throw invalid(`invalid time_in_force for options: ${JSON.stringify(o.tif)} (only "day")`);
  }
  if (o.type !== "market" && o.type !== "limit") {
    throw invalid(`order type ${o.type} is not supported for options`);
  }
  if (o.notional !== null) throw invalid("notional is not supported for options");
  if (o.qty !== null && !Number.isInteger(o.qty)) {
    throw invalid("qty must be a whole number of contracts");
  }
  if (b.extended_hours === true) throw invalid("extended hours are not supported for options");
  optionPrice(b, "limit_price", false);
}

export interface LegSpec {
  symbol: string;
  contract: Contract;
  ratio: number;
  side: Side;
  intent: Intent | null;
}

export interface MlegSpec {
  type: "market" | "limit";
  qty: number;
  /** Signed per unit per share: positive = net debit, negative = net credit. */
  limit: number | null;
  legs: LegSpec[];
}

const MLEG_NOT = [
  "notional",
  "stop_price",
  "trail_price",
  "trail_percent",
  "take_profit",
  "stop_loss",
];
const LEG_KEYS = new Set(["symbol", "ratio_qty", "side", "position_intent"]);

/** The §5.2 rules of an `mleg` order: 1–4 legs, each an option with its `ratio_qty`. */
export function validateMleg(b: Body): MlegSpec {
  for (const k of MLEG_NOT) {
    if (b[k] !== undefined && b[k] !== null) throw invalid(`${k} is not allowed for mleg orders`);
  }
  const type = enumField(b, "type", TYPES);
  if (type !== "market" && type !== "limit") {
    throw invalid(`order type ${type} is not supported for mleg orders`);
  }
  const tif = enumField(b, "time_in_force", TIFS);
  if (tif !== "day") {
    throw invalid(`invalid time_in_force for options: ${JSON.stringify(tif)} (only "day")`);
  }
  const qty = decimalField(b, "qty", 9);
  if (qty === null) throw invalid("qty is required");
  if (!Number.isInteger(qty)) throw invalid("qty must be a whole number of units");
  const limit = optionPrice(b, "limit_price", true);
  if (type === "limit" && limit === null) throw invalid("limit_price is required for limit orders");
  if (type === "market" && limit !== null) {
    throw invalid("limit_price is not allowed for market orders");
  }
  if (b.extended_hours === true) throw invalid("extended hours are not supported for options");
  // Optional at the top of an mleg order (§5.2); checked when given, then the legs decide.
  if (b.side !== undefined && b.side !== null && b.side !== "") enumField(b, "side", SIDES);
  if (b.position_intent !== undefined && b.position_intent !== null) {
    enumField(b, "position_intent", INTENTS);
  }
  if (!Array.isArray(b.legs) || b.legs.length === 0) throw invalid("legs are required for mleg");
  if (b.legs.length > 4) throw invalid("mleg orders take at most 4 legs");
  const legs = b.legs.map((raw, i) => validateLeg(raw, i));
  if (new Set(legs.map((l) => l.symbol)).size !== legs.length) {
    throw invalid("each leg of an mleg order must be a different contract");
  }
  return { type, qty, limit, legs };
}

function validateLeg(raw: unknown, i: number): LegSpec {
  const at = `legs[${i}]`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw invalid(`${at} must be an object`);
  }
  const b = raw as Body;
  for (const k of Object.keys(b)) if (!LEG_KEYS.has(k)) throw invalid(`unknown field "${at}.${k}"`);
  const symbol = typeof b.symbol === "string" ? b.symbol.trim() : "";
  if (!symbol) throw invalid(`${at}.symbol is required`);
  const contract = occ(symbol);
  if (!contract) throw invalid(`${at}.symbol ${JSON.stringify(symbol)} is not an option contract`);
  if (b.ratio_qty === undefined || b.ratio_qty === null || b.ratio_qty === "") {
    throw invalid(`${at}.ratio_qty is required`);
  }
  let ratio: number | null;
  try {
    ratio = decimalField(b, "ratio_qty", 0);
  } catch {
    throw invalid(`${at}.ratio_qty must be a whole number > 0`);
  }
  const intent = b.position_intent === undefined || b.position_intent === null
    ? null
    : enumField(b, "position_intent", INTENTS);
  let side: Side;
  if (b.side !== undefined && b.side !== null) side = enumField(b, "side", SIDES);
  else if (intent) side = intentSide(intent);
  else throw invalid(`${at} needs a side or a position_intent`);
  if (intent && intentSide(intent) !== side) {
    throw invalid(`${at}: position_intent ${intent} does not match side ${side}`);
  }
  return { symbol, contract, ratio: ratio!, side, intent };
}

/**
 * Why the account's options trading level refuses this, or null. Closing is always allowed;
 * opening needs 1 (short, covered), 2 (long) or 3 (multi-leg).
 */
export function levelProblem(level: number, what: Intent | "mleg"): string | null {
  if (what === "buy_to_close" || what === "sell_to_close") return null;
  const need = what === "mleg" ? 3 : what === "buy_to_open" ? 2 : 1;
  if (level >= need) return null;
  if (level <= 0) return "account is not authorized to trade options (options_trading_level 0)";
  const doing = what === "mleg"
    ? "multi-leg orders"
    : what === "buy_to_open"
    ? "buying options"
    : "selling options";
  return `options_trading_level ${level} does not permit ${doing} (needs ${need})`;
}

/** The first opening short leg without an opening long leg of its type to cover it. */
export function uncoveredLeg(legs: LegSpec[]): LegSpec | null {
  for (const type of ["call", "put"] as const) {
    const of = legs.filter((l) => l.contract.type === type && l.intent && isOpening(l.intent));
    const longs = of.filter((l) => l.side === "buy").reduce((n, l) => n + l.ratio, 0);
    let shorts = 0;
    for (const l of of.filter((l) => l.side === "sell")) {
      shorts += l.ratio;
      if (shorts > longs) return l;
    }
  }
  return null;
}

/** Net price of one unit per share, signed: positive = a debit, negative = a credit. */
export function netPrice(legs: LegSpec[], price: (leg: LegSpec) => number): number {
  const net = legs.reduce((n, l) => n + (l.side === "buy" ? 1 : -1) * price(l) * l.ratio, 0);
  return Math.round(net * 1e4) / 1e4;
}

/** USD one unit holds of buying power: the debit, or the widest spread less the credit. */
export function mlegUnitRequirement(legs: LegSpec[], net: number): number {
  if (net > 0) return round2(net * MULTIPLIER);
  let width = 0;
  for (const type of ["call", "put"] as const) {
    const of = legs.filter((l) => l.contract.type === type && l.intent && isOpening(l.intent));
    for (const s of of.filter((l) => l.side === "sell")) {
      for (const b of of.filter((l) => l.side === "buy")) {
        width = Math.max(width, Math.abs(s.contract.strike - b.contract.strike) * s.ratio);
      }
    }
  }
  return Math.max(0, round2((width + net) * MULTIPLIER));
}
