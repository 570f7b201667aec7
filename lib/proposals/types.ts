/**
 * Trade proposals: one concrete order waiting for a person, with where it came from and why.
 * The shapes here are what the API answers and what `createProposal` takes; the order fields
 * are validated by the trading API's own schema (lib/broker/api.ts), so a proposal can only hold
 * an order `/api/orders` would accept.
 *
 * @module
 */
import { z } from "zod";
import { orderBodySchema } from "../broker/api.ts";
import type { CheckResult, OrderSide, OrderType, TimeInForce } from "../broker/types.ts";

export const PROPOSAL_STATUSES = ["pending", "approved", "rejected", "expired"] as const;
export type ProposalStatus = typeof PROPOSAL_STATUSES[number];

export const SOURCE_KINDS = ["recommendation", "strategy", "chat", "manual"] as const;
export type SourceKind = typeof SOURCE_KINDS[number];

/** The order a proposal stands for: `/api/orders`'s body without a key (it is derived). */
export const proposalOrderSchema = orderBodySchema.superRefine((o, ctx) => {
  if (o.clientOrderId !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["clientOrderId"],
      message: "A proposal's order key is derived from the proposal: leave clientOrderId out.",
    });
  }
  if (o.preview) {
    ctx.addIssue({ code: "custom", path: ["preview"], message: "preview is not for proposals." });
  }
}).transform(({ clientOrderId: _k, preview: _p, ...order }) => order);

export type ProposalOrder = z.infer<typeof proposalOrderSchema>;

export const proposalSourceSchema = z.strictObject({
  kind: z.enum(SOURCE_KINDS),
  /** The recommendation's, strategy's or conversation's id, as text. */
  ref: z.string().trim().min(1).max(128).nullable().default(null),
});

/** What `createProposal` takes. */
export const proposalInputSchema = z.strictObject({
  order: proposalOrderSchema,
  source: proposalSourceSchema,
  /** Why: the person's note, or the analyst's reasoning. */
  note: z.string().trim().max(1000).default(""),
});

export type ProposalInput = z.input<typeof proposalInputSchema>;

/** Who acted on a proposal, as the audit log records it. */
export type Actor =
  | { kind: "user"; id: number }
  | { kind: "analyst"; id: null }
  | { kind: "auto"; id: null }
  | { kind: "system"; id: null };

export interface Refusal {
  code: string;
  message: string;
  at: string;
  checks?: CheckResult[];
}

export interface Proposal {
  id: string;
  status: ProposalStatus;
  order: {
    symbol: string;
    side: OrderSide;
    type: OrderType;
    timeInForce: TimeInForce;
    qty: number | null;
    notional: number | null;
    limitPrice: number | null;
    stopPrice: number | null;
    trailPrice: number | null;
    trailPercent: number | null;
  };
  source: { kind: SourceKind; ref: string | null };
  note: string;
  createdAt: string;
  /** The close of the session it was made in; null when the market clock did not say. */
  expiresAt: string | null;
  /** That session's exchange date (for replay: the replayed day). */
  expiresSession: string | null;
  decidedAt: string | null;
  /** The user who approved or rejected it; null for auto-approval and expiry. */
  decidedBy: number | null;
  decidedVia: "user" | "auto" | "system" | null;
  /** The key of the order approval places (derived from the id): one order however often. */
  clientOrderId: string;
  orderId: string | null;
  /** Why the last approval was refused (a pre-trade check, the kill switch); null otherwise. */
  lastRefusal: Refusal | null;
}

export const PROPOSAL_EVENTS = [
  "created",
  "approved",
  "auto_approved",
  "approval_refused",
  "rejected",
  "expired",
] as const;
export type ProposalEventKind = typeof PROPOSAL_EVENTS[number];

/** One row of the append-only audit log. */
export interface ProposalEvent {
  id: number;
  proposalId: string;
  event: ProposalEventKind;
  actor: Actor["kind"];
  actorId: number | null;
  orderId: string | null;
  clientOrderId: string | null;
  detail: Record<string, unknown>;
  createdAt: string;
  /** The proposal's order in words ("buy 5 AAPL"), joined for the log's reader. */
  summary: string;
}

/** The order key of proposal `id`: what makes its approval happen once. */
export function proposalOrderKey(id: string): string {
  return `proposal-${id}`;
}
