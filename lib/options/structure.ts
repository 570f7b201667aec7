/**
 * What an option order is, what it needs and what it risks: the structure it builds (a covered
 * call, a bull put spread, an iron condor …), the option level it requires, the buying power it
 * holds while open, and its premium, largest profit and loss and breakevens at expiry. Both
 * brokers' pre-trade checks and the order ticket's preview read these, so the rules live here
 * once. Pure: the caller passes what the account holds.
 *
 * The rules, in the order they are applied:
 *
 * 1. **Closing.** The part of a `*_to_close` leg that reduces an option held (selling a long,
 *    buying back a short) is closing: it needs no level and holds no buying power. The part
 *    beyond what is held is judged as opening, so a mislabelled intent cannot open a naked
 *    short. An order of closing legs only is `closing`, allowed at every level.
 * 2. **Cover by long options** (spreads: verticals, iron condors and butterflies, iron
 *    butterflies, calendars and diagonals). Each short contract is paired with a long contract
 *    of the same underlying and type, in the same order, expiring no earlier. Such an order
 *    needs level `spreads`.
 * 3. **Cover by shares** (covered calls). Short calls still unpaired are covered by the
 *    underlying's shares held, 100 per contract. Shares already pledged are left out: 100 per
 *    short call held on the underlying beyond the long calls held on it (an approximation: which
 *    held long call pairs with which held short call, and their expiries, are not looked at).
 *    The shares are held already, so a covered call holds no buying power. Level `covered`.
 * 4. **Cash-secured puts.** A short put that is the order's only opening leg is cash-secured
 *    when `cash` pays strike × 100 × contracts less the premium received; that amount is its
 *    buying power. Level `covered`. A short put in a multi-leg order needs a long put (rule 2).
 * 5. **Naked.** Any short call or put left uncovered makes the order `naked_call` or
 *    `naked_put`, requiring level `naked`, which PaiiD never grants (`levelRefusal` says why).
 * 6. **Buying options** (long calls and puts, straddles, strangles) needs level `covered`;
 *    level `none` refuses everything that opens.
 *
 * Buying power is one rule for every allowed structure: the largest loss at expiry of the
 * opening legs other than the share-covered calls. That is the debit for bought options and debit
 * spreads, the width × 100 × contracts less the credit for credit spreads (the wider side of an
 * iron condor), and the strike × 100 × contracts less the premium for a cash-secured put. When
 * the legs expire on different days (calendars, diagonals) every leg is counted at its intrinsic
 * value at the first expiry; an American option is never worth less, so that loss is a bound:
 * the debit for a calendar, plus the strike gap for a diagonal whose long leg is the further
 * out of the money.
 *
 * Maximum profit and loss and the breakevens come from lib/risk/options/strategy.ts on the
 * opening legs at expiry, with the shares covering calls included (valued at
 * `underlyingPrice`; without it those figures are null). With several expiries the maximum profit
 * and the breakevens depend on volatility and are null and empty; the maximum loss is the bound
 * above. Without a premium on every opening leg they are null too, and the buying power counts
 * the missing premiums as zero (its rule says so).
 *
 * @module
 */
import type { OrderLeg, OrderSide, PositionIntent } from "../broker/types.ts";
import {
  breakevens as crossings,
  extremes,
  type Leg,
  pnlFunction,
} from "../risk/options/strategy.ts";
import { OPTION_MULTIPLIER, type OptionContractId, parseOcc } from "./occ.ts";

export type OptionLevel = "none" | "covered" | "spreads";
export const OPTION_LEVELS: readonly OptionLevel[] = ["none", "covered", "spreads"];
export const DEFAULT_OPTION_LEVEL: OptionLevel = "spreads";

export interface StructureLeg {
  contract: OptionContractId;
  side: OrderSide;
  /** Contracts, > 0. */
  qty: number;
  positionIntent: PositionIntent;
  /** USD per share, from the chain. */
  premium?: number;
}

export type StructureKind =
  | "long_call"
  | "long_put"
  | "covered_call"
  | "cash_secured_put"
  | "naked_call"
  | "naked_put"
  | "vertical"
  | "straddle"
  | "strangle"
  | "iron_condor"
  | "iron_butterfly"
  | "butterfly"
  | "calendar"
  | "closing"
  | "custom";

