/** `GET /api/health`: the health report; 503 when the database is down. */
import { Hono } from "hono";
import { checkHealth } from "../../lib/health.ts";
import type { AppEnv } from "../../lib/state.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const health = new Hono<AppEnv>();

describeRoutes(health, "Operations", {
  "GET /": {
    summary: "The health report: the database, KV and each seam",
    access: "public",
    responses: { 200: "Up or degraded", 503: "Down: the database does not answer" },
  },
});

health.get("/", async (c) => {
  const report = await checkHealth(c.get("services"));
  c.header("Cache-Control", "no-store");
  return c.json(report, report.status === "down" ? 503 : 200);
});

export default health;
