/**
 * Pre-trade checks: the user's own limits (settings) and the account's means, applied to one
 * order at its estimated price. Pure: the paper broker runs it inside the transaction that holds
 * the account lock (so concurrent orders cannot both spend the same cash), the preview and the
 * Alpaca path run it on a fresh read. A refusal names its rule and says by how much it missed.
 *
 * @module
 */
import type { Settings } from "../settings.ts";
import type { Quote } from "../market/types.ts";
import type { CheckResult, OrderRequest, OrderSide } from "./types.ts";
import { sharesWithUnit } from "../shared/money.ts";

export const MIN_QTY = 1;
export const MAX_QTY = 10_000;
export const MIN_NOTIONAL = 1;

export interface CheckInput {
  request: OrderRequest;
  /** The price the order is expected to fill at (ask for buys, bid for sells, or its limit). */
  price: number;
  /** The last trade, for the fat-finger warning. */
  last: number | null;
  settings: Pick<
    Settings,
    "maxOrderValue" | "maxPositionPercent" | "dailyLossLimit" | "allowShortSelling"
  >;
  equity: number;
  buyingPower: number;
  /** Signed shares held now (negative = short). */
  positionQty: number;
  /** Today's P&L so far, USD (negative = loss). */
  dayPl: number;
  marketOpen: boolean;
}

export interface Assessment {
  /** Shares the order is for (estimated for notional orders). */
  qty: number;
  price: number;
  /** qty × price, USD. */
  cost: number;
  positionQtyAfter: number;
  /** Buying power after the order, if it fills at `price`. */
  buyingPowerAfter: number;
  /** Whether the order adds exposure (opens or grows a position) rather than reducing one. */
  increasesExposure: boolean;
  checks: CheckResult[];
  refusals: CheckResult[];
}

// Formatters built once: `toLocaleString` builds one per call. The checks' messages are getters,
// so they are formatted only when read (a refusal, a warning, the response), never while the
// paper broker holds the account lock for an order that passes.
const USD = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const SHARES = new Intl.NumberFormat("en-US", { maximumFractionDigits: 8 });
const PCT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
export const usd = (n: number) => `$${USD.format(Math.abs(n))}`;
const shares = (n: number) => SHARES.format(n);
export const pct = (n: number) => `${PCT.format(n)}%`;

/**
 * The daily loss limit, one rule for stock and option orders: past the limit only orders that
 * reduce a position go through (the caller decides which those are); from 80 % of it, a warning.
 */
export function dailyLossCheck(dayPl: number, limit: number): CheckResult {
  const loss = -dayPl;
  const ok = loss < limit;
  return {
    rule: "daily_loss_limit",
    ok,
    severity: ok ? (loss >= 0.8 * limit ? "warn" : "info") : "refuse",
    unit: "USD",
    limit,
    value: round2(Math.max(loss, 0)),
    ...(ok ? {} : { excess: round2(loss - limit) }),
    get message() {
      return ok
        ? loss > 0
          ? `Today's loss ${usd(loss)} is within your ${usd(limit)} daily limit.`
          : `No loss today (daily limit ${usd(limit)}).`
        : `Today's loss of ${usd(loss)} has reached your ${usd(limit)} daily loss limit (by ${
          usd(loss - limit)
        }); only orders that reduce a position are accepted until tomorrow.`;
    },
  };
}

