/**
 * What can go wrong with a proposal, as HTTP errors: not found (also another user's), decided
 * already, an approval already in flight, too many waiting. A refused order keeps the broker's
 * own errors (422 with the checks, 423 for the kill switch), mapped by `fromBroker`.
 *
 * @module
 */
import { HttpError, NotFoundError } from "../http/errors.ts";
import type { ProposalStatus } from "./types.ts";

export const MAX_PENDING_PROPOSALS = 200;

export class ProposalNotFoundError extends NotFoundError {
  constructor() {
    super("No such proposal.");
  }
}

const DECIDED: Record<Exclude<ProposalStatus, "pending">, string> = {
  approved: "This proposal was approved already.",
  rejected: "This proposal was rejected; it can no longer be approved.",
  expired: "This proposal expired when its session closed; propose the order again.",
};

/** 409 `proposal_approved` / `proposal_rejected` / `proposal_expired`. */
export class ProposalDecidedError extends HttpError {
  constructor(readonly state: Exclude<ProposalStatus, "pending">, details?: unknown) {
    super(409, `proposal_${state}`, DECIDED[state], details);
  }
}

/** 409: another request is placing this proposal's order right now. */
export class ApprovalInProgressError extends HttpError {
  constructor() {
    super(
      409,
      "approval_in_progress",
      "This proposal is being approved right now (another tab or click); its order follows.",
    );
  }
}

export class ProposalLimitError extends HttpError {
  constructor() {
    super(
      422,
      "proposal_limit",
      `At most ${MAX_PENDING_PROPOSALS} proposals can wait for approval; decide some first.`,
    );
  }
}

/**
 * 409 `proposal_exists`: the source (a recommendation) has a proposal waiting or approved
 * already; a second would be a second order for one idea (a double click, two tabs).
 */
export class ProposalExistsError extends HttpError {
  constructor(proposalId: string, status: ProposalStatus) {
    super(
      409,
      "proposal_exists",
      status === "approved"
        ? "This idea's proposal was approved already; its order is in Execute Trade."
        : "This idea has a proposal waiting for your approval already.",
      { proposalId, status },
    );
  }
}
