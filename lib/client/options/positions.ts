/**
 * Option positions as Active Positions shows them: grouped by strategy, which here means by
 * underlying and expiration (legs on one underlying expiring together are treated as one
 * structure, whenever each was opened), each group with its P&L, days to expiry and Greeks;
 * and the one order that closes a group.
 *
 * Greeks are the chain's, per share of one contract (as the chain lists them), scaled here to
 * the position: × signed contracts × the multiplier. So delta is in shares of the underlying,
 * gamma in shares per $1, theta in USD per calendar day and vega in USD per volatility point.
 *
 * Browser code: no zod, no DOM, no fetch; type-only imports from the broker seam.
 */
import type { Position } from "../../broker/types.ts";
import { finite } from "../../shared/money.ts";
import { OPTION_MULTIPLIER } from "../../shared/occ.ts";
import { contractLabel, shortDate } from "./labels.ts";
import { MAX_LEGS } from "./ticket.ts";

/** A position known to be an option, with its contract. */
export type OptionPosition = Position & { option: NonNullable<Position["option"]> };

export function isOptionPosition(p: Position): p is OptionPosition {
  return p.option !== undefined && p.option !== null;
}

/** Stock positions for the stock table (and the quote stream), option positions for groups. */
export function splitPositions(
  positions: readonly Position[],
): { stocks: Position[]; options: OptionPosition[] } {
  const stocks: Position[] = [];
  const options: OptionPosition[] = [];
  for (const p of positions) (isOptionPosition(p) ? options : stocks).push(p);
  return { stocks, options };
}

/** One contract's Greeks, per share, as the chain gives them. */
export interface ContractGreeks {
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
  iv: number | null;
}

/** Greeks of a whole position or group (see the module comment for units). */
export interface PositionGreeks {
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
}

export interface OptionGroup {
  /** `AAPL 2021-01-15`. */
  key: string;
  underlying: string;
  expiration: string;
  /** By type, then strike. */
  legs: OptionPosition[];
  /** USD, already × the multiplier (null when a leg has no price). */
  marketValue: number | null;
  costBasis: number;
  unrealizedPl: number | null;
  dayPl: number | null;
}

function sum(values: readonly (number | null)[]): number | null {
  let total = 0;
  for (const v of values) {
    if (!finite(v)) return null;
    total += v;
  }
  return Math.round(total * 100) / 100;
}

/** Groups by underlying and expiration, soonest expiry first. */
export function groupOptionPositions(options: readonly OptionPosition[]): OptionGroup[] {
  const byKey = new Map<string, OptionPosition[]>();
  for (const p of options) {
    const key = `${p.option.underlying} ${p.option.expiration}`;
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  return [...byKey.entries()]
    .map(([key, legs]) => {
      legs.sort((a, b) =>
        a.option.type.localeCompare(b.option.type) || a.option.strike - b.option.strike
      );
      return {
        key,
        underlying: legs[0].option.underlying,
        expiration: legs[0].option.expiration,
        legs,
        marketValue: sum(legs.map((l) => l.marketValue)),
        costBasis: sum(legs.map((l) => l.costBasis)) ?? 0,
        unrealizedPl: sum(legs.map((l) => l.unrealizedPl)),
        dayPl: sum(legs.map((l) => l.dayPl)),
      };
    })
    .sort((a, b) => a.expiration.localeCompare(b.expiration) || a.key.localeCompare(b.key));
}

/**
 * Calendar days from the market's date (the replayed day under replay) to the expiration: 0 on
 * the day it expires, negative once past it (waiting for settlement).
 */
export function daysToExpiry(expiration: string, today: string): number | null {
  const a = Date.parse(`${today}T00:00:00Z`);
  const b = Date.parse(`${expiration}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return Math.round((b - a) / 86_400_000);
}

export function dteText(days: number | null): string {
  if (days === null) return "—";
  if (days < 0) return "expired, settling";
  if (days === 0) return "expires today";
  return days === 1 ? "1 day" : `${days} days`;
}

/** The position's Greeks from its contract's: × signed contracts × multiplier. */
export function scaleGreeks(p: Position, g: ContractGreeks | null): PositionGreeks | null {
  if (!g) return null;
  const k = p.qty * (p.option?.multiplier ?? OPTION_MULTIPLIER);
  return { delta: g.delta * k, gamma: g.gamma * k, theta: g.theta * k, vega: g.vega * k };
}

/** The group's Greeks: the sum of its legs', or null while a leg has none. */
export function sumGreeks(list: readonly (PositionGreeks | null)[]): PositionGreeks | null {
  const out = { delta: 0, gamma: 0, theta: 0, vega: 0 };
  for (const g of list) {
    if (!g) return null;
    out.delta += g.delta;
    out.gamma += g.gamma;
    out.theta += g.theta;
    out.vega += g.vega;
  }
  return out;
}

/** `greeks` on a position, when the broker sent them whole (checked: they arrive as JSON). */
export function greeksOnPosition(p: Position): ContractGreeks | null {
  const g: unknown = p.greeks;
  if (typeof g !== "object" || g === null) return null;
  const r = g as Record<string, unknown>;
  if (![r.delta, r.gamma, r.theta, r.vega].every((v) => finite(v as number))) return null;
  return {
    delta: r.delta as number,
    gamma: r.gamma as number,
    theta: r.theta as number,
    vega: r.vega as number,
    iv: finite(r.iv as number) ? r.iv as number : null,
  };
}

/** What closing a group or a leg sends, and how the confirmation asks. */
export type CloseTarget =
  | { kind: "strategy"; symbols: string[]; question: string }
  | { kind: "leg"; symbol: string; question: string };

/**
 * A group of 2–4 legs closes as one multi-leg market order; one leg with a single closing
 * order; more than 4 cannot be one order, so its legs close one by one (null here).
 */
export function groupCloseTarget(g: OptionGroup): CloseTarget | null {
  if (g.legs.length === 1) return legCloseTarget(g.legs[0]);
  if (g.legs.length > MAX_LEGS) return null;
  return {
    kind: "strategy",
    symbols: g.legs.map((l) => l.symbol),
    question: `Close all ${g.legs.length} legs of ${g.underlying} ${
      shortDate(g.expiration)
    } at market, as one order?`,
  };
}

export function legCloseTarget(p: OptionPosition): CloseTarget {
  const n = Math.abs(p.qty);
  const verb = p.qty > 0 ? "Sell to close" : "Buy to close";
  return {
    kind: "leg",
    symbol: p.symbol,
    question: `${verb} ${n} ${n === 1 ? "contract" : "contracts"} ${
      contractLabel(p.option)
    } at market?`,
  };
}

/** The request a confirmed close sends; the key makes a retry the same order. */
export function closeRequest(
  t: CloseTarget,
  key: string,
): { url: string; method: "POST" | "DELETE"; body?: unknown; idempotencyKey?: string } {
  if (t.kind === "strategy") {
    return {
      url: "/api/positions/close-strategy",
      method: "POST",
      body: { symbols: t.symbols, clientOrderId: key },
    };
  }
  return {
    url: `/api/positions/${encodeURIComponent(t.symbol)}`,
    method: "DELETE",
    idempotencyKey: key,
  };
}
