/**
 * Deciding a proposal: approve (place its order through the broker pipeline), reject, preview.
 *
 * Exactly once. The order's client order id is derived from the proposal id
 * (`proposal-<id>`), so the pipeline's idempotency key (lib/broker/pipeline.ts) makes one order
 * however many approvals race, crash or retry. Around it, an approval claims the proposal (a
 * two-minute lease) so that a reject or the expiry job cannot decide it while its order is being
 * placed; a second approval meanwhile answers with the order once it exists, or 409
 * `approval_in_progress`. A crashed approval leaves the order findable by its key: the next
 * approval (or reject) records it.
 *
 * Approval goes through `services.broker`, the kill-switch broker, with every pre-trade check.
 * A refusal (422 naming the rule, 423 while halted) leaves the proposal pending with the reason
 * in `lastRefusal` and an `approval_refused` audit row.
 *
 * @module
 */
import type { Services } from "../services.ts";
import { TradingHaltedError } from "../broker/halt.ts";
import { findByClientOrderId, toOrder } from "../broker/orders_repo.ts";
import { type Preview, previewOrder } from "../broker/trading.ts";
import {
  type CheckResult,
  type Order,
  OrderRefusedError,
  type SubmitResult,
} from "../broker/types.ts";
import type { Halt } from "../broker/halt.ts";
import { CLAIM_LEASE_SECONDS, expireDue } from "./expire.ts";
import { ApprovalInProgressError, ProposalDecidedError, ProposalNotFoundError } from "./errors.ts";
import {
  getProposalRow,
  orderRequestOf,
  type ProposalRow,
  recordEvent,
  toProposal,
} from "./repo.ts";
import type { Actor, Proposal, Refusal } from "./types.ts";
import type { Queryable } from "../db/database.ts";

/** What deciding a proposal needs: the database, the market clock and the kill-switch broker. */
export type ProposalDeps = Pick<Services, "db" | "market" | "broker" | "halts">;

/** Who may approve: the owner, or auto-approval within the owner's limits. Never the analyst. */
export type Approver = Extract<Actor, { kind: "user" } | { kind: "auto" }>;

export interface ApproveResult {
  proposal: Proposal;
  order: Order;
  /** True when the order existed already (a repeated or concurrent approval). */
  duplicate: boolean;
  checks: CheckResult[];
}

/** Expires the caller's finished proposals, then reads one (null when not theirs). */
async function readCurrent(deps: ProposalDeps, userId: number, id: string) {
  await expireDue(deps.db, await deps.market.clock(), { userId });
  return await getProposalRow(deps.db, userId, id);
}

function undecided(row: ProposalRow | null): ProposalRow {
  if (!row) throw new ProposalNotFoundError();
  if (row.status !== "pending") throw new ProposalDecidedError(row.status);
  return row;
}

export async function approveProposal(
  deps: ProposalDeps,
  userId: number,
  id: string,
  approver: Approver,
): Promise<ApproveResult> {
  const row = await readCurrent(deps, userId, id);
  if (row?.status === "approved") return await approvedResult(deps, userId, row);
  undecided(row);
  const token = crypto.randomUUID();
  const [claimed] = await deps.db.query<ProposalRow>(
    `update proposals set claimed_at = now(), claim_token = $3
      where id = $1 and user_id = $2 and status = 'pending'
        and (claimed_at is null or claimed_at < now() - make_interval(secs => $4))
      returning *`,
    [id, userId, token, CLAIM_LEASE_SECONDS],
  );
  if (!claimed) return await joinInFlight(deps, userId, id, approver);
  let result: SubmitResult;
  try {
    result = await deps.broker.submit(userId, orderRequestOf(claimed));
  } catch (err) {
    const refusal = refusalOf(err);
    if (refusal) await recordRefusal(deps.db, claimed, approver, refusal, token);
    else await release(deps.db, id, token);
    throw err;
  }
  const proposal = await recordApproval(deps.db, claimed, result.order, approver);
  return {
    proposal,
    order: result.order,
    duplicate: result.duplicate,
    checks: result.checks ?? [],
  };
}

/** Another approval holds the claim: its order, once placed, is this approval's answer too. */
async function joinInFlight(
  deps: ProposalDeps,
  userId: number,
  id: string,
  approver: Approver,
): Promise<ApproveResult> {
  const row = await getProposalRow(deps.db, userId, id);
  if (row?.status === "approved") return await approvedResult(deps, userId, row);
  const pending = undecided(row);
  const existing = await findByClientOrderId(deps.db, userId, pending.client_order_id);
  if (!existing) throw new ApprovalInProgressError();
  const order = toOrder(existing);
  const proposal = await recordApproval(deps.db, pending, order, approver);
  return { proposal, order, duplicate: true, checks: [] };
}

async function approvedResult(
  deps: ProposalDeps,
  userId: number,
  row: ProposalRow,
): Promise<ApproveResult> {
  const found = row.order_id
    ? await deps.broker.order(userId, row.order_id)
    : await findByClientOrderId(deps.db, userId, row.client_order_id).then((r) =>
      r ? toOrder(r) : null
    );
  if (!found) throw new ProposalDecidedError("approved");
  return { proposal: toProposal(row), order: found, duplicate: true, checks: [] };
}

