/**
 * The Deployments section of the Strategy Builder page: saved strategy versions trading on
 * paper. The page loads its data with `loadDeploymentsSection` (lib/deploy/section.ts) and
 * passes it here; the list and the deploy form are one small island.
 */
import Deployments from "../../islands/Deployments.tsx";
import type { DeploymentsSectionData } from "../../lib/deploy/section.ts";

export interface DeploymentsSectionProps extends DeploymentsSectionData {
  csrfToken: string;
}

export default function DeploymentsSection(
  { deployments, strategies, csrfToken }: DeploymentsSectionProps,
) {
  return (
    <section class="glass deployments-section" aria-labelledby="deployments-title">
      <h2 id="deployments-title">Deployments</h2>
      <p class="muted">
        A deployed version is evaluated after each session's close with the backtester's rules and
        bars; its signals become proposals, approved automatically only within your auto-approval
        limits. The kill switch stops it.
      </p>
      <p class="muted" data-testid="deployments-exits-note">
        Stops, targets and trailing stops are checked on each session's high and low as the backtest
        checks them, but the backtest sells inside that session (at the level, or at the open on a
        gap) while a deployment proposes a sale for the next open: its exit price can differ.
      </p>
      <Deployments initial={deployments} strategies={strategies} csrfToken={csrfToken} />
    </section>
  );
}
