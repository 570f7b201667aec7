/**
 * `/api/deployments`: the signed-in user's strategies trading on paper (lib/deploy/).
 *
 * - `GET /` → `{ deployments }`, newest first.
 * - `POST /` `{ strategyId, version?, capital, limits?: { maxPositions?, maxOrderValue? } }` →
 *   201, the deployment (active from the current market session; default version: the latest).
 * - `GET /:id` → `{ deployment, evaluations }` (the latest 100 sessions, newest first).
 * - `POST /:id/pause` · `/resume` · `/stop` → the deployment; 409 when its status does not
 *   allow it (a stopped deployment stays stopped).
 * - `GET /:id/performance` → live paper performance beside the backtest over the same days.
 *
 * Another user's deployment (or strategy) is a 404, the same as a missing one.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { ConflictError, NotFoundError } from "../../lib/http/errors.ts";
import { getStrategy } from "../../lib/strategy/repo.ts";
import {
  type DeploymentStatus,
  getDeployment,
  insertDeployment,
  listDeployments,
  listEvaluations,
  setStatus,
} from "../../lib/deploy/repo.ts";
import { deploymentPerformance } from "../../lib/deploy/performance.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const deploySchema = z.strictObject({
  strategyId: z.number().int().positive().max(2 ** 53 - 1),
  version: z.number().int().positive().max(1e6).optional(),
  capital: z.number().min(100, "Allocate at least 100 USD.").max(100_000_000),
  limits: z.strictObject({
    maxPositions: z.number().int().min(1).max(500).optional(),
    maxOrderValue: z.number().positive().max(100_000_000).optional(),
  }).default({}),
});

const idSchema = z.coerce.number().int().positive().max(2 ** 53 - 1);
function deploymentId(c: Context<AppEnv>): number {
  const parsed = idSchema.safeParse(c.req.param("id") ?? "");
  if (!parsed.success) throw new NotFoundError("No such deployment.");
  return parsed.data;
}

const deployments = new Hono<AppEnv>();

const deploymentParams = { id: idSchema };
const move = (what: string) => ({
  summary: `${what} a deployment`,
  params: deploymentParams,
  responses: {
    200: "The deployment",
    404: "Not the caller's",
    409: "Its status does not allow it",
  },
});
describeRoutes(deployments, "Deployments", {
  "GET /": {
    summary: "The caller's deployed strategies, newest first",
    responses: { 200: "`{ deployments }`" },
  },
  "POST /": {
    summary: "Trade a saved strategy on paper from the current session",
    body: deploySchema,
    example: { strategyId: 1, capital: 10_000, limits: { maxPositions: 5 } },
    responses: { 201: "The deployment", 404: "No such strategy (version)" },
  },
  "GET /:id": {
    summary: "A deployment and its latest 100 evaluated sessions",
    params: deploymentParams,
    responses: { 200: "`{ deployment, evaluations }`", 404: "Not the caller's" },
  },
  "POST /:id/pause": move("Pause"),
  "POST /:id/resume": move("Resume"),
  "POST /:id/stop": move("Stop (for good)"),
  "GET /:id/performance": {
    summary: "Live paper performance beside the backtest over the same days",
    params: deploymentParams,
    responses: { 200: "The comparison", 404: "Not the caller's" },
  },
});

deployments.get("/", async (c) => {
  const user = requireUser(c);
  c.header("Cache-Control", "no-store");
  return c.json({ deployments: await listDeployments(c.get("services").db, user.id) });
});

deployments.post("/", async (c) => {
  const user = requireUser(c);
  const input = deploySchema.parse(await jsonBody(c));
  const { db, market } = c.get("services");
  const strategy = await getStrategy(db, user.id, input.strategyId, input.version);
  if (!strategy) {
    throw new NotFoundError(input.version ? "No such strategy version." : "No such strategy.");
  }
  const clock = await market.clock();
  const dep = await insertDeployment(db, {
    userId: user.id,
    strategyId: strategy.id,
    version: strategy.version,
    capital: input.capital,
    maxPositions: input.limits.maxPositions ?? null,
    maxOrderValue: input.limits.maxOrderValue ?? null,
    startedOn: clock.date,
  });
  return c.json(dep, 201);
});

deployments.get("/:id", async (c) => {
  const user = requireUser(c);
  const { db } = c.get("services");
  const dep = await getDeployment(db, user.id, deploymentId(c));
  if (!dep) throw new NotFoundError("No such deployment.");
  c.header("Cache-Control", "no-store");
  return c.json({ deployment: dep, evaluations: await listEvaluations(db, dep.id) });
});

const moves: Record<string, DeploymentStatus> = {
  pause: "paused",
  resume: "active",
  stop: "stopped",
};
for (const [verb, to] of Object.entries(moves)) {
  deployments.post(`/:id/${verb}`, async (c) => {
    const user = requireUser(c);
    const dep = await setStatus(c.get("services").db, user.id, deploymentId(c), to);
    if (dep === undefined) throw new NotFoundError("No such deployment.");
    if (dep === null) {
      const current = await getDeployment(c.get("services").db, user.id, deploymentId(c));
      throw new ConflictError(`The deployment is ${current?.status}: it cannot ${verb}.`, {
        status: current?.status,
      });
    }
    return c.json(dep);
  });
}

deployments.get("/:id/performance", async (c) => {
  const user = requireUser(c);
  const { db, backtests } = c.get("services");
  const dep = await getDeployment(db, user.id, deploymentId(c));
  if (!dep) throw new NotFoundError("No such deployment.");
  c.header("Cache-Control", "no-store");
  return c.json(await deploymentPerformance(db, backtests.bars, backtests.history, dep));
});

export default deployments;
