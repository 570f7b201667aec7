/**
 * `/api/monitoring`: this instance's metrics (lib/metrics/).
 *
 * - `GET /metrics` → the Prometheus text exposition format 0.0.4, for admins and the operator
 *   token (an admin's API token as `Authorization: Bearer` is how a scraper authenticates);
 *   401 anonymous, 403 for anyone else.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { requireAdmin } from "../../lib/auth/guards.ts";
import { EXPOSITION_CONTENT_TYPE, registry } from "../../lib/metrics/mod.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const monitoring = new Hono<AppEnv>();

describeRoutes(monitoring, "Monitoring", {
  "GET /metrics": {
    summary: "This instance's metrics in the Prometheus text format 0.0.4",
    access: "admin",
    responses: {
      200: { description: "Prometheus exposition text", contentType: EXPOSITION_CONTENT_TYPE },
      403: "Not an admin",
    },
  },
});

monitoring.get("/metrics", (c) => {
  requireAdmin(c);
  c.header("Cache-Control", "no-store");
  return c.body(registry.expose(), 200, { "Content-Type": EXPOSITION_CONTENT_TYPE });
});

export default monitoring;