export function assess(input: CheckInput): Assessment {
  const { request: r, price, settings } = input;
  const qty = r.qty ?? (r.notional !== undefined ? floor8(r.notional / price) : 0);
  const cost = r.notional ?? qty * price;
  const sign = r.side === "buy" ? 1 : -1;
  const before = input.positionQty;
  const after = before + sign * qty;
  // Exposure grows when the position after is larger in size, or on the other side.
  const increasesExposure = Math.abs(after) > Math.abs(before) + 1e-12 ||
    (after !== 0 && before !== 0 && Math.sign(after) !== Math.sign(before));
  // What the order newly commits: all of it when it adds exposure; for a flip, the new side.
  const committed = increasesExposure
    ? (Math.sign(after) === Math.sign(before) || before === 0 ? qty : Math.abs(after)) * price
    : 0;
  const buyingPowerAfter = input.buyingPower - committed;
  const checks: CheckResult[] = [];

  if (r.qty !== undefined) {
    const n = r.qty;
    const ok = n >= MIN_QTY && n <= MAX_QTY;
    checks.push({
      rule: "quantity",
      ok,
      severity: ok ? "info" : "refuse",
      unit: "shares",
      limit: n < MIN_QTY ? MIN_QTY : MAX_QTY,
      value: n,
      ...(ok ? {} : { excess: n < MIN_QTY ? MIN_QTY - n : n - MAX_QTY }),
      get message() {
        return ok
          ? `${sharesWithUnit(n)} is within 1–10,000.`
          : n < MIN_QTY
          ? `Quantity ${shares(n)} is below the minimum of 1 share; use a dollar amount for less.`
          : `Quantity ${shares(n)} is ${sharesWithUnit(n - MAX_QTY)} over the 10,000 maximum.`;
      },
    });
  } else {
    const ok = cost >= MIN_NOTIONAL && qty <= MAX_QTY;
    checks.push({
      rule: "notional",
      ok,
      severity: ok ? "info" : "refuse",
      unit: "USD",
      value: cost,
      limit: cost < MIN_NOTIONAL ? MIN_NOTIONAL : MAX_QTY * price,
      ...(ok ? {} : { excess: cost < MIN_NOTIONAL ? MIN_NOTIONAL - cost : qty - MAX_QTY }),
      get message() {
        return ok
          ? `${usd(cost)} buys about ${sharesWithUnit(qty)}.`
          : cost < MIN_NOTIONAL
          ? `A dollar amount must be at least ${usd(MIN_NOTIONAL)}.`
          : `${usd(cost)} is about ${sharesWithUnit(qty)}, over the 10,000-share maximum.`;
      },
    });
  }

  {
    const ok = cost <= settings.maxOrderValue;
    checks.push({
      rule: "max_order_value",
      ok,
      severity: ok ? "info" : "refuse",
      unit: "USD",
      limit: settings.maxOrderValue,
      value: round2(cost),
      ...(ok ? {} : { excess: round2(cost - settings.maxOrderValue) }),
      get message() {
        return ok
          ? `Order value ${usd(cost)} is within your ${usd(settings.maxOrderValue)} limit.`
          : `Order value ${usd(cost)} is ${
            usd(cost - settings.maxOrderValue)
          } over your maximum order value of ${usd(settings.maxOrderValue)}.`;
      },
    });
  }

  if (increasesExposure) {
    const share = input.equity > 0 ? (Math.abs(after) * price / input.equity) * 100 : Infinity;
    const ok = share <= settings.maxPositionPercent + 1e-9;
    checks.push({
      rule: "max_position_percent",
      ok,
      severity: ok ? "info" : "refuse",
      unit: "%",
      limit: settings.maxPositionPercent,
      value: round2(share),
      ...(ok ? {} : { excess: round2(share - settings.maxPositionPercent) }),
      get message() {
        return ok
          ? `The position would be ${pct(share)} of equity (limit ${
            pct(settings.maxPositionPercent)
          }).`
          : `The position would be ${pct(share)} of equity, ${
            pct(share - settings.maxPositionPercent)
          } over your ${pct(settings.maxPositionPercent)} limit per position.`;
      },
    });

    checks.push(dailyLossCheck(input.dayPl, settings.dailyLossLimit));

    const ok3 = committed <= input.buyingPower + 1e-9;
    checks.push({
      rule: "buying_power",
      ok: ok3,
      severity: ok3 ? "info" : "refuse",
      unit: "USD",
      limit: round2(input.buyingPower),
      value: round2(committed),
      ...(ok3 ? {} : { excess: round2(committed - input.buyingPower) }),
      get message() {
        return ok3
          ? `Uses ${usd(committed)} of ${usd(input.buyingPower)} buying power.`
          : `Needs ${usd(committed)} but buying power is ${usd(input.buyingPower)}: ${
            usd(committed - input.buyingPower)
          } short.`;
      },
    });
  }

  if (after < -1e-12 && Math.abs(after) > Math.abs(Math.min(before, 0)) + 1e-12) {
    const ok = settings.allowShortSelling;
    checks.push({
      rule: "short_sale",
      ok,
      severity: ok ? "warn" : "refuse",
      unit: "shares",
      limit: Math.max(before, 0),
      value: qty,
      ...(ok ? {} : { excess: round8(qty - Math.max(before, 0)) }),
      get message() {
        return ok
          ? `This sells ${sharesWithUnit(-after)} you do not hold: it opens a short position.`
          : `You hold ${sharesWithUnit(Math.max(before, 0))}; selling ${shares(qty)} would sell ${
            shares(round8(qty - Math.max(before, 0)))
          } short, and short selling is off in your settings.`;
      },
    });
  }

  if (!input.marketOpen) {
    checks.push({
      rule: "market_hours",
      ok: true,
      severity: "warn",
      get message() {
        return r.type === "market"
          ? "The market is closed: this order waits and fills at the next open, at that price."
          : "The market is closed: this order starts working at the next open.";
      },
    });
  }

  const ref = r.limitPrice ?? r.stopPrice;
  if (ref !== undefined && input.last) {
    const away = Math.abs(ref / input.last - 1) * 100;
    if (away > 10) {
      checks.push({
        rule: "price",
        ok: true,
        severity: "warn",
        unit: "%",
        value: round2(away),
        limit: 10,
        get message() {
          return `The ${r.limitPrice !== undefined ? "limit" : "stop"} price $${ref} is ${
            pct(away)
          } away from the last price $${input.last}: check for a typo.`;
        },
      });
    }
  }

  return {
    qty,
    price,
    cost: round2(cost),
    positionQtyAfter: round8(after),
    buyingPowerAfter: round2(buyingPowerAfter),
    increasesExposure,
    checks,
    refusals: checks.filter((c) => !c.ok && c.severity === "refuse"),
  };
}