export type Requirement = "none" | "covered" | "spreads" | "naked";

export interface Structure {
  kind: StructureKind;
  /** "Bull call spread AAPL 150/155 2024-06-21" */
  label: string;
  /** The level needed; "naked" is never allowed. */
  requires: Requirement;
  /** Net premium of one unit × qty × 100, USD: positive = debit paid, negative = credit. */
  premium: number | null;
  /** USD held from buying power while open, and the rule in words. */
  buyingPower: { amount: number; rule: string };
  /** USD, whole order. */
  maxProfit: number | "unlimited" | null;
  /** USD, whole order, as a positive amount. */
  maxLoss: number | "unlimited" | null;
  /** Underlying prices at expiry, ascending. */
  breakevens: number[];
}

export interface Holdings {
  /** Signed underlying shares. */
  sharesHeld: number;
  /** Cash free to secure a put (the account's cash less what open orders hold). */
  cash: number;
  /** Signed contracts held per OCC symbol (to know which legs close, and covers). */
  options: Record<string, number>;
  /**
   * Signed contracts per OCC symbol as far as cover goes, when that differs from `options`: an
   * open buy to close promises a short away but may never fill, so the short still needs its
   * cover (the shares or long call behind it). Defaults to `options`.
   */
  covers?: Record<string, number>;
  /**
   * The underlying's last price: values the shares behind a covered call in its maximum profit,
   * loss and breakeven (null and empty without it). Not needed for anything else.
   */
  underlyingPrice?: number;
}

/** A leg's opening part, with what covers its short contracts. */
interface Opening {
  contract: OptionContractId;
  side: OrderSide;
  qty: number;
  premium?: number;
  /** Short contracts paired with a long option of the order. */
  byLong: number;
  /** Short calls covered by shares held. */
  byShares: number;
  /** A short put secured by cash. */
  byCash: number;
}

const NAKED_CALL = "Naked short calls have unlimited risk; PaiiD does not allow them. Hold 100 " +
  "shares per contract (covered call) or buy a call above it (a spread).";
const NAKED_PUT = "Naked short puts are not allowed. Sell a put on its own with the cash to " +
  "secure it (strike × 100 per contract, less the premium), or buy a put below it (a spread).";

/**
 * Names the order's structure and works out its level, buying power and figures by the rules in
 * the module comment. `legs` carry whole-order quantities (an mleg's units × ratio). Throws a
 * RangeError for a quantity that is not a positive number.
 */
export function describeStructure(legs: StructureLeg[], held: Holdings): Structure {
  for (const leg of legs) {
    if (!(leg.qty > 0) || !Number.isFinite(leg.qty)) {
      throw new RangeError(`A leg's quantity must be a positive number of contracts (${leg.qty}).`);
    }
  }
  const { closing, opening, after } = splitClosing(legs, held.options, held.covers);
  const premium = netPremium(legs);
  if (opening.length === 0) {
    return {
      kind: "closing",
      label: closingLabel(closing),
      requires: "none",
      premium,
      buyingPower: { amount: 0, rule: "Closing positions holds no buying power." },
      maxProfit: null,
      maxLoss: null,
      breakevens: [],
    };
  }
  coverByLongs(opening);
  const underlying = singleUnderlying(opening);
  if (underlying) coverByShares(opening, freeShares(held.sharesHeld, after, underlying));
  coverByCash(opening, held.cash);

  // An uncovered call names the order before an uncovered put: its risk is the unlimited one.
  const bare = opening.filter((o) => uncovered(o) > 0);
  const naked = bare.find((o) => o.contract.type === "call") ?? bare[0];
  const shareCover = sum(opening, (o) => o.byShares);
  const priced = opening.every((o) => o.premium !== undefined);
  const oneExpiry = new Set(opening.map((o) => o.contract.expiration)).size === 1;
  const risk = riskOf(opening, held.underlyingPrice, oneExpiry);
  const { kind, label } = naked ? nakedShape(naked) : shape(opening);
  const requires: Requirement = naked
    ? "naked"
    : opening.some((o) => o.byLong > 0)
    ? "spreads"
    : "covered";
  const bpLoss = risk.bpLoss === "unlimited" ? null : Math.max(0, risk.bpLoss);
  const rule = bpRule(kind, shareCover, oneExpiry) +
    (priced ? "" : " Legs without a premium count it as zero.");
  return {
    kind,
    label,
    requires,
    premium,
    buyingPower: kind === "naked_call" || bpLoss === null
      ? { amount: 0, rule: "None: naked short calls are refused, their risk is unlimited." }
      : { amount: roundCents(bpLoss), rule },
    maxProfit: priced && oneExpiry ? money(risk.display?.maxProfit) : null,
    maxLoss: priced ? money(risk.display?.maxLoss) : null,
    breakevens: priced && risk.display ? risk.display.breakevens : [],
  };
}

