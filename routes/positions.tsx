import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import { type PortfolioSnapshot, portfolioSnapshot } from "../lib/broker/snapshot.ts";
import PositionsTable from "../islands/PositionsTable.tsx";
import PnlDashboard from "../islands/PnlDashboard.tsx";
import Journal from "../islands/Journal.tsx";
import { listEntries } from "../lib/journal/repo.ts";
import { JOURNAL_PAGE_SIZE, type JournalPage } from "../lib/shared/journal.ts";

interface Data {
  /** The account and positions for the first paint; null when the broker could not say. */
  snapshot: PortfolioSnapshot | null;
  /** The journal's first page, newest first. */
  journal: JournalPage | null;
}

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const user = ctx.state.user;
    let snapshot: PortfolioSnapshot | null = null;
    let journal: JournalPage | null = null;
    if (user) {
      journal = await listEntries(ctx.state.services.db, user.id, {}, { limit: JOURNAL_PAGE_SIZE });
      try {
        // The same builder as GET /api/portfolio/snapshot, so the island's refreshes agree.
        snapshot = await portfolioSnapshot(ctx.state.services.broker, user.id);
      } catch {
        // The island loads the portfolio itself and shows the error if the broker still fails.
      }
    }
    return ctx.render({ snapshot, journal });
  },
};

export default function PositionsPage({ data, state }: PageProps<Data, State>) {
  const stage = stageById("positions");
  return (
    <div class="positions-page" style={`--stage-color: ${stage.color}`}>
      <header class="positions-page-header">
        <h1 class="positions-page-title">{stage.name}</h1>
        <p class="muted">{stage.description}</p>
      </header>
      <PositionsTable csrfToken={state.csrfToken ?? ""} initial={data.snapshot} />
      <PnlDashboard />
      <Journal csrfToken={state.csrfToken ?? ""} initial={data.journal} />
    </div>
  );
}
