/**
 * Private answers stay out of caches; every page and file denies the browser features we never
 * use, and JSON answers carry the API's short set of security headers.
 */
import { equal, match, ok } from "node:assert/strict";
import { openTestApp } from "./_harness.ts";
import { browserSignUp, signUp } from "./_auth.ts";

const varies = (res: Response, header: string) =>
  (res.headers.get("Vary") ?? "").split(",").map((v) => v.trim().toLowerCase())
    .includes(header.toLowerCase());

Deno.test("private API answers are no-store: tokens, own profile, a profile, the user list", async () => {
  const t = await openTestApp();
  try {
    const admin = await signUp(t.app);
    const other = await signUp(t.app);
    for (
      const path of [
        "/api/auth/tokens",
        "/api/users/me",
        `/api/users/${other.user.id}`,
        "/api/users",
        "/api/ai/profile",
      ]
    ) {
      const res = await t.app.request(path, { headers: admin.bearer });
      equal(res.status, 200, path);
      equal(res.headers.get("Cache-Control"), "no-store", path);
      await res.body?.cancel();
    }
  } finally {
    await t.close();
  }
});

Deno.test("signed-in pages are no-store and vary on Cookie", async () => {
  const t = await openTestApp();
  try {
    const b = await browserSignUp(t.app);
    for (
      const path of ["/", "/execute", "/positions", "/settings", "/onboarding", "/symbol/AAPL"]
    ) {
      const res = await t.app.request(path, { headers: b.headers() });
      equal(res.status, 200, path);
      match(res.headers.get("Content-Type") ?? "", /^text\/html/, path);
      equal(res.headers.get("Cache-Control"), "no-store", path);
      ok(varies(res, "Cookie"), `${path}: Vary ${res.headers.get("Vary")}`);
      await res.body?.cancel();
    }
    // The redirect an anonymous visitor gets depends on the cookie too.
    const anonymous = await t.app.request("/positions");
    equal(anonymous.status, 303);
    ok(varies(anonymous, "Cookie"));
    equal(anonymous.headers.get("Cache-Control"), "no-store");
  } finally {
    await t.close();
  }
});

Deno.test("a policy the handler chose is kept, and public files stay cacheable", async () => {
  const t = await openTestApp();
  try {
    const health = await t.app.request("/api/health");
    await health.body?.cancel();
    equal(health.headers.get("Cache-Control"), "no-store");
    const css = await t.app.request("/styles.css");
    await css.body?.cancel();
    equal(css.status, 200);
    ok(css.headers.get("Cache-Control") !== "no-store", "static files keep their own policy");
    equal(varies(css, "Cookie"), false);
  } finally {
    await t.close();
  }
});

Deno.test("pages and files carry a Permissions-Policy that denies camera, microphone, location, payment", async () => {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    for (
      const [path, headers, status] of [
        ["/login", {}, 200],
        ["/", a.bearer, 200],
        ["/no-such-page", a.bearer, 404],
        ["/styles.css", {}, 200],
      ] as const
    ) {
      const res = await t.app.request(path, { headers });
      await res.body?.cancel();
      equal(res.status, status, path);
      const policy = res.headers.get("Permissions-Policy") ?? "";
      for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) {
        ok(policy.split(/,\s*/).includes(`${feature}=()`), `${path}: ${feature} in "${policy}"`);
      }
      match(res.headers.get("Content-Security-Policy") ?? "", /script-src 'self'/, path);
    }
  } finally {
    await t.close();
  }
});

Deno.test("JSON answers, errors included, carry the API's short set: nothing may load, be sniffed or framed", async () => {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    for (
      const [path, headers, status] of [
        ["/api/health", {}, 200],
        ["/api/users/me", a.bearer, 200],
        ["/api/market/quote/AAPL", a.bearer, 200],
        ["/api/no-such-endpoint", a.bearer, 404],
        ["/api/users/me", {}, 401],
      ] as const
    ) {
      const res = await t.app.request(path, { headers });
      await res.body?.cancel();
      equal(res.status, status, path);
      match(res.headers.get("Content-Type") ?? "", /^application\/json/, path);
      equal(
        res.headers.get("Content-Security-Policy"),
        "default-src 'none'; frame-ancestors 'none'",
        path,
      );
      equal(res.headers.get("X-Content-Type-Options"), "nosniff", path);
      equal(res.headers.get("X-Frame-Options"), "DENY", path);
      equal(res.headers.get("Cross-Origin-Resource-Policy"), "same-origin", path);
      // Document-only policies are left off data.
      equal(res.headers.get("Permissions-Policy"), null, path);
      equal(res.headers.get("X-XSS-Protection"), null, path);
    }
  } finally {
    await t.close();
  }
});
