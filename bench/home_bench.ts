/**
 * Rendering the radial home page through the whole app (middleware, SSR, island markers,
 * compression off): `deno task bench`. Also renders a stage page for comparison.
 */
import { openTestApp } from "../tests/_harness.ts";
import { browserSignUp } from "../tests/_auth.ts";

// A bench sends far more than 100 requests a minute; the limit itself is not what is measured.
const t = await openTestApp({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MINUTE: "100000000" });
// Pages need a signed-in user: sign up once through the form, then send its cookies.
const browser = await browserSignUp(t.app);
const headers = browser.headers();

Deno.bench("GET / (radial home, server-rendered)", { group: "pages", baseline: true }, async () => {
  const res = await t.app.request("/", { headers });
  await res.text();
});

Deno.bench("GET /execute (split view + placeholder)", { group: "pages" }, async () => {
  const res = await t.app.request("/execute", { headers });
  await res.text();
});

Deno.bench("GET /api/health", async () => {
  const res = await t.app.request("/api/health");
  await res.text();
});

globalThis.addEventListener("unload", () => {
  t.close();
});
