/**
 * `/api/telemetry`: usage events from the browser (lib/client/telemetry.ts).
 *
 * - `POST /` `{ events: [...] }` (1–50 events; lib/telemetry/schema.ts) → 202
 *   `{ stored, dropped }`. Stored without any user id; dropped, all of them, when the caller's
 *   `telemetry` setting is off (the browser sends nothing then, but an old tab might). Unknown
 *   fields and messages with digits, e-mail addresses or URLs are refused with 400.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { telemetryBatchSchema } from "../../lib/telemetry/schema.ts";
import { storeEvents, telemetryEnabled } from "../../lib/telemetry/repo.ts";
import { metrics } from "../../lib/metrics/mod.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const telemetry = new Hono<AppEnv>();

describeRoutes(telemetry, "Telemetry", {
  "POST /": {
    summary: "A batch of anonymous UI events (dropped unless the user turned telemetry on)",
    body: telemetryBatchSchema,
    example: { events: [{ name: "stage_opened", page: "risk" }] },
    responses: { 202: "`{ stored, dropped }`" },
  },
});

telemetry.post("/", async (c) => {
  const user = requireUser(c);
  const batch = telemetryBatchSchema.parse(await jsonBody(c));
  const { db } = c.get("services");
  if (!await telemetryEnabled(db, user.id)) {
    metrics.telemetryEvents.labels("dropped").inc(batch.events.length);
    return c.json({ stored: 0, dropped: batch.events.length }, 202);
  }
  const stored = await storeEvents(db, batch);
  metrics.telemetryEvents.labels("stored").inc(stored);
  return c.json({ stored, dropped: 0 }, 202);
});

export default telemetry;
