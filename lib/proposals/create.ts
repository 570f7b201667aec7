/**
 * Making a proposal: the one function every feature that suggests an order calls (a person by
 * hand, "make a proposal" on a recommendation, a strategy's signal, the analyst's
 * `propose_order` tool). It validates the order as `/api/orders` would, checks the symbol is
 * one the market knows, stores it pending until the close of the current session with a
 * `created` audit row, and then lets auto-approval (lib/proposals/auto.ts) decide whether it
 * waits for the person. A proposal the analyst makes (source `chat`, actor `analyst`) is never
 * auto-approved: nothing the model does can lead to an order without the person.
 *
 * @module
 */
import { requireKnownSymbols } from "../market/known_symbols.ts";
import type { Order } from "../broker/types.ts";
import type { ProposalDeps } from "./approve.ts";
import { autoApprove, type AutoOutcome } from "./auto.ts";
import { MAX_PENDING_PROPOSALS, ProposalExistsError, ProposalLimitError } from "./errors.ts";
import { sessionEnd } from "./expire.ts";
import { getProposalRow, insertProposal, recordEvent, toProposal } from "./repo.ts";
import {
  type Actor,
  type Proposal,
  type ProposalInput,
  proposalInputSchema,
  proposalOrderKey,
  type ProposalStatus,
  type SourceKind,
} from "./types.ts";

export interface CreateResult {
  proposal: Proposal;
  /** The order auto-approval placed; null when the proposal waits for the person. */
  order: Order | null;
  auto: AutoOutcome;
}

/** Who made a proposal from where, unless the caller says: the analyst makes chat's. */
function actorFor(kind: SourceKind, userId: number): Actor {
  if (kind === "chat") return { kind: "analyst", id: null };
  if (kind === "strategy") return { kind: "system", id: null };
  return { kind: "user", id: userId };
}

/**
 * Creates a pending proposal for `userId`. Throws a ZodError for a malformed input, 422
 * `unknown_symbols` / `proposal_limit`. Auto-approval may approve it at once (then `order`).
 */
export async function createProposal(
  deps: ProposalDeps,
  userId: number,
  input: ProposalInput,
  opts: {
    actor?: Actor;
    /**
     * One open proposal per source: when the same source (kind and ref) has a pending or
     * approved proposal, throw 409 `proposal_exists` instead of making a second. Checked under
     * the per-user lock, so concurrent calls make one.
     */
    onePerSource?: boolean;
  } = {},
): Promise<CreateResult> {
  const parsed = proposalInputSchema.parse(input);
  await requireKnownSymbols(deps, [parsed.order.symbol]);
  const clock = await deps.market.clock();
  const id = crypto.randomUUID();
  const actor = opts.actor ?? actorFor(parsed.source.kind, userId);
  const row = await deps.db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(12012, $1::int)", [userId]);
    const [{ n }] = await tx.query<{ n: number }>(
      "select count(*)::int as n from proposals where user_id = $1 and status = 'pending'",
      [userId],
    );
    if (n >= MAX_PENDING_PROPOSALS) throw new ProposalLimitError();
    if (opts.onePerSource && parsed.source.ref !== null) {
      const [open] = await tx.query<{ id: string; status: ProposalStatus }>(
        `select id, status from proposals
          where user_id = $1 and source_kind = $2 and source_ref = $3
            and status in ('pending', 'approved')
          order by created_at limit 1`,
        [userId, parsed.source.kind, parsed.source.ref],
      );
      if (open) throw new ProposalExistsError(open.id, open.status);
    }
    const row = await insertProposal(tx, {
      id,
      userId,
      order: parsed.order,
      source: parsed.source,
      note: parsed.note,
      ...sessionEnd(clock),
      clientOrderId: proposalOrderKey(id),
    });
    await recordEvent(tx, {
      proposalId: id,
      userId,
      event: "created",
      actor,
      clientOrderId: row.client_order_id,
      detail: { source: parsed.source, note: parsed.note },
    });
    return row;
  });
  // What the analyst proposes always waits for the person: nothing the model does approves.
  const auto: AutoOutcome = actor.kind === "analyst"
    ? { mode: "every_order" }
    : await autoApprove(deps, userId, row);
  const current = await getProposalRow(deps.db, userId, id);
  return {
    proposal: toProposal(current!),
    order: "approved" in auto && auto.approved ? auto.order : null,
    auto,
  };
}
