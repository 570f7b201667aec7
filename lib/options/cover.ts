/**
 * Whether what an account holds on one underlying includes a short call nothing covers: no long
 * call of the same root expiring no earlier, and not 100 shares per contract. Opening such a
 * call is refused by the structure rules (structure.ts); this is for the orders that would leave
 * one behind without opening it: closing the long leg of a call spread, or selling the shares
 * under a covered call. Both turn a covered short call into a naked one, which PaiiD never
 * allows. Pure.
 *
 * @module
 */
import { parseOcc } from "./occ.ts";
import { describeStructure, type StructureLeg } from "./structure.ts";
import { underlyingOf } from "./underlying.ts";

/**
 * `options`: signed contracts per OCC symbol; `shares`: signed shares of `underlying`. Only the
 * contracts on `underlying` count.
 */
export function hasNakedCall(
  options: Record<string, number>,
  shares: number,
  underlying: string,
): boolean {
  const legs = heldLegs(options, underlying);
  if (!legs.some((l) => l.side === "sell" && l.contract.type === "call")) return false;
  // Held as if opened together: the structure rules pair shorts with longs and shares. Unlimited
  // cash so a short put never names the structure; only calls are asked about.
  const s = describeStructure(legs, {
    sharesHeld: shares,
    cash: Number.POSITIVE_INFINITY,
    options: {},
  });
  return s.kind === "naked_call";
}

/**
 * USD the short puts on `underlying` in `options` need as cover, premiums left out: the width
 * × 100 of a put credit spread, the strike × 100 of a put no long put covers (cash-secured).
 * Closing the long leg of a put spread raises it from the one to the other, and that rise is
 * cash the account must have, as when a cash-secured put is opened.
 */
export function putRequirement(options: Record<string, number>, underlying: string): number {
  const legs = heldLegs(options, underlying).filter((l) => l.contract.type === "put");
  if (!legs.some((l) => l.side === "sell")) return 0;
  const s = describeStructure(legs, {
    sharesHeld: 0,
    cash: Number.POSITIVE_INFINITY,
    options: {},
  });
  return s.buyingPower.amount;
}

/** `options` on `underlying` as legs opened together. */
function heldLegs(options: Record<string, number>, underlying: string): StructureLeg[] {
  const legs: StructureLeg[] = [];
  for (const [symbol, qty] of Object.entries(options)) {
    const contract = parseOcc(symbol);
    if (!contract || qty === 0 || underlyingOf(contract.underlying) !== underlying) continue;
    legs.push({
      contract,
      side: qty > 0 ? "buy" : "sell",
      qty: Math.abs(qty),
      positionIntent: qty > 0 ? "buy_to_open" : "sell_to_open",
    });
  }
  return legs;
}

/** The positions after `legs` trade `units` each (signed contracts per OCC symbol). */
export function optionsAfter(
  held: Record<string, number>,
  legs: readonly { symbol: string; side: "buy" | "sell"; ratioQty: number }[],
  units: number,
): Record<string, number> {
  const out = { ...held };
  for (const l of legs) {
    out[l.symbol] = (out[l.symbol] ?? 0) + (l.side === "buy" ? 1 : -1) * l.ratioQty * units;
  }
  return out;
}
