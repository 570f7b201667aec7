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
      <Deployments initial={deployments} strategies={strategies} csrfToken={csrfToken} />
    </section>
  );
}
