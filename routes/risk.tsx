import type { PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import PositionSizer from "../islands/PositionSizer.tsx";
import PortfolioRisk from "../islands/PortfolioRisk.tsx";

/**
 * The Risk stage. Position sizing and portfolio risk are built; option strategy payoffs and
 * P&L analytics are still to come and say so.
 */
export default function RiskPage({ state }: PageProps<undefined, State>) {
  const stage = stageById("risk");
  return (
    <div class="ticket-page" style={`--stage-color: ${stage.color}`} data-testid="risk-stage">
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">{stage.name}</h1>
        <p class="muted">
          Size a trade by the rule you trade with. Amounts in US dollars, sizes in shares; nothing
          is placed until you send it to the ticket and place it there.
        </p>
      </header>
      <PositionSizer csrfToken={state.csrfToken ?? ""} />
      <p class="notice" role="note">
        <span class="badge badge--todo">Not built yet</span>
        <span>
          Option strategy payoffs and P&amp;L analytics are still to come on this stage.
        </span>
      </p>
      <PortfolioRisk />
    </div>
  );
}
