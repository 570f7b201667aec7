/**
 * The option part of an order preview (`POST /api/orders` with `preview: true`): the structure
 * and its label, premium, max profit and loss, breakevens, the buying power it uses and by which
 * rule, each leg's quote, and where the chain came from. Checked field by field like the stock
 * preview (lib/client/trading_api.ts), so an answer of another shape reads as null, never as a
 * half-drawn review.
 *
 * Browser code: no zod, no DOM, no fetch.
 */
import type { CheckResult, OrderSide, PositionIntent } from "../../broker/types.ts";
import { finite, formatUsd } from "../../shared/money.ts";

export type Limit = number | "unlimited" | null;

export interface PreviewLeg {
  symbol: string;
  side: OrderSide;
  ratioQty: number;
  positionIntent: PositionIntent;
  bid: number | null;
  ask: number | null;
  mark: number | null;
}

export interface OptionPreviewInfo {
  structure: string;
  label: string;
  /** USD for the whole order: positive is paid (a debit), negative received (a credit). */
  premium: number | null;
  maxProfit: Limit;
  maxLoss: Limit;
  breakevens: number[];
  buyingPower: { amount: number; rule: string };
  /** The option level the structure needs. */
  requires: string;
  legs: PreviewLeg[];
  /** "replay-model" when the chain is modelled from history, "tradier" when quoted. */
  chain: string;
}

export interface OptionPreview {
  option: OptionPreviewInfo;
  checks: CheckResult[];
  /** The account's buying power before and after, when the server says. */
  buyingPower: number | null;
  buyingPowerAfter: number | null;
  marketState: string | null;
  marketOpen: boolean | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const numOrNull = (v: unknown): number | null => (finite(v as number) ? v as number : null);

function readLimit(v: unknown): Limit | undefined {
  if (v === null || v === "unlimited") return v;
  return finite(v as number) ? v as number : undefined;
}

function isCheck(v: unknown): v is CheckResult {
  return isRecord(v) && typeof v.rule === "string" && typeof v.ok === "boolean" &&
    typeof v.message === "string" &&
    (v.severity === "refuse" || v.severity === "warn" || v.severity === "info");
}

function readLeg(v: unknown): PreviewLeg | null {
  if (!isRecord(v) || typeof v.symbol !== "string") return null;
  if (v.side !== "buy" && v.side !== "sell") return null;
  return {
    symbol: v.symbol,
    side: v.side,
    ratioQty: finite(v.ratioQty as number) ? v.ratioQty as number : 1,
    positionIntent: v.positionIntent as PositionIntent,
    bid: numOrNull(v.bid),
    ask: numOrNull(v.ask),
    mark: numOrNull(v.mark),
  };
}

/** The option preview in a 200 answer, or null when it is not one. */
export function readOptionPreview(body: unknown): OptionPreview | null {
  if (!isRecord(body) || !isRecord(body.preview)) return null;
  const p = body.preview;
  const o = p.option;
  if (!isRecord(o) || !Array.isArray(p.checks)) return null;
  const maxProfit = readLimit(o.maxProfit);
  const maxLoss = readLimit(o.maxLoss);
  const bp = o.buyingPower;
  if (
    typeof o.label !== "string" || maxProfit === undefined || maxLoss === undefined ||
    !isRecord(bp) || !finite(bp.amount as number) || typeof bp.rule !== "string" ||
    !Array.isArray(o.breakevens) || !Array.isArray(o.legs)
  ) return null;
  const legs = o.legs.map(readLeg);
  if (legs.some((l) => l === null)) return null;
  return {
    option: {
      structure: typeof o.structure === "string" ? o.structure : "custom",
      label: o.label,
      premium: numOrNull(o.premium),
      maxProfit,
      maxLoss,
      breakevens: o.breakevens.filter((b): b is number => finite(b as number)),
      buyingPower: { amount: bp.amount as number, rule: bp.rule },
      requires: typeof o.requires === "string" ? o.requires : "",
      legs: legs as PreviewLeg[],
      chain: typeof o.chain === "string" ? o.chain : "unknown",
    },
    checks: p.checks.filter(isCheck),
    buyingPower: numOrNull(p.buyingPower),
    buyingPowerAfter: numOrNull(p.buyingPowerAfter),
    marketState: typeof p.marketState === "string" ? p.marketState : null,
    marketOpen: typeof p.marketOpen === "boolean" ? p.marketOpen : null,
  };
}

/** `$500.00 paid (debit)`, `$120.00 received (credit)`, or the dash. */
export function premiumText(premium: number | null): string {
  if (premium === null) return "—";
  if (Math.abs(premium) < 0.005) return "$0.00 (even)";
  return premium > 0
    ? `${formatUsd(premium)} paid (debit)`
    : `${formatUsd(-premium)} received (credit)`;
}

/** Max profit or loss: dollars, "Unlimited", or why there is no single figure. */
export function limitText(v: Limit): string {
  if (v === "unlimited") return "Unlimited";
  if (v === null) return "Not defined at one expiry";
  return formatUsd(v);
}

/** Breakevens at expiry as underlying prices. */
export function breakevensText(list: readonly number[]): string {
  return list.length ? list.map((b) => formatUsd(b)).join(" · ") : "None";
}

/** Option levels in Settings' words. */
export function levelText(requires: string): string {
  switch (requires) {
    case "none":
      return "no option level (closing)";
    case "covered":
      return "covered options";
    case "spreads":
      return "covered and spreads";
    case "naked":
      return "naked options (never allowed)";
    default:
      return requires;
  }
}
