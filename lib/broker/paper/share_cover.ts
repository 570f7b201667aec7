/**
 * Shares that cover a short call are pledged: a stock sale that would take them below 100 per
 * uncovered call would leave that call naked, which PaiiD never allows (lib/options/cover.ts).
 * The paper broker asks this for every stock sale, under the account lock, after the stock
 * rules; it costs nothing when no option is held on the symbol.
 *
 * @module
 */
import { hasNakedCall } from "../../options/cover.ts";
import { parseOcc } from "../../options/occ.ts";
import { underlyingOf } from "../../options/underlying.ts";
import { type CheckResult, OrderRefusedError, type OrderRequest } from "../types.ts";
import type { PositionRow } from "./account.ts";

/**
 * The refusal for selling `qty` of `req.symbol` when `free` shares (held less what open sells
 * promise) cover short calls in `rows`; null when the sale leaves every short call covered.
 */
export function shareSaleRefusal(
  req: OrderRequest,
  rows: readonly PositionRow[],
  free: number,
  qty: number,
  checks: CheckResult[],
): OrderRefusedError | null {
  if (req.side !== "sell") return null;
  const options: Record<string, number> = {};
  for (const r of rows) {
    if (Number(r.multiplier) === 1) continue;
    const c = parseOcc(r.symbol);
    if (c && underlyingOf(c.underlying) === req.symbol) options[r.symbol] = Number(r.qty);
  }
  if (Object.keys(options).length === 0) return null;
  if (!hasNakedCall(options, free - qty, req.symbol) || hasNakedCall(options, free, req.symbol)) {
    return null;
  }
  const message = `These ${req.symbol} shares cover short calls you hold (100 per contract): ` +
    "selling them would leave a call naked, which PaiiD does not allow. Close the calls first.";
  return new OrderRefusedError(message, "option_not_permitted", [
    ...checks,
    { rule: "option_level", ok: false, severity: "refuse", message },
  ]);
}