/**
 * Marks `row` approved with `order` and writes the audit row, once: whichever approval gets here
 * first records it, the others read the result.
 */
export async function recordApproval(
  db: ProposalDeps["db"],
  row: ProposalRow,
  order: Order,
  approver: Approver | { kind: "system"; id: null },
): Promise<Proposal> {
  return await db.transaction(async (tx) => {
    const [updated] = await tx.query<ProposalRow>(
      `update proposals set status = 'approved', decided_at = now(), decided_by = $3,
              decided_via = $4, order_id = $5, claimed_at = null, claim_token = null,
              last_refusal = null
        where id = $1 and user_id = $2 and status = 'pending' returning *`,
      [row.id, row.user_id, approver.id, approver.kind, order.id],
    );
    if (!updated) {
      const current = await getProposalRow(tx, row.user_id, row.id);
      return toProposal(current!);
    }
    await recordEvent(tx, {
      proposalId: row.id,
      userId: row.user_id,
      event: approver.kind === "auto" ? "auto_approved" : "approved",
      actor: approver,
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      detail: {
        orderStatus: order.status,
        ...(updated.auto_value !== null ? { autoValue: Number(updated.auto_value) } : {}),
      },
    });
    return toProposal(updated);
  });
}

/** The refusal an error stands for, when it is one (a check, the kill switch); else null. */
export function refusalOf(err: unknown): Refusal | null {
  const at = new Date().toISOString();
  if (err instanceof OrderRefusedError) {
    return { code: err.code, message: err.message, at, checks: err.checks };
  }
  if (err instanceof TradingHaltedError) {
    return { code: "trading_halted", message: err.message, at };
  }
  return null;
}

/** Leaves `row` pending with `refusal` as its reason, audited; frees the claim `token` holds. */
export async function recordRefusal(
  db: ProposalDeps["db"],
  row: ProposalRow,
  actor: Approver,
  refusal: Refusal,
  token: string | null = null,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `update proposals set last_refusal = $3,
              claimed_at = case when claim_token = $4 then null else claimed_at end,
              claim_token = case when claim_token = $4 then null else claim_token end
        where id = $1 and user_id = $2 and status = 'pending'`,
      [row.id, row.user_id, refusal, token],
    );
    await recordEvent(tx, {
      proposalId: row.id,
      userId: row.user_id,
      event: "approval_refused",
      actor,
      clientOrderId: row.client_order_id,
      detail: { code: refusal.code, message: refusal.message },
    });
  });
}

async function release(db: Queryable, id: string, token: string): Promise<void> {
  await db.query(
    "update proposals set claimed_at = null, claim_token = null where id = $1 and claim_token = $2",
    [id, token],
  );
}

/** Rejects `userId`'s pending proposal, audited. 409 while an approval is placing its order. */
export async function rejectProposal(
  deps: ProposalDeps,
  userId: number,
  id: string,
  reason: string | null,
): Promise<Proposal> {
  await readCurrent(deps, userId, id);
  const outcome = await deps.db.transaction(async (tx) => {
    const row = undecided(await getProposalRow(tx, userId, id, { lock: true }));
    const fresh = row.claimed_at !== null &&
      Date.now() - row.claimed_at.getTime() < CLAIM_LEASE_SECONDS * 1000;
    if (fresh) throw new ApprovalInProgressError();
    const placed = await findByClientOrderId(tx, userId, row.client_order_id);
    if (placed) return { row, placed };
    const [updated] = await tx.query<ProposalRow>(
      `update proposals set status = 'rejected', decided_at = now(), decided_by = $2,
              decided_via = 'user', claimed_at = null, claim_token = null
        where id = $1 returning *`,
      [id, userId],
    );
    await recordEvent(tx, {
      proposalId: id,
      userId,
      event: "rejected",
      actor: { kind: "user", id: userId },
      detail: reason ? { reason } : {},
    });
    return { row: updated, placed: null };
  });
  if (outcome.placed) {
    // An approval that crashed after placing the order: record it, and say so.
    await recordApproval(deps.db, outcome.row, toOrder(outcome.placed), {
      kind: "system",
      id: null,
    });
    throw new ProposalDecidedError("approved", { orderId: outcome.placed.id });
  }
  return toProposal(outcome.row);
}

export interface ApprovalPreview {
  proposal: Proposal;
  /** The order as the ticket's review shows it: cost, buying power, every check. */
  preview: Preview;
  /** The kill switch in force, if any: approving now would be refused (423). */
  halt: Halt | null;
}

/** What approving would do now, for the confirmation dialog; nothing is placed. */
export async function previewProposal(
  deps: ProposalDeps,
  userId: number,
  id: string,
): Promise<ApprovalPreview> {
  const row = undecided(await readCurrent(deps, userId, id));
  const [preview, halt] = await Promise.all([
    previewOrder(deps, userId, orderRequestOf(row)),
    deps.halts.activeFor(userId),
  ]);
  return { proposal: toProposal(row), preview, halt: halt ?? null };
}
