import type { PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import PositionSizer from "../islands/PositionSizer.tsx";
import OptionStrategyBuilder from "../islands/OptionStrategyBuilder.tsx";
import PortfolioRisk from "../islands/PortfolioRisk.tsx";

/**
 * The Risk stage: position sizing, option strategy payoffs and portfolio risk. P&L analytics
 * live on the Active Positions stage.
 */
export default function RiskPage({ state }: PageProps<undefined, State>) {
  const stage = stageById("risk");
  return (
    <div class="ticket-page" style={`--stage-color: ${stage.color}`} data-testid="risk-stage">
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">{stage.name}</h1>
        <p class="muted">
          Size a trade by the rule you trade with, try an option strategy before you open it, and
          see what the portfolio risks. Amounts in US dollars, sizes in shares; nothing is placed
          until you send it to the ticket and place it there.
        </p>
      </header>
      <PositionSizer csrfToken={state.csrfToken ?? ""} />
      <OptionStrategyBuilder csrfToken={state.csrfToken ?? ""} />
      <PortfolioRisk />
    </div>
  );
}
