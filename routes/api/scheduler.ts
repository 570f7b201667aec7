/**
 * `/api/scheduler`: the cron jobs (jobs/mod.ts) and their runs (`job_runs`).
 *
 * - `GET /` → `{ jobs: [{ id, name, schedule, timezone, nextRun, running, lastRun }] }`; a
 *   non-admin sees whether runs worked but not their error text or instance.
 * - `GET /:id?limit=` → `{ job, runs }`: one job (by id like `rate-limit-cleanup`, or its name)
 *   with its latest runs, newest first; 404 for an unknown job.
 * - `POST /:id/run` (admins and the operator token) → 202 `{ job, run }`: runs the job now
 *   through the same recorded path as a cron tick; 404 unknown, 409 while a run of it is in
 *   progress on any instance. The run continues in the background; poll `GET /:id`.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { requireAdmin, requireUser } from "../../lib/auth/guards.ts";
import { ConflictError, NotFoundError } from "../../lib/http/errors.ts";
import { recentRuns } from "../../lib/scheduler/runs.ts";
import { findJob, listJobs, publicRun, toView } from "../../lib/scheduler/view.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

export const jobParamSchema = z.object({ id: z.string().min(1).max(100) }).strict();
export const runsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
}).strict();

const scheduler = new Hono<AppEnv>();

describeRoutes(scheduler, "Scheduler", {
  "GET /": {
    summary: "Every cron job with its schedule (UTC), last run and next run",
    responses: { 200: "`{ jobs }`" },
  },
  "GET /:id": {
    summary: "One job with its recent runs (error text for admins only)",
    params: jobParamSchema.shape,
    query: runsQuerySchema,
    queryExample: { limit: "10" },
    responses: { 200: "`{ job, runs }`", 404: "No such job" },
  },
  "POST /:id/run": {
    summary: "Run a job now, through the same recorded path as a cron tick",
    access: "admin",
    params: jobParamSchema.shape,
    responses: { 202: "Started", 403: "Not an admin", 404: "No such job", 409: "It is running" },
  },
});

function isAdmin(c: Parameters<typeof requireUser>[0]): boolean {
  const state = c.get("state");
  return state.auth?.kind === "operator" || state.user?.role === "admin";
}

/** Signed in (any user) or the operator token. */
function requireCaller(c: Parameters<typeof requireUser>[0]): void {
  if (c.get("state").auth?.kind !== "operator") requireUser(c);
}

function job(c: Parameters<typeof requireUser>[0]) {
  const { id } = jobParamSchema.parse(c.req.param());
  const found = findJob(c.get("services"), id);
  if (!found) throw new NotFoundError(`No job ${JSON.stringify(id)}.`);
  return found;
}

scheduler.get("/", async (c) => {
  requireCaller(c);
  c.header("Cache-Control", "no-store");
  return c.json({ jobs: await listJobs(c.get("services"), { admin: isAdmin(c) }) });
});

scheduler.get("/:id", async (c) => {
  requireCaller(c);
  const { limit } = runsQuerySchema.parse(c.req.query());
  const found = job(c);
  const admin = isAdmin(c);
  const runs = (await recentRuns(c.get("services").db, found.name, limit))
    .map((r) => admin ? r : publicRun(r));
  c.header("Cache-Control", "no-store");
  return c.json({ job: toView(found, runs[0] ?? null, new Date()), runs });
});

scheduler.post("/:id/run", async (c) => {
  requireAdmin(c);
  const found = job(c);
  const started = await found.start("manual");
  if (!started) {
    throw new ConflictError(`${found.name} is running; wait for it to finish.`, {
      job: found.name,
    });
  }
  const { log } = c.get("services");
  const by = c.get("state").user?.id ?? "operator";
  log.info("job run requested", { job: found.name, run: started.run.id, by });
  // The request answers at once; the run's end is recorded by the wrapper.
  started.done.catch(() => {});
  return c.json({ job: toView(found, started.run, new Date()), run: started.run }, 202);
});

export default scheduler;
