/**
 * How a proposal reads on screen, shared by the queue island and the server-rendered audit log:
 * the order in words with its units, where it came from, and the audit events in words.
 */
import type { Proposal, ProposalEvent } from "../../proposals/types.ts";
import { formatUsd, sharesWithUnit } from "../../shared/money.ts";

export type { Proposal, ProposalEvent };

/** The window event another island sends with a new pending proposal for the queue to show. */
export const PROPOSAL_EVENT = "paiid:proposal";

/** "Buy 5 shares of AAPL · limit $99.00 · Day" */
export function orderText(o: Proposal["order"]): string {
  const size = o.notional !== null
    ? `${formatUsd(o.notional)} of ${o.symbol}`
    : `${sharesWithUnit(o.qty)} of ${o.symbol}`;
  const terms = [
    o.stopPrice !== null ? `stop ${formatUsd(o.stopPrice)}` : "",
    o.limitPrice !== null ? `limit ${formatUsd(o.limitPrice)}` : "",
    o.trailPrice !== null ? `trail ${formatUsd(o.trailPrice)}` : "",
    o.trailPercent !== null ? `trail ${o.trailPercent} %` : "",
  ].filter(Boolean);
  return [
    `${o.side === "buy" ? "Buy" : "Sell"} ${size}`,
    ...(terms.length ? terms : [o.type.replace("_", " ")]),
    o.timeInForce === "day" ? "Day" : "GTC",
  ].join(" · ");
}

const SOURCES: Record<Proposal["source"]["kind"], string> = {
  recommendation: "AI recommendation",
  strategy: "Strategy signal",
  chat: "Analyst (chat)",
  manual: "You, by hand",
};

export function sourceText(s: Proposal["source"]): string {
  return SOURCES[s.kind] ?? s.kind;
}

const EVENTS: Record<ProposalEvent["event"], string> = {
  created: "proposed",
  approved: "approved",
  auto_approved: "auto-approved",
  approval_refused: "approval refused",
  rejected: "rejected",
  expired: "expired",
};

const ACTORS: Record<ProposalEvent["actor"], string> = {
  user: "you",
  analyst: "the analyst",
  auto: "auto-approval",
  system: "PaiiD",
};

/** "auto-approval auto-approved buy 5 AAPL → order 1a2b3c4d" */
export function eventText(e: ProposalEvent): string {
  const order = e.orderId ? ` → order ${e.orderId.slice(0, 8)}` : "";
  const why = typeof e.detail.message === "string"
    ? `: ${e.detail.message}`
    : typeof e.detail.reason === "string"
    ? `: ${e.detail.reason}`
    : "";
  return `${ACTORS[e.actor] ?? e.actor} ${EVENTS[e.event] ?? e.event} ${e.summary}${order}${why}`;
}

/** When a proposal ends, in New York time: "expires 4:00 PM ET (session 2026-11-04)". */
export function expiryText(p: Pick<Proposal, "expiresAt" | "expiresSession">): string {
  if (!p.expiresAt) return "expires at the session's close";
  const time = new Date(p.expiresAt).toLocaleTimeString("en-US", {
    timeZone: "America/New_York",
    hour: "numeric",
    minute: "2-digit",
  });
  return `expires ${time} ET${p.expiresSession ? ` (session ${p.expiresSession})` : ""}`;
}
