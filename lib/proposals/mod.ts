/**
 * Trade proposals and approvals (issue 12). Other features make proposals with
 * `createProposal(services, userId, { order, source, note })` and read them with
 * `listProposals`; only a person (or auto-approval within their limits) approves one.
 *
 * - types.ts: shapes and the input schema; repo.ts: SQL; create.ts: making one;
 *   approve.ts: approve (exactly once), reject, preview; auto.ts: auto-approval within limits;
 *   expire.ts: expiry at the session's close.
 *
 * @module
 */
import type { ProposalDeps } from "./approve.ts";
import { expireDue } from "./expire.ts";
import { getProposalRow, listEvents, listProposalRows, toProposal } from "./repo.ts";
import type { Proposal, ProposalEvent, ProposalStatus } from "./types.ts";

export { createProposal, type CreateResult } from "./create.ts";
export {
  type ApprovalPreview,
  approveProposal,
  type ApproveResult,
  previewProposal,
  type ProposalDeps,
  rejectProposal,
} from "./approve.ts";
export type { AutoOutcome } from "./auto.ts";
export { expireDue } from "./expire.ts";
export * from "./errors.ts";
export * from "./types.ts";

/** `userId`'s proposals, newest first, after expiring those whose session closed. */
export async function listProposals(
  deps: Pick<ProposalDeps, "db" | "market">,
  userId: number,
  opts: { status?: ProposalStatus; limit?: number } = {},
): Promise<Proposal[]> {
  await expireDue(deps.db, await deps.market.clock(), { userId });
  return (await listProposalRows(deps.db, userId, opts)).map(toProposal);
}

/** One of `userId`'s proposals (null for another user's), after expiry. */
export async function getProposal(
  deps: Pick<ProposalDeps, "db" | "market">,
  userId: number,
  id: string,
): Promise<Proposal | null> {
  await expireDue(deps.db, await deps.market.clock(), { userId });
  const row = await getProposalRow(deps.db, userId, id);
  return row && toProposal(row);
}

/** `userId`'s audit log of proposals, newest first. */
export async function proposalAudit(
  deps: Pick<ProposalDeps, "db">,
  userId: number,
  opts: { proposalId?: string; limit?: number } = {},
): Promise<ProposalEvent[]> {
  return await listEvents(deps.db, userId, opts);
}

/** What `components/proposals/ProposalsSection.tsx` shows: the pending queue and the log. */
export async function loadProposalsSection(
  deps: Pick<ProposalDeps, "db" | "market">,
  userId: number,
): Promise<{ pending: Proposal[]; events: ProposalEvent[] }> {
  const pending = await listProposals(deps, userId, { status: "pending" });
  return { pending, events: await listEvents(deps.db, userId, { limit: 50 }) };
}
