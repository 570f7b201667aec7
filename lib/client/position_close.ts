/**
 * Closing all or part of a position from Active Positions: the dialog's choice (everything, a
 * number of shares, or a percentage) as the query of `DELETE /api/positions/:symbol`
 * (`closeQuerySchema` in lib/broker/api.ts), with the shares and dollars it comes to.
 *
 * Browser code: no zod, no DOM, no fetch; type-only imports from the broker seam.
 */
import type { Position } from "../broker/types.ts";
import { closeQuantity } from "../shared/close_quantity.ts";
import { formatShares, formatUsd, sharesWithUnit } from "../shared/money.ts";
import { parseAmount } from "../shared/ticket.ts";

export type CloseMode = "all" | "shares" | "percent";

/** The dialog's fields as typed; each mode keeps its own text so switching loses nothing. */
export interface CloseForm {
  mode: CloseMode;
  shares: string;
  percent: string;
}

export const FULL_CLOSE: CloseForm = { mode: "all", shares: "", percent: "" };

export interface ClosePlan {
  /** `?qty=…` or `?percentage=…`; "" closes the whole position. */
  query: string;
  /** Shares the closing order is for: the brokers' own rule (lib/shared/close_quantity.ts). */
  shares: number;
  /** shares × last price, USD; null without a price. */
  estimate: number | null;
  /** True when the order closes everything held. */
  all: boolean;
}

type PositionLike = Pick<Position, "qty" | "symbol" | "side" | "currentPrice">;

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function estimateOf(shares: number, last: number | null): number | null {
  return typeof last === "number" && Number.isFinite(last) && last > 0
    ? round2(shares * last)
    : null;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The dialog's choice as a close request, or what is wrong with it. */
export function planClose(
  position: PositionLike,
  form: CloseForm,
): { ok: true; plan: ClosePlan } | { ok: false; message: string } {
  const held = Math.abs(position.qty);
  const all = (): ClosePlan => ({
    query: "",
    shares: held,
    estimate: estimateOf(held, position.currentPrice),
    all: true,
  });
  if (form.mode === "all") return { ok: true, plan: all() };

  if (form.mode === "shares") {
    const q = parseAmount(form.shares, "the number of shares", 8);
    if (!q.ok) return { ok: false, message: capitalize(q.message) };
    const r = closeQuantity(held, { qty: q.value });
    if (!r.ok) {
      return {
        ok: false,
        message: r.reason === "more_than_held"
          ? `You hold ${sharesWithUnit(held)} of ${position.symbol}: close at most that.`
          : r.message,
      };
    }
    if (r.all) return { ok: true, plan: all() };
    return {
      ok: true,
      plan: {
        query: `?qty=${encodeURIComponent(String(q.value))}`,
        shares: q.value,
        estimate: estimateOf(q.value, position.currentPrice),
        all: false,
      },
    };
  }

  const p = parseAmount(form.percent, "the percentage", 2);
  if (!p.ok) return { ok: false, message: capitalize(p.message) };
  if (p.value > 100) return { ok: false, message: "The percentage is at most 100." };
  const r = closeQuantity(held, { percentage: p.value });
  if (!r.ok) {
    return {
      ok: false,
      message: r.reason === "rounds_to_zero"
        ? "That percentage rounds to no shares: enter a larger one."
        : r.message,
    };
  }
  if (r.all) return { ok: true, plan: all() };
  const shares = r.qty;
  return {
    ok: true,
    plan: {
      query: `?percentage=${encodeURIComponent(String(p.value))}`,
      shares,
      estimate: estimateOf(shares, position.currentPrice),
      all: false,
    },
  };
}

/** `Sell all 3 AAPL at market?`, `Sell 1 of 3 AAPL at market?`; a short is bought back. */
export function closePlanQuestion(position: PositionLike, plan: ClosePlan): string {
  const held = formatShares(Math.abs(position.qty));
  const short = position.side === "short" || position.qty < 0;
  const what = plan.all
    ? `all ${held} ${position.symbol}`
    : `${formatShares(plan.shares)} of ${held} ${position.symbol}`;
  return short ? `Buy ${what} at market to cover the short?` : `Sell ${what} at market?`;
}

/** `≈ $190.12 (1 share × $190.12 last)`, or why there is no estimate. */
export function estimateText(position: PositionLike, plan: ClosePlan): string {
  if (plan.estimate === null) return "No last price yet: no estimate.";
  return `≈ ${formatUsd(plan.estimate)} (${sharesWithUnit(plan.shares)} × ${
    formatUsd(position.currentPrice)
  } last)`;
}
