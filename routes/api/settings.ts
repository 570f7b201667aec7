/** `/api/settings`: the caller's own settings (GET, PUT to replace, PATCH to merge, DELETE). */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import {
  getSettings,
  resetSettings,
  settingsPatchSchema,
  settingsSchema,
  updateSettings,
} from "../../lib/settings.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const settings = new Hono<AppEnv>();

describeRoutes(settings, "Settings", {
  "GET /": { summary: "The caller's settings", responses: { 200: "`{ settings }`" } },
  "PUT /": {
    summary: "Replace every setting (left out: the default)",
    body: settingsSchema,
    example: { theme: "light", maxOrderValue: 10_000, dailyLossLimit: 2_000 },
    responses: { 200: "`{ settings }`" },
  },
  "PATCH /": {
    summary: "Change some settings",
    body: settingsPatchSchema,
    example: { theme: "system", density: "compact" },
    responses: { 200: "`{ settings }`" },
  },
  "DELETE /": {
    summary: "Reset every setting to its default",
    responses: { 200: "`{ settings }`" },
  },
});

settings.get("/", async (c) => {
  const user = requireUser(c);
  c.header("Cache-Control", "no-store");
  return c.json({ settings: await getSettings(c.get("services").db, user.id) });
});

settings.put("/", async (c) => {
  const user = requireUser(c);
  const full = settingsSchema.parse(await jsonBody(c));
  return c.json({ settings: await updateSettings(c.get("services").db, user.id, full) });
});

settings.patch("/", async (c) => {
  const user = requireUser(c);
  const patch = settingsPatchSchema.parse(await jsonBody(c));
  return c.json({ settings: await updateSettings(c.get("services").db, user.id, patch) });
});

settings.delete("/", async (c) => {
  const user = requireUser(c);
  return c.json({ settings: await resetSettings(c.get("services").db, user.id) });
});

export default settings;
