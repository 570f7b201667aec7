/**
 * The buying power option positions hold while open, for the paper account's valuation: per
 * underlying, the structure its option positions make (lib/options/structure.ts) with no
 * premiums, so the amount is the cash the positions need on top of what they already paid or
 * received: the strike × 100 of a cash-secured put, the width × 100 of a credit spread, nothing
 * for bought options, debit spreads and calls covered by shares. Opening such a position took
 * (requirement − premium received) from buying power at the order; holding it keeps exactly
 * that taken once the premium sits in cash.
 *
 * Short options' market value does not count against buying power as a short stock's does:
 * this requirement replaces it.
 *
 * @module
 */
import { OPTION_MULTIPLIER, parseOcc } from "../../options/occ.ts";
import { describeStructure, type StructureLeg } from "../../options/structure.ts";
import { underlyingOf } from "../../options/underlying.ts";

interface Held {
  symbol: string;
  qty: string | number;
  multiplier: number;
}

/** USD the option positions in `rows` hold from buying power. */
export function heldOptionRequirement(rows: readonly Held[]): number {
  const byUnderlying = new Map<string, StructureLeg[]>();
  const shares = new Map<string, number>();
  for (const r of rows) {
    const qty = Number(r.qty);
    const c = Number(r.multiplier) !== 1 ? parseOcc(r.symbol) : null;
    if (!c) {
      shares.set(r.symbol, qty);
      continue;
    }
    if (qty === 0) continue;
    const u = underlyingOf(c.underlying);
    const legs = byUnderlying.get(u) ?? [];
    legs.push({
      contract: c,
      side: qty > 0 ? "buy" : "sell",
      qty: Math.abs(qty),
      positionIntent: qty > 0 ? "buy_to_open" : "sell_to_open",
    });
    byUnderlying.set(u, legs);
  }
  let total = 0;
  for (const [u, legs] of byUnderlying) {
    if (!legs.some((l) => l.side === "sell")) continue;
    // Unlimited cash: a short put held alone is judged as secured, which it was when opened.
    const s = describeStructure(legs, {
      sharesHeld: shares.get(u) ?? 0,
      cash: Number.POSITIVE_INFINITY,
      options: {},
    });
    total += s.buyingPower.amount;
  }
  return Math.round(total * 100) / 100;
}

/** A working option order that sells, as stored. */
export interface PendingSell {
  symbol: string;
  qty: string | null;
  filled_qty: string;
  limit_price: string | null;
  order_class?: "simple" | "mleg";
  /** A multi-leg order's legs; a single-leg order sells its `symbol`. */
  legs?: { symbol: string; side: "buy" | "sell"; ratio_qty: number }[] | null;
}

/**
 * USD a working option order that sells holds from buying power while it rests: the cover the
 * positions `held` would need once it filled beyond what they need now, less the credit its
 * limit promises (none for a market order waiting for the open). The pre-trade check took the
 * same from buying power, so what it took stays taken until the order fills or goes.
 */
export function pendingSellRequirement(held: readonly Held[], order: PendingSell): number {
  const units = Number(order.qty) - Number(order.filled_qty);
  if (!(units > 0)) return 0;
  const legs = order.order_class === "mleg"
    ? order.legs ?? []
    : [{ symbol: order.symbol, side: "sell" as const, ratio_qty: 1 }];
  const after = new Map<string, Held>(held.map((r) => [r.symbol, r]));
  for (const l of legs) {
    const was = Number(after.get(l.symbol)?.qty ?? 0);
    const change = (l.side === "buy" ? 1 : -1) * l.ratio_qty * units;
    after.set(l.symbol, { symbol: l.symbol, qty: was + change, multiplier: OPTION_MULTIPLIER });
  }
  const rise = heldOptionRequirement([...after.values()]) - heldOptionRequirement(held);
  const credit = Number(order.limit_price ?? 0) * OPTION_MULTIPLIER * units;
  return Math.max(0, Math.round((rise - credit) * 100) / 100);
}
