/**
 * The trading screens' pure side: how money, percentages and share counts are written, how the
 * order ticket's text fields become an order body (with the same rules the API applies, so most
 * mistakes are caught before a request), how API errors and order results read, and how a
 * position is re-marked when a live quote arrives. No DOM, no fetch: everything here is tested.
 *
 * Islands import this module, so it must stay free of zod and server code.
 */
import type {
  Account,
  CheckResult,
  Order,
  OrderSide,
  OrderStatus,
  OrderType,
  Position,
  TimeInForce,
} from "../broker/types.ts";
import { marketDate, MISSING } from "./format.ts";

// ---------- Formatting ----------

const cents = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const sharesFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 8 });

function finite(n: number | null | undefined): n is number {
  return typeof n === "number" && Number.isFinite(n);
}

/** `1234.5` → `$1,234.50`; negative amounts get a real minus: `−$3.00`. */
export function formatUsd(n: number | null | undefined): string {
  if (!finite(n)) return MISSING;
  const text = cents.format(Math.abs(n));
  return n < 0 && text !== "0.00" ? `−$${text}` : `$${text}`;
}

/** Gains and losses: `+$12.30`, `−$4.00`, and `$0.00` with no sign. */
export function formatSignedUsd(n: number | null | undefined): string {
  if (!finite(n)) return MISSING;
  const text = cents.format(Math.abs(n));
  if (text === "0.00") return "$0.00";
  return `${n > 0 ? "+" : "−"}$${text}`;
}

/** A fraction as a signed percent: `0.0123` → `+1.23 %`. */
export function formatSignedPercent(fraction: number | null | undefined): string {
  if (!finite(fraction)) return MISSING;
  const text = cents.format(Math.abs(fraction * 100));
  if (text === "0.00") return "0.00 %";
  return `${fraction > 0 ? "+" : "−"}${text} %`;
}

/** Share counts as typed: whole numbers grouped, fractions to at most 8 places. */
export function formatShares(n: number | null | undefined): string {
  if (!finite(n)) return MISSING;
  const text = sharesFmt.format(Math.abs(n));
  return n < 0 && text !== "0" ? `−${text}` : text;
}

/** `10` → `10 shares`, `1` → `1 share`. */
export function sharesWithUnit(n: number | null | undefined): string {
  if (!finite(n)) return MISSING;
  return `${formatShares(n)} ${Math.abs(n) === 1 ? "share" : "shares"}`;
}

/** CSS class for a gain or loss figure. */
export function tone(n: number | null | undefined): "gain" | "loss" | "flat" {
  if (!finite(n) || Math.abs(n) < 0.005) return "flat";
  return n > 0 ? "gain" : "loss";
}

// ---------- Time ----------

/** Minutes New York's wall clock is ahead of UTC at `instant` (−300 in winter, −240 in summer). */
function nyOffsetMinutes(instant: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: "America/New_York",
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    }).formatToParts(new Date(instant)).map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** Midnight in New York of the exchange day `now` falls on, as an ISO instant (UTC). */
export function startOfMarketDay(now: Date = new Date()): string {
  const day = marketDate(now.toISOString());
  if (!day) throw new Error("startOfMarketDay: invalid date");
  const [y, m, d] = day.split("-").map(Number);
  const utcMidnight = Date.UTC(y, m - 1, d);
  // Clocks change at 02:00, so the offset five hours after UTC midnight is midnight's offset.
  const offset = nyOffsetMinutes(utcMidnight + 5 * 3_600_000);
  return new Date(utcMidnight - offset * 60_000).toISOString();
}

// ---------- Order ticket ----------

export type AmountMode = "shares" | "dollars";
export type TrailMode = "price" | "percent";

/** The ticket's fields as the user typed them. */
export interface TicketForm {
  symbol: string;
  side: OrderSide;
  amountMode: AmountMode;
  amount: string;
  type: OrderType;
  timeInForce: TimeInForce;
  limitPrice: string;
  stopPrice: string;
  trailMode: TrailMode;
  trail: string;
}