/** Refusal reason in words when the level does not allow it, else null. Closing always allowed. */
export function levelRefusal(s: Structure, level: OptionLevel): string | null {
  if (s.kind === "closing" || s.requires === "none") return null;
  if (s.requires === "naked") return s.kind === "naked_put" ? NAKED_PUT : NAKED_CALL;
  if (level === "none") {
    return 'Your option level is "none": option positions can only be closed. Choose "covered" ' +
      'or "spreads" in Settings to open them.';
  }
  if (level === "covered" && s.requires === "spreads") {
    return `${s.label} needs option level "spreads"; yours is "covered" (bought options, ` +
      "covered calls and cash-secured puts).";
  }
  return null;
}

/**
 * Structural validity of a multi-leg request: 2–4 legs, one underlying, distinct symbols, ratio
 * quantities whole and ≥ 1, intents consistent with sides (buy_* with buy). `leg` is the index
 * in `legs` (from 0); messages count from 1 ("Leg 2: …"). Empty when the legs are well formed.
 */
export function legProblems(legs: OrderLeg[]): { leg: number | null; message: string }[] {
  const out: { leg: number | null; message: string }[] = [];
  if (legs.length < 2 || legs.length > 4) {
    out.push({
      leg: null,
      message: `A multi-leg order has 2 to 4 legs; this one has ${legs.length}.`,
    });
  }
  const seen = new Map<string, number>();
  let first: { underlying: string; at: number } | null = null;
  legs.forEach((leg, i) => {
    const name = `Leg ${i + 1}`;
    const contract = parseOcc(leg.symbol);
    if (!contract) {
      out.push({ leg: i, message: `${name}: ${leg.symbol} is not an OCC option symbol.` });
    } else {
      if (!first) first = { underlying: contract.underlying, at: i };
      else if (contract.underlying !== first.underlying) {
        out.push({
          leg: i,
          message: `${name}: its underlying ${contract.underlying} differs from leg ${
            first.at + 1
          }'s ${first.underlying}; every leg must be on one underlying.`,
        });
      }
      const before = seen.get(contract.symbol);
      if (before !== undefined) {
        out.push({
          leg: i,
          message: `${name}: ${contract.symbol} is also leg ${before + 1}; each contract once.`,
        });
      } else seen.set(contract.symbol, i);
    }
    if (!Number.isInteger(leg.ratioQty) || leg.ratioQty < 1) {
      out.push({
        leg: i,
        message:
          `${name}: the ratio quantity must be a whole number of at least 1 (${leg.ratioQty}).`,
      });
    }
    const intentSide = leg.positionIntent.startsWith("buy_") ? "buy" : "sell";
    if (leg.side !== intentSide) {
      out.push({
        leg: i,
        message: `${name}: ${leg.positionIntent} goes with side ${intentSide}, not ${leg.side}.`,
      });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------

/** `after`: the cover view (`covers`) once the order's closing parts are done. */
function splitClosing(
  legs: StructureLeg[],
  options: Record<string, number>,
  covers: Record<string, number> = options,
) {
  const free = new Map<string, number>();
  for (const [symbol, qty] of Object.entries(options)) free.set(symbol.toUpperCase(), qty);
  const after = new Map<string, number>();
  for (const [symbol, qty] of Object.entries(covers)) after.set(symbol.toUpperCase(), qty);
  const closing: StructureLeg[] = [];
  const opening: Opening[] = [];
  for (const leg of legs) {
    const symbol = leg.contract.symbol.toUpperCase();
    let closes = 0;
    if (leg.positionIntent.endsWith("_to_close")) {
      const h = free.get(symbol) ?? 0;
      closes = Math.min(leg.qty, Math.max(0, leg.side === "sell" ? h : -h));
      const change = leg.side === "sell" ? -closes : closes;
      free.set(symbol, h + change);
      after.set(symbol, (after.get(symbol) ?? 0) + change);
    }
    if (closes > 0) closing.push({ ...leg, qty: closes });
    if (leg.qty > closes) {
      opening.push({
        contract: leg.contract,
        side: leg.side,
        qty: leg.qty - closes,
        premium: leg.premium,
        byLong: 0,
        byShares: 0,
        byCash: 0,
      });
    }
  }
  return { closing, opening, after };
}

function uncovered(o: Opening): number {
  return o.side === "sell" ? o.qty - o.byLong - o.byShares - o.byCash : 0;
}

/**
 * Pairs short contracts with long ones of the same underlying and type expiring no earlier.
 * Shorts go latest expiry first: the longs one of them may use can serve every short after it,
 * so any choice among them pairs as many contracts as possible.
 */
function coverByLongs(opening: Opening[]) {
  const pool = new Map(opening.filter((o) => o.side === "buy").map((o) => [o, o.qty]));
  const shorts = opening.filter((o) => o.side === "sell")
    .sort((a, b) => b.contract.expiration.localeCompare(a.contract.expiration));
  for (const short of shorts) {
    for (const [long, left] of pool) {
      if (short.byLong === short.qty) break;
      if (
        left === 0 || long.contract.type !== short.contract.type ||
        long.contract.underlying !== short.contract.underlying ||
        long.contract.expiration < short.contract.expiration
      ) continue;
      const take = Math.min(left, short.qty - short.byLong);
      short.byLong += take;
      pool.set(long, left - take);
    }
  }
}

function singleUnderlying(opening: Opening[]): string | null {
  const names = new Set(opening.map((o) => o.contract.underlying));
  return names.size === 1 ? [...names][0] : null;
}

/** Shares not already behind short calls held on the underlying (after this order's closes). */
function freeShares(sharesHeld: number, after: Map<string, number>, underlying: string): number {
  let calls = 0;
  for (const [symbol, qty] of after) {
    const c = parseOcc(symbol);
    if (c && c.type === "call" && c.underlying === underlying) calls += qty;
  }
  return Math.max(0, sharesHeld - OPTION_MULTIPLIER * Math.max(0, -calls));
}

function coverByShares(opening: Opening[], shares: number) {
  let contracts = Math.floor(shares / OPTION_MULTIPLIER);
  for (const o of opening) {
    if (o.contract.type !== "call" || contracts <= 0) continue;
    const take = Math.min(contracts, uncovered(o));
    o.byShares += take;
    contracts -= take;
  }
}

function coverByCash(opening: Opening[], cash: number) {
  if (opening.length !== 1) return;
  const [o] = opening;
  if (o.side !== "sell" || o.contract.type !== "put" || o.byLong > 0) return;
  const needed = o.contract.strike * OPTION_MULTIPLIER * o.qty -
    (o.premium ?? 0) * OPTION_MULTIPLIER * o.qty;
  if (cash + 1e-9 >= needed) o.byCash = o.qty;
}

function netPremium(legs: StructureLeg[]): number | null {
  let total = 0;
  for (const leg of legs) {
    if (leg.premium === undefined) return null;
    total += (leg.side === "buy" ? 1 : -1) * leg.qty * OPTION_MULTIPLIER * leg.premium;
  }
  return roundCents(total);
}

function optionLeg(o: Opening, quantity: number): Leg {
  const { type, strike } = o.contract;
  // years 0 at horizon 0: every leg is valued at its intrinsic value (see the module comment).
  return { type, side: o.side, strike, years: 0, quantity, premium: o.premium ?? 0, iv: 0 };
}

interface Figures {
  maxProfit: number | "unlimited";
  maxLoss: number | "unlimited";
  breakevens: number[];
}

/** Largest profit and loss at expiry, and the breakevens when asked for. */
function figures(legs: Leg[], spot: number | undefined, withBreakevens: boolean): Figures {
  const f = pnlFunction(legs, 0, { rate: 0 });
  const strikes = legs.flatMap((l) => l.type === "stock" ? [] : [l.strike]);
  const at = spot ?? Math.max(...strikes);
  return {
    ...extremes(f, legs, at),
    breakevens: withBreakevens ? crossings(f, legs, at).map((x) => Math.round(x * 1e4) / 1e4) : [],
  };
}

/** The buying-power loss (share-covered calls left out) and the displayed figures. */
function riskOf(opening: Opening[], underlyingPrice: number | undefined, oneExpiry: boolean) {
  const shares = OPTION_MULTIPLIER * sum(opening, (o) => o.byShares);
  let display: Figures | null = null;
  if (shares === 0 || (underlyingPrice !== undefined && underlyingPrice > 0)) {
    const legs: Leg[] = opening.map((o) => optionLeg(o, o.qty));
    if (shares > 0) {
      legs.push({ type: "stock", side: "buy", quantity: shares, premium: underlyingPrice! });
    }
    display = figures(legs, underlyingPrice, oneExpiry);
  }
  if (shares === 0 && display) return { bpLoss: display.maxLoss, display };
  const bpLegs = opening.flatMap((o) => {
    const q = o.qty - o.byShares;
    return q > 0 ? [optionLeg(o, q)] : [];
  });
  const bpLoss = bpLegs.length ? figures(bpLegs, underlyingPrice, false).maxLoss : 0;
  return { bpLoss, display };
}

function bpRule(kind: StructureKind, shareCover: number, oneExpiry: boolean): string {
  const shares = shareCover > 0
    ? `Calls covered by shares held (100 per contract) hold nothing. `
    : "";
  switch (kind) {
    case "covered_call":
      return "None: the call is covered by shares held, 100 per contract.";
    case "cash_secured_put":
      return "Cash-secured: the strike × 100 × contracts, less the premium received.";
    case "naked_put":
      return "Refused (naked put); it would hold the strike × 100 × contracts less the premium.";
    case "long_call":
    case "long_put":
    case "straddle":
    case "strangle":
      return "The debit paid for the options bought.";
    case "calendar":
      return "The debit paid, plus the strike gap when the later leg is further out of the money " +
        "(the later leg counted at its intrinsic value only).";
    case "vertical":
    case "iron_condor":
    case "iron_butterfly":
    case "butterfly":
      return "The most the spread can lose: the debit paid, or the width between strikes × 100 " +
        "× contracts less the credit received.";
    default:
      return shares +
        (oneExpiry
          ? "The most the other legs can lose at expiry."
          : "The most the other legs can lose, later legs counted at their intrinsic value only.");
  }
}

// --- shapes and labels -----------------------------------------------------------------------

const strikeText = (k: number) => String(Math.round(k * 1000) / 1000);
const title = (s: string) => s[0].toUpperCase() + s.slice(1);

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function unitsSuffix(qtys: number[]): string {
  const units = qtys.every(Number.isInteger) ? qtys.reduce(gcd) : 1;
  return units > 1 ? ` ×${units}` : "";
}

function nakedShape(o: Opening): { kind: StructureKind; label: string } {
  const c = o.contract;
  return {
    kind: c.type === "call" ? "naked_call" : "naked_put",
    label: `Naked ${c.type} ${c.underlying} ${strikeText(c.strike)} ${c.expiration}`,
  };
}

function closingLabel(closing: StructureLeg[]): string {
  if (closing.length === 1) {
    const c = closing[0].contract;
    return `Closing ${c.underlying} ${strikeText(c.strike)} ${c.type} ${c.expiration}`;
  }
  return `Closing ${closing.length} legs ${closing[0]?.contract.underlying ?? ""}`.trimEnd();
}

/** Names the opening legs' structure; anything unrecognised is "custom". */
function shape(opening: Opening[]): { kind: StructureKind; label: string } {
  const legs = [...opening].sort((a, b) => a.contract.strike - b.contract.strike);
  const u = legs[0].contract.underlying;
  const suffix = unitsSuffix(legs.map((l) => l.qty));
  const exps = [...new Set(legs.map((l) => l.contract.expiration))].sort();
  const oneUnderlying = legs.every((l) => l.contract.underlying === u);
  const strikes = (ls: Opening[]) => ls.map((l) => strikeText(l.contract.strike)).join("/");
  const named = (kind: StructureKind, name: string, ks: Opening[]) => ({
    kind,
    label: `${name} ${u} ${strikes(ks)} ${exps.join("/")}${suffix}`,
  });
  const custom = {
    kind: "custom" as const,
    label: `Custom ${u} ${legs.length} legs ${exps.join("/")}${suffix}`,
  };
  if (!oneUnderlying) return custom;
  const calls = legs.filter((l) => l.contract.type === "call");
  const puts = legs.filter((l) => l.contract.type === "put");
  const sameQty = legs.every((l) => l.qty === legs[0].qty);

  if (legs.length === 1) {
    const [l] = legs;
    const type = l.contract.type;
    if (l.side === "buy") {
      return named(type === "call" ? "long_call" : "long_put", `Long ${type}`, legs);
    }
    if (l.byShares === l.qty) return named("covered_call", "Covered call", legs);
    if (l.byCash === l.qty) return named("cash_secured_put", "Cash-secured put", legs);
    return custom;
  }
  if (legs.length === 2 && sameQty) {
    const [a, b] = legs;
    if (a.contract.type === b.contract.type && a.side !== b.side) {
      const type = a.contract.type;
      if (exps.length === 2) {
        const same = a.contract.strike === b.contract.strike;
        const byExpiry = [...legs].sort((x, y) =>
          x.contract.expiration.localeCompare(y.contract.expiration)
        );
        return named(
          "calendar",
          `${title(type)} ${same ? "calendar" : "diagonal"}`,
          same ? [a] : byExpiry,
        );
      }
      if (a.contract.strike === b.contract.strike) return custom;
      // Buying the lower strike profits from a rise, for calls and puts alike.
      const bull = a.side === "buy";
      return named("vertical", `${bull ? "Bull" : "Bear"} ${type} spread`, legs);
    }
    if (
      calls.length === 1 && puts.length === 1 && a.side === "buy" && b.side === "buy" &&
      exps.length === 1
    ) {
      const same = calls[0].contract.strike === puts[0].contract.strike;
      return same
        ? named("straddle", "Long straddle", [calls[0]])
        : named("strangle", "Long strangle", [puts[0], calls[0]]);
    }
    return custom;
  }
  if (legs.length === 3 && exps.length === 1 && (calls.length === 3 || puts.length === 3)) {
    const [lo, mid, hi] = legs;
    const q = lo.qty;
    if (
      hi.qty === q && mid.qty === 2 * q && lo.side === hi.side && mid.side !== lo.side &&
      lo.contract.strike < mid.contract.strike && mid.contract.strike < hi.contract.strike &&
      Math.abs(
          mid.contract.strike - lo.contract.strike - (hi.contract.strike - mid.contract.strike),
        ) <
        1e-9
    ) {
      return named(
        "butterfly",
        `${lo.side === "buy" ? "Long" : "Short"} ${lo.contract.type} butterfly`,
        legs,
      );
    }
    return custom;
  }
  if (
    legs.length === 4 && exps.length === 1 && sameQty && calls.length === 2 && puts.length === 2
  ) {
    const [pLo, pHi] = puts;
    const [cLo, cHi] = calls;
    if (
      pLo.side === "buy" && pHi.side === "sell" && cLo.side === "sell" && cHi.side === "buy" &&
      pLo.contract.strike < pHi.contract.strike && pHi.contract.strike <= cLo.contract.strike &&
      cLo.contract.strike < cHi.contract.strike
    ) {
      return pHi.contract.strike === cLo.contract.strike
        ? named("iron_butterfly", "Iron butterfly", [pLo, pHi, cHi])
        : named("iron_condor", "Iron condor", [pLo, pHi, cLo, cHi]);
    }
  }
  return custom;
}

function sum<T>(xs: T[], f: (x: T) => number): number {
  let total = 0;
  for (const x of xs) total += f(x);
  return total;
}

function roundCents(x: number): number {
  const r = Math.round(x * 100) / 100;
  return r === 0 ? 0 : r;
}

function money(x: number | "unlimited" | undefined): number | "unlimited" | null {
  if (x === undefined) return null;
  return x === "unlimited" ? "unlimited" : roundCents(x);
}
