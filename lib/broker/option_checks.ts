/**
 * Pre-trade checks for option orders, single-leg and multi-leg, beside the stock rules in
 * checks.ts and in the same shape (rule, severity, message, by how much), so the pipeline, the
 * preview and the 422 answer treat both alike. Pure: the caller reads the account, the chain
 * quotes and what is held.
 *
 * The rules, in the order they are reported:
 *
 * - `quantity`: 1 to 1,000 contracts per leg (qty × ratio); waived for closing orders.
 * - `option_structure`: the legs make a well-formed order (lib/options/structure.ts
 *   `legProblems`: 2–4 legs, one underlying, each contract once, intents matching sides), on the
 *   order's underlying, each contract listed in the chain, and every intent consistent with what
 *   is held: a `*_to_close` leg needs a position on the other side of at least its contracts (less
 *   what open closing orders already promise), a `*_to_open` leg must not trade against a
 *   position held (close it instead).
 * - `option_level`: the structure (`describeStructure`) is allowed at the user's option level;
 *   naked short options never are (`levelRefusal` gives the reason). Closing is always allowed.
 * - For orders that open something: `max_order_value` on the premium, `max_position_percent` on
 *   the buying power the structure holds (what it can lose) against equity, `daily_loss_limit`,
 *   and `buying_power` on that same amount.
 * - `market_hours`: a warning when the market is closed.
 *
 * @module
 */
import type { Settings } from "../settings.ts";
import {
  describeStructure,
  type Holdings,
  legProblems,
  levelRefusal,
  type Structure,
  type StructureLeg,
} from "../options/structure.ts";
import { type LegQuote, netMarketPrice } from "../options/fills.ts";
import { isOccSymbol, parseOcc } from "../options/occ.ts";
import { hasNakedCall, optionsAfter, putRequirement } from "../options/cover.ts";
import { underlyingOf } from "../options/underlying.ts";
import type { Assessment } from "./checks.ts";
import { dailyLossCheck, pct, refusalCode, usd } from "./checks.ts";
import type { CheckResult, OrderLeg, OrderRequest, OrderSide } from "./types.ts";

/** Contracts per leg an order may trade. */
export const MAX_CONTRACTS = 1_000;

/** A contract's prices as the chain has them; absent from the map: not listed. */
export type LegPrices = LegQuote;

export interface OptionCheckInput {
  request: OrderRequest;
  quotes: ReadonlyMap<string, LegPrices>;
  /**
   * What the account holds: the underlying's shares, the buying power as the cash free to secure
   * a put, and signed contracts per OCC symbol less what open closing orders already promise.
   */
  held: Holdings;
  settings: Pick<
    Settings,
    "maxOrderValue" | "maxPositionPercent" | "dailyLossLimit" | "optionLevel"
  >;
  equity: number;
  buyingPower: number;
  dayPl: number;
  marketOpen: boolean;
}

export interface OptionAssessment extends Assessment {
  structure: Structure;
  /** Net price per share of one unit at the chain's bid/ask (+ debit, − credit); null unpriced. */
  net: number | null;
  legs: OrderLeg[];
}

/** The legs of an option order: a single-leg order is one leg of ratio 1. */
export function orderLegs(req: OrderRequest): OrderLeg[] {
  if (req.orderClass === "mleg") return req.legs ?? [];
  return [{
    symbol: req.symbol,
    side: req.side,
    ratioQty: 1,
    positionIntent: req.positionIntent ?? (req.side === "buy" ? "buy_to_open" : "sell_to_open"),
  }];
}

/** True for an option order: a multi-leg order, an intent, or an OCC symbol. */
export function isOptionRequest(req: OrderRequest): boolean {
  return req.orderClass === "mleg" || req.positionIntent !== undefined ||
    (req.symbol.length > 15 && isOccSymbol(req.symbol));
}

/** The underlying an option order trades: a multi-leg order's symbol, or its contract's. */
export function requestUnderlying(req: OrderRequest): string {
  if (req.orderClass === "mleg") return req.symbol;
  const c = parseOcc(req.symbol);
  return c ? underlyingOf(c.underlying) : req.symbol;
}

