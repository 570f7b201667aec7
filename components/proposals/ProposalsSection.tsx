/**
 * Proposals on a stage page: the queue waiting for approval (an island) and the audit log
 * (server-rendered). The page loads the data with `loadProposalsSection` and passes it here.
 */
import ProposalQueue from "../../islands/ProposalQueue.tsx";
import AuditLog from "./AuditLog.tsx";
import type { Proposal, ProposalEvent } from "../../lib/proposals/types.ts";

export interface ProposalsSectionProps {
  pending: Proposal[];
  events: ProposalEvent[];
  csrfToken: string;
}

export default function ProposalsSection({ pending, events, csrfToken }: ProposalsSectionProps) {
  return (
    <section class="glass proposals-section" aria-labelledby="proposals-title">
      <h2 id="proposals-title">Waiting for your approval</h2>
      <ProposalQueue initial={pending} csrfToken={csrfToken} />
      <details class="proposal-audit-wrap">
        <summary>Audit log</summary>
        <AuditLog events={events} />
      </details>
    </section>
  );
}