/** The fields an error can point at. */
export type TicketField =
  | "symbol"
  | "amount"
  | "type"
  | "timeInForce"
  | "limitPrice"
  | "stopPrice"
  | "trail"
  | "side";

export type FieldErrors = Partial<Record<TicketField, string>>;

/** `POST /api/orders` without the preview flag and the key. */
export interface OrderBody {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  qty?: number;
  notional?: number;
  limitPrice?: number;
  stopPrice?: number;
  trailPrice?: number;
  trailPercent?: number;
}

export const ORDER_TYPES: { value: OrderType; label: string }[] = [
  { value: "market", label: "Market" },
  { value: "limit", label: "Limit" },
  { value: "stop", label: "Stop" },
  { value: "stop_limit", label: "Stop limit" },
  { value: "trailing_stop", label: "Trailing stop" },
];

export function orderTypeLabel(type: OrderType): string {
  return ORDER_TYPES.find((t) => t.value === type)?.label ?? type;
}

export function needsLimit(type: OrderType): boolean {
  return type === "limit" || type === "stop_limit";
}

export function needsStop(type: OrderType): boolean {
  return type === "stop" || type === "stop_limit";
}

/** Dollar amounts and fractional shares exist only for market orders good for the day. */
export function fractionalAllowed(type: OrderType, tif: TimeInForce): boolean {
  return type === "market" && tif === "day";
}

export const FRACTIONAL_RULE =
  "Dollar amounts and fractional shares are only for market orders with time in force Day: " +
  "the broker fills fractions at the market during the session, never as resting orders.";

// Same as the API's ticker rule (lib/market/symbols.ts), repeated because that module brings
// zod with it and this one ships to the browser.
const TICKER = /^[A-Z]{1,5}([.-][A-Z])?$/;
const INDEXES = new Set(["SPX", "VIX", "DJI", "COMP"]);

/** The ticket's symbol, canonical, or why it is not one. */
export function checkTicketSymbol(text: string): { ok: true; symbol: string } | {
  ok: false;
  message: string;
} {
  const s = text.trim().toUpperCase();
  if (!s) return { ok: false, message: "Enter a symbol, e.g. AAPL." };
  if (INDEXES.has(s.replace(/^[\^$]/, ""))) {
    return { ok: false, message: `${s} is an index: it cannot be traded.` };
  }
  if (!TICKER.test(s)) {
    return { ok: false, message: "A ticker is 1 to 5 letters, optionally .X or -X (BRK.B)." };
  }
  return { ok: true, symbol: s };
}

function decimals(text: string): number {
  const m = /\.(\d+)$/.exec(text);
  return m ? m[1].length : 0;
}

/** A positive decimal typed by a person (`1,000.5` allowed), or why not. */
export function parseAmount(
  text: string,
  what: string,
  maxDecimals: number,
): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim().replace(/,/g, "");
  if (!t) return { ok: false, message: `Enter ${what}.` };
  if (!/^\d*\.?\d+$|^\d+\.$/.test(t)) return { ok: false, message: `${what} must be a number.` };
  const value = Number(t);
  if (!(value > 0)) return { ok: false, message: `${what} must be more than 0.` };
  if (decimals(t) > maxDecimals) {
    return {
      ok: false,
      message: maxDecimals === 0
        ? `${what} must be whole.`
        : `${what}: at most ${maxDecimals} decimal places.`,
    };
  }
  return { ok: true, value };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The ticket's fields as an order body, or the errors to show beside the fields. The server
 * checks everything again; this only saves a round trip for the obvious mistakes.
 */