/** What a leg fills at now (lib/options/fills.ts): the ask for a buy, a non-zero bid for a sell. */
export function legPrice(side: OrderSide, q: LegPrices | undefined): number | null {
  if (!q) return null;
  const net = netMarketPrice([{ symbol: q.symbol, side, ratioQty: 1 }], [q]);
  return net === null ? null : Math.abs(net);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function assessOption(input: OptionCheckInput): OptionAssessment {
  const { request: r, settings, quotes, held } = input;
  const legs = orderLegs(r);
  const units = r.qty ?? 0;
  const checks: CheckResult[] = [];

  const contracts = Math.max(...legs.map((l) => l.ratioQty)) * units;
  {
    const ok = units >= 1 && contracts <= MAX_CONTRACTS;
    checks.push({
      rule: "quantity",
      ok,
      severity: ok ? "info" : "refuse",
      unit: "contracts",
      limit: units < 1 ? 1 : MAX_CONTRACTS,
      value: contracts,
      ...(ok ? {} : { excess: units < 1 ? 1 - units : contracts - MAX_CONTRACTS }),
      message: ok
        ? `${contracts} contract${contracts === 1 ? "" : "s"} per leg is within 1–${MAX_CONTRACTS}.`
        : units < 1
        ? "At least 1 contract."
        : `${contracts} contracts on one leg is ${
          contracts - MAX_CONTRACTS
        } over the ${MAX_CONTRACTS}-contract maximum.`,
    });
  }

  const problems = structureProblems(r, legs, quotes, held.options, units);
  checks.push({
    rule: "option_structure",
    ok: problems.length === 0,
    severity: problems.length === 0 ? "info" : "refuse",
    message: problems.length === 0
      ? legs.length === 1
        ? `${legs[0].symbol} is listed; ${
          legs[0].positionIntent.replaceAll("_", " ")
        } fits what you hold.`
        : `${legs.length} legs on ${r.symbol}, each listed, each intent fitting what you hold.`
      : problems.join(" "),
  });

  const structureLegs: StructureLeg[] = legs.flatMap((l) => {
    const contract = parseOcc(l.symbol);
    if (!contract) return [];
    const premium = legPrice(l.side, quotes.get(l.symbol));
    return [{
      contract,
      side: l.side,
      qty: units * l.ratioQty,
      positionIntent: l.positionIntent,
      ...(premium !== null ? { premium } : {}),
    }];
  });
  const structure = describeStructure(structureLegs, held);
  const opening = structure.kind !== "closing";

  const refusal = levelRefusal(structure, settings.optionLevel) ??
    uncoverRefusal(legs, units, held, requestUnderlying(r));
  checks.push({
    rule: "option_level",
    ok: refusal === null,
    severity: refusal === null ? "info" : "refuse",
    message: refusal ??
      (opening
        ? `${structure.label} needs option level "${structure.requires}"; yours is "${settings.optionLevel}".`
        : `${structure.label}: closing is allowed at every option level.`),
  });

  const net = netMarketPrice(legs, [...quotes.values()]);
  const premium = structure.premium ?? (net === null ? 0 : round2(net * units * 100));
  const cost = Math.abs(premium);
  const bp = opening && structure.kind !== "naked_call" ? structure.buyingPower.amount : 0;
  if (opening) {
    const ok = cost <= settings.maxOrderValue;
    checks.push({
      rule: "max_order_value",
      ok,
      severity: ok ? "info" : "refuse",
      unit: "USD",
      limit: settings.maxOrderValue,
      value: round2(cost),
      ...(ok ? {} : { excess: round2(cost - settings.maxOrderValue) }),
      message: ok
        ? `Premium ${usd(cost)} is within your ${usd(settings.maxOrderValue)} order limit.`
        : `Premium ${usd(cost)} is ${
          usd(cost - settings.maxOrderValue)
        } over your maximum order value of ${usd(settings.maxOrderValue)}.`,
    });

    const share = input.equity > 0 ? bp / input.equity * 100 : Infinity;
    const ok2 = share <= settings.maxPositionPercent + 1e-9;
    checks.push({
      rule: "max_position_percent",
      ok: ok2,
      severity: ok2 ? "info" : "refuse",
      unit: "%",
      limit: settings.maxPositionPercent,
      value: round2(share),
      ...(ok2 ? {} : { excess: round2(share - settings.maxPositionPercent) }),
      message: ok2
        ? `It puts ${usd(bp)} at risk, ${pct(share)} of equity (limit ${
          pct(settings.maxPositionPercent)
        }).`
        : `It puts ${usd(bp)} at risk, ${pct(share)} of equity: ${
          pct(share - settings.maxPositionPercent)
        } over your ${pct(settings.maxPositionPercent)} limit per position.`,
    });

    checks.push(dailyLossCheck(input.dayPl, settings.dailyLossLimit));

    const ok4 = bp <= input.buyingPower + 1e-9;
    checks.push({
      rule: "buying_power",
      ok: ok4,
      severity: ok4 ? "info" : "refuse",
      unit: "USD",
      limit: round2(input.buyingPower),
      value: round2(bp),
      ...(ok4 ? {} : { excess: round2(bp - input.buyingPower) }),
      message: ok4
        ? `Holds ${usd(bp)} of ${
          usd(input.buyingPower)
        } buying power (${structure.buyingPower.rule})`
        : `Needs ${usd(bp)} of buying power (${structure.buyingPower.rule}) but you have ${
          usd(input.buyingPower)
        }: ${usd(bp - input.buyingPower)} short.`,
    });
  }

  if (!input.marketOpen) {
    checks.push({
      rule: "market_hours",
      ok: true,
      severity: "warn",
      message: r.type === "market"
        ? "The market is closed: this order waits and fills at the next open, at that price."
        : "The market is closed: this order starts working at the next open.",
    });
  }

  const single = legs.length === 1 && r.orderClass !== "mleg";
  const before = single ? held.options[legs[0].symbol] ?? 0 : 0;
  return {
    qty: units,
    price: r.limitPrice ?? Math.abs(net ?? 0),
    cost: round2(cost),
    positionQtyAfter: single ? before + (r.side === "buy" ? units : -units) : 0,
    buyingPowerAfter: round2(input.buyingPower - bp),
    increasesExposure: opening,
    checks,
    refusals: checks.filter((c) => !c.ok && c.severity === "refuse"),
    structure,
    net,
    legs,
  };
}

/**
 * A closing leg can take away what covers a short option held. Without the long call of a
 * call spread the short call left behind is naked, so the order is refused as opening one would
 * be. Without the long put of a put spread the short put is only covered if cash secures it, as
 * when a cash-secured put is opened: the rise in what it needs must fit the buying power.
 * Shorts count in full even when an open buy to close promises them (`held.covers`).
 */
function uncoverRefusal(
  legs: OrderLeg[],
  units: number,
  held: Holdings,
  underlying: string,
): string | null {
  if (!(units > 0)) return null;
  const before = held.covers ?? held.options;
  const after = optionsAfter(before, legs, units);
  if (hasNakedCall(after, held.sharesHeld, underlying)) {
    if (hasNakedCall(before, held.sharesHeld, underlying)) return null;
    return `This would leave a short ${underlying} call without the long call that covers it: ` +
      "naked short calls have unlimited risk and PaiiD does not allow them. Close the short " +
      "call first, or close the legs together as one order.";
  }
  const sellsLongPut = legs.some((l) =>
    l.positionIntent === "sell_to_close" && parseOcc(l.symbol)?.type === "put"
  );
  if (!sellsLongPut) return null;
  const needed = putRequirement(after, underlying);
  const rise = needed - putRequirement(before, underlying);
  if (rise <= held.cash + 1e-9) return null;
  return `This would leave short ${underlying} puts that only cash can secure: ${
    usd(needed)
  } (strike × 100 per contract), ${usd(rise)} more than they need now, and your buying power ` +
    `is ${usd(held.cash)}. Close the short put first, or close the legs together as one order.`;
}

/** Why the legs do not make an order that can be placed on this account, in words. */
function structureProblems(
  r: OrderRequest,
  legs: OrderLeg[],
  quotes: ReadonlyMap<string, LegPrices>,
  held: Record<string, number>,
  units: number,
): string[] {
  const out: string[] = [];
  const mleg = r.orderClass === "mleg";
  if (mleg) {
    for (const p of legProblems(legs)) out.push(p.message);
    legs.forEach((l, i) => {
      const c = parseOcc(l.symbol);
      if (c && underlyingOf(c.underlying) !== r.symbol) {
        out.push(`Leg ${i + 1}: ${l.symbol} is not on ${r.symbol}, the order's underlying.`);
      }
    });
  }
  legs.forEach((l, i) => {
    const name = mleg ? `Leg ${i + 1}: ` : "";
    if (!quotes.has(l.symbol)) {
      out.push(`${name}${l.symbol} is not listed in its chain.`);
    }
    const h = held[l.symbol] ?? 0;
    const qty = units * l.ratioQty;
    if (l.positionIntent === "sell_to_close" && h < qty) {
      out.push(
        `${name}selling to close ${qty} ${l.symbol} needs ${qty} long; you have ${
          Math.max(h, 0)
        } to close.`,
      );
    }
    if (l.positionIntent === "buy_to_close" && -h < qty) {
      out.push(
        `${name}buying to close ${qty} ${l.symbol} needs ${qty} short; you have ${
          Math.max(-h, 0)
        } to close.`,
      );
    }
    if (l.positionIntent === "sell_to_open" && h > 0) {
      out.push(`${name}you hold ${h} ${l.symbol} long: sell to close it instead.`);
    }
    if (l.positionIntent === "buy_to_open" && h < 0) {
      out.push(`${name}you are short ${-h} ${l.symbol}: buy to close it instead.`);
    }
  });
  return out;
}

/** The error code of a refused option order: the option rules by name, else as for stock. */
export function optionRefusalCode(refusals: CheckResult[]): string {
  const rules = new Set(refusals.map((c) => c.rule));
  if (rules.has("option_structure")) return "invalid_option_structure";
  if (rules.has("option_level")) return "option_not_permitted";
  return refusalCode(refusals);
}
