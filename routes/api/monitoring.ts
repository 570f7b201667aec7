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

const monitoring = new Hono<AppEnv>();

monitoring.get("/metrics", (c) => {
  requireAdmin(c);
  c.header("Cache-Control", "no-store");
  return c.body(registry.expose(), 200, { "Content-Type": EXPOSITION_CONTENT_TYPE });
});

export default monitoring;