export function buildOrder(
  form: TicketForm,
): { ok: true; body: OrderBody } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const body: Partial<OrderBody> = {
    side: form.side,
    type: form.type,
    timeInForce: form.timeInForce,
  };
  const sym = checkTicketSymbol(form.symbol);
  if (sym.ok) body.symbol = sym.symbol;
  else errors.symbol = sym.message;

  const fractional = fractionalAllowed(form.type, form.timeInForce);
  if (form.amountMode === "dollars") {
    if (!fractional) errors.amount = FRACTIONAL_RULE;
    else {
      const a = parseAmount(form.amount, "the dollar amount", 2);
      if (a.ok) body.notional = a.value;
      else errors.amount = capitalize(a.message);
    }
  } else {
    const a = parseAmount(form.amount, "the number of shares", 8);
    if (!a.ok) errors.amount = capitalize(a.message);
    else if (!Number.isInteger(a.value) && !fractional) {
      errors.amount = "Whole shares only: " + FRACTIONAL_RULE.charAt(0).toLowerCase() +
        FRACTIONAL_RULE.slice(1);
    } else body.qty = a.value;
  }

  if (needsLimit(form.type)) {
    const p = parseAmount(form.limitPrice, "a limit price", 6);
    if (p.ok) body.limitPrice = p.value;
    else errors.limitPrice = capitalize(p.message);
  }
  if (needsStop(form.type)) {
    const p = parseAmount(form.stopPrice, "a stop price", 6);
    if (p.ok) body.stopPrice = p.value;
    else errors.stopPrice = capitalize(p.message);
  }
  if (form.type === "trailing_stop") {
    const p = parseAmount(
      form.trail,
      form.trailMode === "percent" ? "a trail in percent" : "a trail in dollars",
      form.trailMode === "percent" ? 4 : 6,
    );
    if (!p.ok) errors.trail = capitalize(p.message);
    else if (form.trailMode === "percent") {
      if (p.value > 50) errors.trail = "A trail of at most 50 %.";
      else body.trailPercent = p.value;
    } else body.trailPrice = p.value;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, body: body as OrderBody };
}

/** The ticket field an API validation path (`qty`, `trailPercent`, …) belongs to. */
export function fieldForPath(path: string): TicketField | null {
  const head = path.split(".")[0];
  switch (head) {
    case "qty":
    case "notional":
      return "amount";
    case "trailPrice":
    case "trailPercent":
      return "trail";
    case "symbol":
    case "type":
    case "timeInForce":
    case "limitPrice":
    case "stopPrice":
    case "side":
      return head;
    default:
      return null;
  }
}

// ---------- API answers ----------

