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

const settings = new Hono<AppEnv>();

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
