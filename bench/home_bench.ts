/**
 * Rendering the radial home page: server-side rendering alone (Preact, island markers, script
 * injection), and through the whole app (request id, logs, security headers, auth with its
 * session lookup and KV rate limit, SSR). `deno task bench`. A stage page for comparison.
 */
import manifest from "../fresh.gen.ts";
import { injectIslandScripts, renderDocument } from "../lib/fresh/render.ts";
import { registerIslands } from "../lib/fresh/app.ts";
import type { LayoutModule, PageModule } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { openTestApp } from "../tests/_harness.ts";
import { browserSignUp } from "../tests/_auth.ts";

// A bench sends far more than 100 requests a minute; the limit itself is not what is measured.
const t = await openTestApp({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MINUTE: "100000000" });
// Pages need a signed-in user: sign up once through the form, then send its cookies.
const browser = await browserSignUp(t.app);
const headers = browser.headers();

registerIslands(manifest);
const home = manifest.routes["./routes/index.tsx"] as unknown as PageModule;
const app = manifest.routes["./routes/_app.tsx"] as unknown as LayoutModule;
const state: State & Record<string, unknown> = {
  requestId: "bench",
  services: t.services,
  clientIp: "127.0.0.1",
  secure: false,
  userAgent: null,
  tradingMode: "paper",
  splitPercent: 38,
  user: { id: 1, username: "bench", email: "bench@example.test", role: "user" },
  csrfToken: "t",
};
const bundle = await (await import("../lib/fresh/load.ts")).loadBundle({ manifest });

Deno.bench("render / (SSR only: Preact + island markers + scripts)", { group: "ssr" }, () => {
  const { html, islands } = renderDocument({
    page: home.default!,
    layouts: [],
    app,
    props: { url: new URL("http://localhost/"), params: {}, state, route: "/", data: undefined },
  });
  injectIslandScripts(html, islands, bundle);
});

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
