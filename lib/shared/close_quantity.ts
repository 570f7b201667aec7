/**
 * How many shares closing (part of) a position sends: one rule for both brokers and for the
 * close dialog, so the screen never promises a count the order will not have.
 *
 * - Nothing asked: exactly what is held.
 * - A share count: at most what is held. More is refused, naming the held quantity, rather than
 *   quietly clamped: the caller asked for something that cannot happen. Exactly what is held (to
 *   share precision) is a full close.
 * - A percentage in (0, 100]: held × p / 100 rounded DOWN to share precision (8 decimals), so it
 *   never exceeds what is held; 100 % closes exactly what is held. A percentage that rounds to
 *   no shares is refused.
 *
 * Zod-free: the server validates the query with zod first, the browser with its own parser.
 *
 * @module
 */
import { formatShares, sharesWithUnit } from "./money.ts";

/** Share quantities carry at most this many decimals (the orders table's numeric(20, 8)). */
export const SHARE_DECIMALS = 8;
const SCALE = 10 ** SHARE_DECIMALS;

export interface CloseAsk {
  qty?: number;
  percentage?: number;
}

export type CloseQuantity =
  | { ok: true; qty: number; all: boolean }
  | {
    ok: false;
    reason: "more_than_held" | "rounds_to_zero" | "invalid";
    held: number;
    message: string;
  };

/** Rounds down to share precision; the nudge keeps 0.29 × 100 from flooring to 28.99999999. */
export function floorShares(x: number): number {
  return Math.floor(x * SCALE + 1e-6) / SCALE;
}

/** The shares to close out of `held` (its absolute size) for `ask`, or why not. */
export function closeQuantity(held: number, ask: CloseAsk): CloseQuantity {
  const size = Math.abs(held);
  const refuse = (reason: "more_than_held" | "rounds_to_zero" | "invalid", message: string) => ({
    ok: false as const,
    reason,
    held: size,
    message,
  });
  if (ask.qty !== undefined && ask.percentage !== undefined) {
    return refuse("invalid", "Give a number of shares or a percentage, not both.");
  }
  if (ask.qty !== undefined) {
    if (!(ask.qty > 0) || !Number.isFinite(ask.qty)) {
      return refuse("invalid", "The number of shares must be more than 0.");
    }
    if (ask.qty > size + 0.5 / SCALE) {
      return refuse(
        "more_than_held",
        `You hold ${sharesWithUnit(size)}; you cannot close ${formatShares(ask.qty)}.`,
      );
    }
    const all = Math.abs(ask.qty - size) <= 0.5 / SCALE;
    return { ok: true, qty: all ? size : ask.qty, all };
  }
  if (ask.percentage !== undefined) {
    if (!(ask.percentage > 0 && ask.percentage <= 100)) {
      return refuse("invalid", "The percentage must be above 0 and at most 100.");
    }
    if (ask.percentage === 100) return { ok: true, qty: size, all: true };
    const qty = Math.min(floorShares(size * ask.percentage / 100), size);
    if (!(qty > 0)) {
      return refuse("rounds_to_zero", "That percentage rounds to no shares: close a larger one.");
    }
    return { ok: true, qty, all: qty === size };
  }
  return { ok: true, qty: size, all: true };
}
