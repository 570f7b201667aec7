/**
 * The proposals' audit log, rendered on the server: who proposed, approved, rejected or expired
 * what, and which order resulted, newest first. The rows come from `proposal_events`, which
 * only ever grows.
 */
import { eventText, type ProposalEvent } from "../../lib/client/proposals/view.ts";

export default function AuditLog({ events }: { events: ProposalEvent[] }) {
  if (events.length === 0) {
    return <p class="muted" data-testid="proposal-audit-empty">Nothing has happened yet.</p>;
  }
  return (
    <ol class="proposal-audit" data-testid="proposal-audit">
      {events.map((e) => (
        <li key={e.id} data-event={e.event}>
          <time dateTime={e.createdAt}>{e.createdAt.slice(0, 16).replace("T", " ")} UTC</time>{" "}
          {eventText(e)}
        </li>
      ))}
    </ol>
  );
}