/** What the browser needs from an API error body. */
export interface ApiProblem {
  status: number;
  code: string;
  message: string;
  fieldErrors: FieldErrors;
  /** Pre-trade checks a refusal came with. */
  checks: CheckResult[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isCheck(v: unknown): v is CheckResult {
  return isRecord(v) && typeof v.rule === "string" && typeof v.ok === "boolean" &&
    typeof v.message === "string" &&
    (v.severity === "refuse" || v.severity === "warn" || v.severity === "info");
}

/** Reads `{error: {code, message, details}}`, whatever of it arrived. */
export function readProblem(status: number, body: unknown): ApiProblem {
  const err = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = typeof err.code === "string" ? err.code : `http_${status}`;
  const message = typeof err.message === "string" && err.message
    ? err.message
    : status === 0
    ? "The server could not be reached."
    : `The request failed (HTTP ${status}).`;
  const fieldErrors: FieldErrors = {};
  let checks: CheckResult[] = [];
  const details = err.details;
  if (Array.isArray(details)) {
    for (const d of details) {
      if (!isRecord(d) || typeof d.message !== "string") continue;
      const field = fieldForPath(typeof d.path === "string" ? d.path : "");
      if (field && !fieldErrors[field]) fieldErrors[field] = d.message;
    }
  } else if (isRecord(details) && Array.isArray(details.checks)) {
    checks = details.checks.filter(isCheck);
  }
  return { status, code, message, fieldErrors, checks };
}

/** The preview part of `POST /api/orders` with `preview: true`. */
export interface OrderPreview {
  symbol: string;
  side: OrderSide;
  qty: number;
  estimatedPrice: number;
  estimatedCost: number;
  buyingPower: number;
  buyingPowerAfter: number;
  positionQty: number;
  positionQtyAfter: number;
  marketState: "open" | "premarket" | "postmarket" | "closed";
  marketOpen: boolean;
  quote: {
    bid: number | null;
    ask: number | null;
    last: number | null;
    timestamp: string;
    source: string;
    replayDate?: string;
  };
  checks: CheckResult[];
  refused?: boolean;
}

function num(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** The preview in a 200 answer, or null when it is not one (the island then shows an error). */
export function readPreview(body: unknown): OrderPreview | null {
  if (!isRecord(body) || !isRecord(body.preview)) return null;
  const p = body.preview;
  if (
    typeof p.symbol !== "string" || !num(p.qty) || !num(p.estimatedPrice) ||
    !num(p.estimatedCost) || !num(p.buyingPower) || !num(p.buyingPowerAfter) ||
    !num(p.positionQty) || !num(p.positionQtyAfter) || typeof p.marketState !== "string" ||
    !isRecord(p.quote) || !Array.isArray(p.checks)
  ) return null;
  return { ...(p as unknown as OrderPreview), checks: p.checks.filter(isCheck) };
}

/** True when some check refuses the order: Confirm must stay disabled. */
export function isRefused(checks: readonly CheckResult[]): boolean {
  return checks.some((c) => !c.ok && c.severity === "refuse");
}

/** How a check is shown: passed, a warning, or a refusal. */
export function checkVerdict(check: CheckResult): "ok" | "warn" | "refuse" {
  if (!check.ok && check.severity === "refuse") return "refuse";
  if (check.severity === "warn" || !check.ok) return "warn";
  return "ok";
}

const RULE_LABELS: Record<CheckResult["rule"], string> = {
  quantity: "Quantity",
  notional: "Dollar amount",
  max_order_value: "Maximum order value",
  max_position_percent: "Maximum position size",
  daily_loss_limit: "Daily loss limit",
  buying_power: "Buying power",
  short_sale: "Short selling",
  market_hours: "Market hours",
  price: "Price sanity",
};

export function ruleLabel(rule: string): string {
  return RULE_LABELS[rule as CheckResult["rule"]] ?? rule.replace(/_/g, " ");
}

/** "over by $1,234.00" for a refused check that says by how much; "" otherwise. */
export function excessText(check: CheckResult): string {
  if (!finite(check.excess) || check.excess <= 0) return "";
  const amount = check.unit === "USD"
    ? formatUsd(check.excess)
    : check.unit === "%"
    ? `${cents.format(check.excess)} percentage points`
    : check.unit === "shares"
    ? sharesWithUnit(check.excess)
    : String(check.excess);
  return `over by ${amount}`;
}

// ---------- Orders ----------

function isOrder(v: unknown): v is Order {
  return isRecord(v) && typeof v.id === "string" && typeof v.symbol === "string" &&
    (v.side === "buy" || v.side === "sell") && typeof v.type === "string" &&
    typeof v.status === "string" && typeof v.createdAt === "string" && num(v.filledQty);
}

/** `{placed: true, order, duplicate}` from a confirmed order, or null when malformed. */
export function readPlaced(body: unknown): { order: Order; duplicate: boolean } | null {
  if (!isRecord(body) || body.placed !== true || !isOrder(body.order)) return null;
  return { order: body.order, duplicate: body.duplicate === true };
}

/** `{orders}` of `GET /api/orders`, dropping entries that are not orders; null if malformed. */
export function readOrders(body: unknown): Order[] | null {
  if (!isRecord(body) || !Array.isArray(body.orders)) return null;
  return body.orders.filter(isOrder);
}

function isPosition(v: unknown): v is Position {
  return isRecord(v) && typeof v.symbol === "string" && num(v.qty) && num(v.costBasis) &&
    num(v.avgEntryPrice) && (v.side === "long" || v.side === "short");
}

export interface PositionsAnswer {
  positions: Position[];
  prices: string;
}

/** `GET /api/positions`, or null when malformed. */
export function readPositions(body: unknown): PositionsAnswer | null {
  if (!isRecord(body) || !Array.isArray(body.positions)) return null;
  return {
    positions: body.positions.filter(isPosition),
    prices: typeof body.prices === "string" ? body.prices : "unknown",
  };
}

/** What the positions screen shows: the account, its positions and where prices came from. */
export interface PortfolioSnapshot {
  account: Account;
  positions: Position[];
  /** `replay`, `tradier` or `alpaca`. */
  prices: string;
}

/** The account of `GET /api/portfolio`, or null when malformed. */
export function readAccount(body: unknown): Account | null {
  if (!isRecord(body) || !isRecord(body.account)) return null;
  const a = body.account;
  if (!num(a.cash) || !num(a.buyingPower) || !num(a.equity) || !num(a.dayPl)) return null;
  return a as unknown as Account;
}

const PAST: Record<OrderSide, string> = { buy: "Bought", sell: "Sold" };

/** `10 AAPL` or `$500.00 of AAPL`. */
export function orderSize(order: Pick<Order, "qty" | "notional" | "symbol">): string {
  if (order.qty !== null) return `${formatShares(order.qty)} ${order.symbol}`;
  if (order.notional !== null) return `${formatUsd(order.notional)} of ${order.symbol}`;
  return order.symbol;
}

/** The order's price terms: `limit $180.00`, `stop $170.00`, `trail 2 %`; "" for market. */
export function orderPriceTerms(
  order: Pick<Order, "limitPrice" | "stopPrice" | "trailPrice" | "trailPercent">,
): string {
  const parts: string[] = [];
  if (order.stopPrice !== null) parts.push(`stop ${formatUsd(order.stopPrice)}`);
  if (order.limitPrice !== null) parts.push(`limit ${formatUsd(order.limitPrice)}`);
  if (order.trailPrice !== null) parts.push(`trail ${formatUsd(order.trailPrice)}`);
  if (order.trailPercent !== null) parts.push(`trail ${order.trailPercent} %`);
  return parts.join(" · ");
}

/** The toast after placing: what happened to the order, in words. */
export function placedMessage(
  order: Order,
  duplicate = false,
): { kind: "success" | "info" | "error"; text: string } {
  const prefix = duplicate ? "Already placed: " : "";
  const terms = orderPriceTerms(order);
  const what = `${orderTypeLabel(order.type).toLowerCase()} order to ${order.side} ${
    orderSize(order)
  }${terms ? ` (${terms})` : ""}`;
  switch (order.status) {
    case "filled":
      return {
        kind: "success",
        text: `${prefix}${PAST[order.side]} ${formatShares(order.filledQty)} ${order.symbol} at ${
          formatUsd(order.filledAvgPrice)
        }`,
      };
    case "partially_filled":
      return {
        kind: "success",
        text: `${prefix}${PAST[order.side]} ${formatShares(order.filledQty)} ${order.symbol} at ${
          formatUsd(order.filledAvgPrice)
        } so far; the rest is working`,
      };
    case "accepted":
      return { kind: "info", text: `${prefix}${capitalize(what)} is queued for the open` };
    case "pending_new":
      return { kind: "info", text: `${prefix}${capitalize(what)} was sent to the broker` };
    case "new":
      return { kind: "info", text: `${prefix}${capitalize(what)} is resting` };
    case "rejected":
    case "canceled":
    case "expired":
      return {
        kind: "error",
        text: `${prefix}${capitalize(what)} was ${order.status}${
          order.reason ? `: ${order.reason}` : ""
        }`,
      };
    default:
      return { kind: "info", text: `${prefix}${capitalize(what)}: ${statusLabel(order.status)}` };
  }
}

const STATUS_LABELS: Record<OrderStatus, string> = {
  pending_new: "Sending",
  accepted: "Queued",
  new: "Working",
  partially_filled: "Partly filled",
  filled: "Filled",
  canceled: "Canceled",
  expired: "Expired",
  replaced: "Replaced",
  rejected: "Rejected",
  pending_cancel: "Canceling",
  pending_replace: "Replacing",
};

export function statusLabel(status: OrderStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** Badge colour of a status. */
export function statusTone(status: OrderStatus): "open" | "filled" | "done" | "bad" {
  if (status === "filled") return "filled";
  if (status === "rejected") return "bad";
  if (status === "canceled" || status === "expired" || status === "replaced") return "done";
  return "open";
}

/** Only these can still be canceled from the screen. */
export function cancelable(status: OrderStatus): boolean {
  return status === "accepted" || status === "new" || status === "partially_filled" ||
    status === "pending_new";
}

// ---------- Positions ----------

/** A position re-marked at `last` (the stream's price); unchanged without one. */
export function remark(position: Position, last: number | null | undefined): Position {
  if (!finite(last) || last <= 0) return position;
  const marketValue = round2(position.qty * last);
  const unrealizedPl = round2(marketValue - position.costBasis);
  const prev = position.lastdayPrice;
  return {
    ...position,
    currentPrice: last,
    marketValue,
    unrealizedPl,
    unrealizedPlPercent: position.costBasis !== 0
      ? unrealizedPl / Math.abs(position.costBasis)
      : null,
    changeToday: finite(prev) && prev > 0 ? last / prev - 1 : position.changeToday,
    dayPl: finite(prev) && prev > 0 ? round2(position.qty * (last - prev)) : position.dayPl,
  };
}

export interface PortfolioTotals {
  marketValue: number;
  costBasis: number;
  unrealizedPl: number;
  /** Fraction of |cost basis|; null with nothing held. */
  unrealizedPlPercent: number | null;
  dayPl: number;
  positions: number;
}

/** Sums of the positions' figures, as `GET /api/portfolio` reports them. */
export function totalsOf(positions: readonly Position[]): PortfolioTotals {
  let marketValue = 0;
  let costBasis = 0;
  let unrealizedPl = 0;
  let dayPl = 0;
  for (const p of positions) {
    marketValue += p.marketValue ?? p.costBasis;
    costBasis += p.costBasis;
    unrealizedPl += p.unrealizedPl ?? 0;
    dayPl += p.dayPl ?? 0;
  }
  return {
    marketValue: round2(marketValue),
    costBasis: round2(costBasis),
    unrealizedPl: round2(unrealizedPl),
    unrealizedPlPercent: costBasis !== 0 ? unrealizedPl / Math.abs(costBasis) : null,
    dayPl: round2(dayPl),
    positions: positions.length,
  };
}

/**
 * The account with live prices: equity and day P&L move by what the positions' re-marking
 * moved them; cash and buying power stay as the broker reported them.
 */
export function liveAccount(
  account: Account,
  served: readonly Position[],
  live: readonly Position[],
): Account {
  const before = totalsOf(served);
  const after = totalsOf(live);
  return {
    ...account,
    equity: round2(account.equity + after.marketValue - before.marketValue),
    dayPl: round2(account.dayPl + after.dayPl - before.dayPl),
    unrealizedPl: round2(account.unrealizedPl + after.unrealizedPl - before.unrealizedPl),
  };
}

/** The close dialog's question: `Sell 10 AAPL at market?` (a short is bought back). */
export function closeQuestion(position: Pick<Position, "qty" | "symbol" | "side">): string {
  return position.side === "short" || position.qty < 0
    ? `Buy ${formatShares(Math.abs(position.qty))} ${position.symbol} at market to cover the short?`
    : `Sell ${formatShares(position.qty)} ${position.symbol} at market?`;
}

/** The REPLAY badge's date for replayed prices: the quote's replay day, else its NY date. */
export function replayDay(quote: { timestamp: string; replayDate?: string } | null): string | null {
  if (!quote) return null;
  return quote.replayDate ?? marketDate(quote.timestamp);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
