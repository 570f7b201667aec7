/**
 * Rendering the radial home page through the whole app (middleware, SSR, island markers,
 * compression off): `deno task bench`. Also renders a stage page for comparison.
 */
import { openTestApp } from "../tests/_harness.ts";

const t = await openTestApp({ LOG_LEVEL: "silent" });

Deno.bench("GET / (radial home, server-rendered)", { group: "pages", baseline: true }, async () => {
  const res = await t.app.request("/");
  await res.text();
});

Deno.bench("GET /execute (split view + placeholder)", { group: "pages" }, async () => {
  const res = await t.app.request("/execute");
  await res.text();
});

Deno.bench("GET /api/health", async () => {
  const res = await t.app.request("/api/health");
  await res.text();
});

globalThis.addEventListener("unload", () => {
  t.close();
});
