/**
 * Proposals and their audit log in Postgres (`proposals`, `proposal_events`, migration 0012).
 * Every read is scoped to its owner: another user's proposal is simply not found. Events are
 * only ever inserted; the table's triggers refuse anything else.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import type { OrderRequest } from "../broker/types.ts";
import type {
  Actor,
  Proposal,
  ProposalEvent,
  ProposalEventKind,
  ProposalOrder,
  ProposalStatus,
  Refusal,
  SourceKind,
} from "./types.ts";

export interface ProposalRow {
  id: string;
  user_id: number;
  status: ProposalStatus;
  symbol: string;
  side: Proposal["order"]["side"];
  type: Proposal["order"]["type"];
  time_in_force: Proposal["order"]["timeInForce"];
  qty: string | null;
  notional: string | null;
  limit_price: string | null;
  stop_price: string | null;
  trail_price: string | null;
  trail_percent: string | null;
  source_kind: SourceKind;
  source_ref: string | null;
  note: string;
  created_at: Date;
  expires_at: Date | null;
  expires_session: string | null;
  expires_session_no: number | null;
  claimed_at: Date | null;
  claim_token: string | null;
  last_refusal: Refusal | null;
  auto_value: string | null;
  auto_session: number | null;
  decided_at: Date | null;
  decided_by: number | null;
  decided_via: Proposal["decidedVia"];
  client_order_id: string;
  order_id: string | null;
}

const num = (v: string | null) => v === null ? null : Number(v);
const iso = (d: Date | null) => d === null ? null : d.toISOString();

export function toProposal(r: ProposalRow): Proposal {
  return {
    id: r.id,
    status: r.status,
    order: {
      symbol: r.symbol,
      side: r.side,
      type: r.type,
      timeInForce: r.time_in_force,
      qty: num(r.qty),
      notional: num(r.notional),
      limitPrice: num(r.limit_price),
      stopPrice: num(r.stop_price),
      trailPrice: num(r.trail_price),
      trailPercent: num(r.trail_percent),
    },
    source: { kind: r.source_kind, ref: r.source_ref },
    note: r.note,
    createdAt: r.created_at.toISOString(),
    expiresAt: iso(r.expires_at),
    expiresSession: r.expires_session,
    decidedAt: iso(r.decided_at),
    decidedBy: r.decided_by,
    decidedVia: r.decided_via,
    clientOrderId: r.client_order_id,
    orderId: r.order_id,
    lastRefusal: r.last_refusal,
  };
}

/** The order approval places: the stored fields and the key derived from the proposal. */
export function orderRequestOf(r: ProposalRow): OrderRequest {
  const opt = (v: string | null) => v === null ? undefined : Number(v);
  return {
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    timeInForce: r.time_in_force,
    qty: opt(r.qty),
    notional: opt(r.notional),
    limitPrice: opt(r.limit_price),
    stopPrice: opt(r.stop_price),
    trailPrice: opt(r.trail_price),
    trailPercent: opt(r.trail_percent),
    clientOrderId: r.client_order_id,
  };
}

export interface NewProposal {
  id: string;
  userId: number;
  order: ProposalOrder;
  source: { kind: SourceKind; ref: string | null };
  note: string;
  expiresAt: string | null;
  expiresSession: string | null;
  expiresSessionNo: number | null;
  clientOrderId: string;
}

export async function insertProposal(q: Queryable, p: NewProposal): Promise<ProposalRow> {
  const o = p.order;
  const [row] = await q.query<ProposalRow>(
    `insert into proposals (id, user_id, symbol, side, type, time_in_force, qty, notional,
       limit_price, stop_price, trail_price, trail_percent, source_kind, source_ref, note,
       expires_at, expires_session, expires_session_no, client_order_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     returning *`,
    [
      p.id,
      p.userId,
      o.symbol,
      o.side,
      o.type,
      o.timeInForce,
      o.qty ?? null,
      o.notional ?? null,
      o.limitPrice ?? null,
      o.stopPrice ?? null,
      o.trailPrice ?? null,
      o.trailPercent ?? null,
      p.source.kind,
      p.source.ref,
      p.note,
      p.expiresAt === null ? null : new Date(p.expiresAt),
      p.expiresSession,
      p.expiresSessionNo,
      p.clientOrderId,
    ],
  );
  return row;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `userId`'s proposal `id` (optionally locked for update); null for anyone else's. */
export async function getProposalRow(
  q: Queryable,
  userId: number,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<ProposalRow | null> {
  if (!UUID.test(id)) return null;
  const [row] = await q.query<ProposalRow>(
    `select * from proposals where id = $1 and user_id = $2${opts.lock ? " for update" : ""}`,
    [id, userId],
  );
  return row ?? null;
}

export async function listProposalRows(
  q: Queryable,
  userId: number,
  opts: { status?: ProposalStatus; limit?: number } = {},
): Promise<ProposalRow[]> {
  return await q.query<ProposalRow>(
    `select * from proposals where user_id = $1 and ($2::text is null or status = $2)
      order by created_at desc, id limit $3`,
    [userId, opts.status ?? null, opts.limit ?? 100],
  );
}

export interface EventInput {
  proposalId: string;
  userId: number;
  event: ProposalEventKind;
  actor: Actor;
  orderId?: string | null;
  clientOrderId?: string | null;
  detail?: Record<string, unknown>;
}

export async function recordEvent(q: Queryable, e: EventInput): Promise<void> {
  await q.query(
    `insert into proposal_events (proposal_id, user_id, event, actor, actor_id, order_id,
       client_order_id, detail) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      e.proposalId,
      e.userId,
      e.event,
      e.actor.kind,
      e.actor.id,
      e.orderId ?? null,
      e.clientOrderId ?? null,
      e.detail ?? {},
    ],
  );
}

/** `userId`'s audit log, newest first; `proposalId` narrows it to one proposal. */
export async function listEvents(
  q: Queryable,
  userId: number,
  opts: { proposalId?: string; limit?: number } = {},
): Promise<ProposalEvent[]> {
  const rows = await q.query<{
    id: number;
    proposal_id: string;
    event: ProposalEventKind;
    actor: Actor["kind"];
    actor_id: number | null;
    order_id: string | null;
    client_order_id: string | null;
    detail: Record<string, unknown>;
    created_at: Date;
    side: string;
    qty: string | null;
    notional: string | null;
    symbol: string;
  }>(
    `select e.*, p.side, p.qty, p.notional, p.symbol
       from proposal_events e join proposals p on p.id = e.proposal_id
      where e.user_id = $1 and ($2::uuid is null or e.proposal_id = $2::uuid)
      order by e.created_at desc, e.id desc limit $3`,
    [userId, opts.proposalId ?? null, opts.limit ?? 100],
  );
  return rows.map((r) => ({
    id: r.id,
    proposalId: r.proposal_id,
    event: r.event,
    actor: r.actor,
    actorId: r.actor_id,
    orderId: r.order_id,
    clientOrderId: r.client_order_id,
    detail: r.detail,
    createdAt: r.created_at.toISOString(),
    summary: `${r.side} ${
      r.qty !== null ? `${Number(r.qty)} ${r.symbol}` : `$${Number(r.notional)} of ${r.symbol}`
    }`,
  }));
}