/**
 * The error code for a refusal: a malformed size is a plain `order_refused`; otherwise a lack
 * of buying power or an unwanted short sale is named, as Alpaca names them.
 */
export function refusalCode(refusals: CheckResult[]): string {
  const rules = new Set(refusals.map((c) => c.rule));
  if (rules.has("quantity") || rules.has("notional")) return "order_refused";
  if (rules.has("buying_power")) return "insufficient_buying_power";
  if (rules.has("short_sale")) return "short_sale_not_allowed";
  return "order_refused";
}

/** One sentence for a refused order, naming every rule that refused it. */
export function refusalMessage(refusals: CheckResult[]): string {
  return `Order refused: ${refusals.map((c) => c.message).join(" ")}`;
}

function floor8(x: number): number {
  return Math.floor(x * 1e8) / 1e8;
}
function round8(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The prices a fill is decided on. */
export interface QuoteView {
  bid: number | null;
  ask: number | null;
  last: number | null;
}

/**
 * The price a buy (ask) or sell (bid) would fill at now, or null when there is none: the checks
 * estimate an order's cost with it and the paper broker fills at it, so both agree.
 */
export function executionPrice(side: OrderSide, q: QuoteView): number | null {
  const p = side === "buy" ? q.ask ?? q.last : q.bid ?? q.last;
  return p !== null && Number.isFinite(p) && p > 0 ? p : null;
}

/** The price an order's checks use: what it would fill at now, or its own limit/stop. */
export function estimatePrice(req: OrderRequest, quote: Quote): number | null {
  const px = executionPrice(req.side, quote);
  switch (req.type) {
    case "market":
    case "trailing_stop":
      return px;
    case "limit":
    case "stop_limit":
      return req.limitPrice ?? px;
    case "stop":
      return req.side === "buy" ? Math.max(req.stopPrice ?? 0, px ?? 0) || null : px;
  }
}

/** The largest percent trail an order may carry (the order form's own limit). */
export const MAX_TRAIL_PERCENT = 50;

/**
 * What makes `change` impossible for this order whatever the account holds, or null. The
 * replace body is validated without knowing the order; these rules need it.
 */
export function replaceProblem(
  order: { type: OrderRequest["type"]; notional: unknown; trailPercent: unknown },
  change: { qty?: number; limitPrice?: number; stopPrice?: number; trail?: number },
): string | null {
  if (order.notional !== null && change.qty !== undefined) {
    return "A dollar-amount order's quantity cannot be changed; cancel it and place a new one.";
  }
  if (change.limitPrice !== undefined && !["limit", "stop_limit"].includes(order.type)) {
    return "Only limit and stop-limit orders have a limit price.";
  }
  if (change.stopPrice !== undefined && !["stop", "stop_limit"].includes(order.type)) {
    return "Only stop and stop-limit orders have a stop price.";
  }
  if (change.trail !== undefined) {
    if (order.type !== "trailing_stop") return "Only trailing stops have a trail.";
    if (order.trailPercent !== null && change.trail > MAX_TRAIL_PERCENT) {
      return `A trail of at most ${MAX_TRAIL_PERCENT} %.`;
    }
  }
  return null;
}
