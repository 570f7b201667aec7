/**
 * What the Deployments section of the Strategy Builder page shows: the user's deployments with
 * their newest evaluation, and the saved strategies that can be deployed.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import type { DeploymentView, StrategyChoice } from "../client/deployments/view.ts";
import { listStrategies } from "../strategy/repo.ts";
import { listDeployments, listEvaluations } from "./repo.ts";

export interface DeploymentsSectionData {
  deployments: DeploymentView[];
  strategies: StrategyChoice[];
}

export async function loadDeploymentsSection(
  db: Queryable,
  userId: number,
): Promise<DeploymentsSectionData> {
  const [deps, strategies] = await Promise.all([
    listDeployments(db, userId),
    listStrategies(db, userId),
  ]);
  const deployments = await Promise.all(deps.map(async (d) => {
    const [e] = await listEvaluations(db, d.id, 1);
    return {
      ...d,
      last: e
        ? {
          session: e.session,
          status: e.status,
          proposalsMade: e.proposalsMade,
          ordersPlaced: e.ordersPlaced,
          error: e.error,
        }
        : null,
    };
  }));
  return {
    deployments,
    strategies: strategies.map((s) => ({ id: s.id, name: s.name, version: s.version })),
  };
}
