/**
 * The deployments job: after each session's close on the market clock (the replay clock in
 * replay), every active strategy deployment is evaluated once (lib/deploy/evaluate.ts). It runs
 * every minute and does work only once the session has closed and a deployment still lacks the
 * session's evaluation; the evaluation row is the claim, so several instances evaluate each
 * deployment once and a re-run evaluates nothing.
 */
import {
  type DeploymentsReport,
  type DeployServices,
  runDeploymentEvaluations,
} from "../lib/deploy/evaluate.ts";

/** Every minute: the replay's after-hours can be short at high replay speeds. */
export const DEPLOYMENTS_SCHEDULE = "* * * * *";

export function evaluateDeployments(services: DeployServices): Promise<DeploymentsReport> {
  return runDeploymentEvaluations(services);
}
