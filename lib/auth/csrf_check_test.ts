import assert from "node:assert/strict";
import { authKeys } from "./context.ts";
import { ACCESS_COOKIE, CSRF_COOKIE } from "./cookies.ts";
import { csrfCheck, csrfToken, MAX_FORM_BYTES, ridesOnCookies } from "./csrf_check.ts";
import { csrfTokenFor, newCsrfCookie } from "./csrf.ts";
import { authServices, middlewareApp } from "./testing.ts";

const services = authServices({ CORS_ORIGINS: "https://trusted.example" });
const app = middlewareApp(services, csrfToken(services), csrfCheck(services));
// A cookie this server signed, as a browser holds it after its first page.
const browserCookie = await newCsrfCookie((await authKeys(services)).csrf);
const tokenFor = async (value: string) => csrfTokenFor((await authKeys(services)).csrf, value);
const form = (fields: Record<string, string>, cookie: string, extra: Record<string, string> = {}) =>
  app.request("/settings", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Cookie: cookie,
      Origin: "http://localhost",
      ...extra,
    },
    body: new URLSearchParams(fields),
  });

Deno.test("CSRF token: a page visit without the cookie gets one, and its token on the state", async () => {
  const res = await app.request("/risk");
  const [set] = res.headers.getSetCookie();
  const value = /^paiid_csrf=([^;]+); Path=\/; HttpOnly; SameSite=Lax$/.exec(set)?.[1];
  assert.ok(value, set);
  assert.equal((await res.json()).csrfToken, await tokenFor(value));

  const again = await app.request("/risk", { headers: { Cookie: `${CSRF_COOKIE}=${value}` } });
  assert.deepEqual(again.headers.getSetCookie(), [], "a browser keeps its cookie");
  assert.equal((await again.json()).csrfToken, await tokenFor(value));

  const api = await app.request("/api/settings");
  assert.deepEqual(api.headers.getSetCookie(), [], "the API hands out no cookie");
  assert.equal((await api.json()).csrfToken, null);
});

Deno.test("CSRF check: a form post needs the token of its own cookie and a same-site origin", async () => {
  const cookie = `${CSRF_COOKIE}=${browserCookie}`;
  const token = await tokenFor(browserCookie);
  assert.equal((await form({ _csrf: token }, cookie)).status, 200);
  const missing = await form({}, cookie);
  assert.equal(missing.status, 403);
  assert.equal((await missing.json()).error.code, "csrf_failed");
  assert.equal((await form({ _csrf: token }, `${CSRF_COOKIE}=another-cookie-value`)).status, 403);
  // A planted cookie the server never signed is refused even with the token that matches it.
  const planted = "abcdefghijklmnopqrstuvwx";
  const plantedToken = await tokenFor(planted);
  assert.equal((await form({ _csrf: plantedToken }, `${CSRF_COOKIE}=${planted}`)).status, 403);
  assert.equal((await form({ _csrf: "x" + token.slice(1) }, cookie)).status, 403);
  const crossSite = await form({ _csrf: token }, cookie, { Origin: "https://evil.example" });
  assert.equal(crossSite.status, 403);
  assert.equal((await crossSite.json()).error.message, "Cross-site request refused.");
  assert.equal(
    (await form({ _csrf: token }, cookie, { Origin: "https://trusted.example" })).status,
    200,
    "an allow-listed origin",
  );
  const huge = await form({ _csrf: token, note: "x".repeat(MAX_FORM_BYTES) }, cookie);
  assert.equal(huge.status, 413);
  assert.equal((await huge.json()).error.code, "payload_too_large");
});

Deno.test("CSRF check: API calls need the header only when they ride on cookies", async () => {
  const token = await tokenFor(browserCookie);
  const post = (headers: Record<string, string>) =>
    app.request("/api/settings", { method: "PATCH", headers, body: "{}" });
  const cookies = `${ACCESS_COOKIE}=some.jwt.value; ${CSRF_COOKIE}=${browserCookie}`;
  assert.equal((await post({ Cookie: cookies })).status, 403);
  assert.equal((await post({ Cookie: cookies, "X-CSRF-Token": token })).status, 200);
  assert.equal((await post({ Authorization: "Bearer abc" })).status, 200, "bearer: not forgeable");
  assert.equal((await post({})).status, 200, "no credential at all: the gate's business");
  assert.equal((await app.request("/api/settings", { headers: { Cookie: cookies } })).status, 200);

  assert.equal(ridesOnCookies(new Headers({ Cookie: cookies })), true);
  assert.equal(ridesOnCookies(new Headers({ Cookie: cookies, Authorization: "Bearer x" })), false);
  assert.equal(ridesOnCookies(new Headers({ Cookie: `${CSRF_COOKIE}=${browserCookie}` })), false);
});
