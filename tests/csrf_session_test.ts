/** The CSRF token belongs to one browser *and* one session; cookies cannot be planted. */
import { equal, match, notEqual, ok } from "node:assert/strict";
import { openTestApp } from "./_harness.ts";
import { CookieJar, csrfFromHtml, signUp, TEST_PASSWORD } from "./_auth.ts";
import { authKeys } from "../lib/auth/context.ts";
import { csrfTokenFor } from "../lib/auth/csrf.ts";

const form = (fields: Record<string, string>, cookie: string) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
  body: new URLSearchParams(fields),
});

const setCookieNamed = (res: Response, name: string) =>
  res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

Deno.test("a planted CSRF cookie is neither echoed as a token nor accepted", async () => {
  const t = await openTestApp();
  try {
    const { csrf: key } = await authKeys(t.services);
    const planted = "attackerChosenValue123";
    const page = await t.app.request("/login", { headers: { Cookie: `paiid_csrf=${planted}` } });
    const html = await page.text();
    const replaced = setCookieNamed(page, "paiid_csrf");
    ok(replaced, "a cookie of the server's own replaces the planted one");
    equal(replaced.includes(planted), false);
    notEqual(csrfFromHtml(html), await csrfTokenFor(key, planted));

    const a = await signUp(t.app);
    const login = await t.app.request(
      "/login",
      form({
        _csrf: await csrfTokenFor(key, planted),
        login: a.user.username,
        password: TEST_PASSWORD,
      }, `paiid_csrf=${planted}`),
    );
    equal(login.status, 403);
    equal((await login.json()).error.code, "csrf_failed");
  } finally {
    await t.close();
  }
});

Deno.test("the token changes at sign-in and at sign-out, and the old one stops working", async () => {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    const jar = new CookieJar();
    const loginPage = await t.app.request("/login");
    jar.update(loginPage);
    const before = csrfFromHtml(await loginPage.text());
    const cookieBefore = jar.cookies.get("paiid_csrf")!;

    const signIn = await t.app.request(
      "/login",
      form({ _csrf: before, login: a.user.username, password: TEST_PASSWORD }, jar.header()),
    );
    equal(signIn.status, 303);
    ok(setCookieNamed(signIn, "paiid_csrf"), "signing in replaces the CSRF cookie");
    jar.update(signIn);
    notEqual(jar.cookies.get("paiid_csrf"), cookieBefore);
    const signedInPage = await t.app.request("/logout", { headers: { Cookie: jar.header() } });
    const during = csrfFromHtml(await signedInPage.text());
    notEqual(during, before);

    const patch = (cookie: string, token: string) =>
      t.app.request("/api/settings", {
        method: "PATCH",
        headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": token },
        body: JSON.stringify({ theme: "light" }),
      });
    const sessionCookies = [...jar.cookies].filter(([k]) => k !== "paiid_csrf")
      .map(([k, v]) => `${k}=${v}`).join("; ");
    // Even a browser that kept the pre-sign-in cookie (say, one an attacker planted and knew
    // the token of) cannot use the pre-sign-in token inside the session.
    const stale = await patch(`${sessionCookies}; paiid_csrf=${cookieBefore}`, before);
    equal(stale.status, 403);
    await stale.body?.cancel();
    const fresh = await patch(jar.header(), during);
    equal(fresh.status, 200);
    await fresh.body?.cancel();

    const signOut = await t.app.request("/logout", form({ _csrf: during }, jar.header()));
    equal(signOut.status, 303);
    ok(setCookieNamed(signOut, "paiid_csrf"), "signing out replaces the CSRF cookie");
    jar.update(signOut);
    const after = csrfFromHtml(
      await (await t.app.request("/login", {
        headers: { Cookie: jar.header() },
      })).text(),
    );
    notEqual(after, during);
    notEqual(after, before);
    const replay = await t.app.request(
      "/login",
      form({ _csrf: during, login: a.user.username, password: TEST_PASSWORD }, jar.header()),
    );
    equal(replay.status, 403, "the signed-in token is dead after sign-out");
    await replay.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("over https the cookies are __Host- prefixed and unprefixed ones are ignored", async () => {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    const base = "https://paiid.example";
    const page = await t.app.request(`${base}/login`, {
      headers: { Cookie: "paiid_csrf=planted.over-http" },
    });
    const csrfCookie = setCookieNamed(page, "__Host-paiid_csrf");
    ok(csrfCookie, page.headers.getSetCookie().join(" | "));
    match(csrfCookie, /; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    equal(/domain=/i.test(csrfCookie), false);
    equal(setCookieNamed(page, "paiid_csrf"), undefined);
    const jar = new CookieJar();
    jar.update(page);

    const signIn = await t.app.request(
      `${base}/login`,
      form({
        _csrf: csrfFromHtml(await page.text()),
        login: a.user.username,
        password: TEST_PASSWORD,
      }, jar.header()),
    );
    equal(signIn.status, 303);
    jar.update(signIn);
    for (const name of ["__Host-paiid_access", "__Host-paiid_refresh", "__Host-paiid_csrf"]) {
      ok(jar.cookies.has(name), name);
      match(setCookieNamed(signIn, name)!, /; Secure$/);
    }
    equal([...jar.cookies.keys()].some((k) => k.startsWith("paiid_")), false);
    const home = await t.app.request(`${base}/`, { headers: { Cookie: jar.header() } });
    equal(home.status, 200);
    await home.body?.cancel();
    // The same cookies without the prefix (what a sibling subdomain could set) sign nobody in.
    const unprefixed = jar.header().replaceAll("__Host-", "");
    const refused = await t.app.request(`${base}/`, { headers: { Cookie: unprefixed } });
    equal(refused.status, 303);
    await refused.body?.cancel();
  } finally {
    await t.close();
  }
});
