/**
 * Reading the trading API's answers in the browser: error bodies, order previews, placed orders,
 * order lists, positions, the account and the portfolio snapshot. Bodies are checked field by
 * field before use, so a malformed answer becomes null (or is filtered out) instead of a broken
 * screen.
 *
 * Browser code: no zod, no DOM, no fetch; type-only imports from the broker, which ship nothing.
 */
import type { Account, CheckResult, Order, Position } from "../broker/types.ts";
import type { Preview } from "../broker/trading.ts";
import type { PortfolioSnapshot } from "../broker/snapshot.ts";
import { type FieldErrors, fieldForPath } from "../shared/ticket.ts";

/** What the browser needs from an API error body. */
export interface ApiProblem {
  status: number;
  code: string;
  message: string;
  fieldErrors: FieldErrors;
  /** Every validation issue as the server named it (path, message), for forms other than the ticket. */
  issues: { path: string; message: string }[];
  /** Pre-trade checks a refusal came with. */
  checks: CheckResult[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
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
  const issues: { path: string; message: string }[] = [];
  let checks: CheckResult[] = [];
  const details = err.details;
  if (Array.isArray(details)) {
    for (const d of details) {
      if (!isRecord(d) || typeof d.message !== "string") continue;
      issues.push({ path: typeof d.path === "string" ? d.path : "", message: d.message });
      const field = fieldForPath(typeof d.path === "string" ? d.path : "");
      if (field && !fieldErrors[field]) fieldErrors[field] = d.message;
    }
  } else if (isRecord(details) && Array.isArray(details.checks)) {
    checks = details.checks.filter(isCheck);
  }
  return { status, code, message, fieldErrors, issues, checks };
}

/**
 * The preview part of `POST /api/orders` with `preview: true`: the server's `Preview` without
 * the fields `readPreview` does not check (`type`, `source`), and `refused` optional for the same
 * reason. The screen decides refusal from the checks (`isRefused`), never from that flag.
 */
export type OrderPreview = Omit<Preview, "type" | "source" | "refused"> & { refused?: boolean };

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

/** What the positions screen shows (built on the server by lib/broker/snapshot.ts). */
export type { PortfolioSnapshot } from "../broker/snapshot.ts";

function isAccount(v: unknown): v is Account {
  return isRecord(v) && num(v.cash) && num(v.buyingPower) && num(v.equity) && num(v.dayPl);
}

/** The account of `GET /api/portfolio`, or null when malformed. */
export function readAccount(body: unknown): Account | null {
  return isRecord(body) && isAccount(body.account) ? body.account : null;
}

/**
 * `GET /api/portfolio/snapshot`, or null when malformed. Entries that are not positions are
 * dropped, but a missing account, list or source makes the whole answer unusable: the screen
 * would otherwise show a portfolio that is not the broker's.
 */
export function readSnapshot(body: unknown): PortfolioSnapshot | null {
  if (
    !isRecord(body) || !isAccount(body.account) || !Array.isArray(body.positions) ||
    typeof body.prices !== "string" || typeof body.source !== "string"
  ) return null;
  return {
    account: body.account,
    positions: body.positions.filter(isPosition),
    // Labels the screen shows as given; checked only for being text.
    prices: body.prices as PortfolioSnapshot["prices"],
    source: body.source as PortfolioSnapshot["source"],
  };
}
