import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import { type PortfolioSnapshot, portfolioSnapshot } from "../lib/broker/snapshot.ts";
import PositionsTable from "../islands/PositionsTable.tsx";
import PnlDashboard from "../islands/PnlDashboard.tsx";

interface Data {
  /** The account and positions for the first paint; null when the broker could not say. */
  snapshot: PortfolioSnapshot | null;
}

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const user = ctx.state.user;
    let snapshot: PortfolioSnapshot | null = null;
    if (user) {
      try {
        // The same builder as GET /api/portfolio/snapshot, so the island's refreshes agree.
        snapshot = await portfolioSnapshot(ctx.state.services.broker, user.id);
      } catch {
        // The island loads the portfolio itself and shows the error if the broker still fails.
      }
    }
    return ctx.render({ snapshot });
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
    </div>
  );
}
