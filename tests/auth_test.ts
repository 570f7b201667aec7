/** Accounts and sessions over HTTP, tested the way an attacker would try them. */
import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { SignJWT, UnsecuredJWT } from "jose";
import { openTestApp, type TestApp } from "./_harness.ts";
import {
  browserSignUp,
  CookieJar,
  csrfFromHtml,
  signUp,
  TEST_PASSWORD,
  uniqueName,
} from "./_auth.ts";
import { authKeys } from "../lib/auth/context.ts";

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "Content-Type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** A rate-limit clock pinned 30 s into a one-minute window: a run of requests cannot straddle
 * two windows, however slow the machine. */
const midWindow = () => 1_700_000_010_000;

async function status(t: TestApp, path: string, init?: RequestInit): Promise<number> {
  const res = await t.app.request(path, init);
  await res.body?.cancel();
  return res.status;
}

Deno.test("whole flow: sign up, log in, call, refresh, reuse revokes family, logout kills refresh", async () => {
  const t = await openTestApp();
  try {
    const name = uniqueName("Flow");
    const first = await signUp(t.app, { username: name });
    equal(first.user.role, "admin", "the first account is the admin");
    ok(first.refreshToken.length >= 22, "refresh token carries >= 128 bits");

    const login = await t.app.request(
      "/api/auth/login",
      json({ login: name.toUpperCase(), password: TEST_PASSWORD }),
    );
    equal(login.status, 200, "login is case-insensitive on the username");
    const s = await login.json();
    notEqual(s.sessionId, first.sessionId);

    const me = await t.app.request("/api/auth/me", {
      headers: { Authorization: `Bearer ${s.accessToken}` },
    });
    equal(me.status, 200);
    equal((await me.json()).user.username, name);

    const r1 = await t.app.request("/api/auth/refresh", json({ refreshToken: s.refreshToken }));
    equal(r1.status, 200);
    const rotated = await r1.json();
    notEqual(rotated.refreshToken, s.refreshToken, "every refresh rotates");
    equal(rotated.sessionId, s.sessionId, "same family");
    equal(
      await status(t, "/api/auth/me", {
        headers: { Authorization: `Bearer ${rotated.accessToken}` },
      }),
      200,
    );

    // The old token again: the whole family dies, including the newest token and its access.
    const reuse = await t.app.request("/api/auth/refresh", json({ refreshToken: s.refreshToken }));
    equal(reuse.status, 401);
    equal((await reuse.json()).error.code, "refresh_token_reused");
    equal(await status(t, "/api/auth/refresh", json({ refreshToken: rotated.refreshToken })), 401);
    equal(
      await status(t, "/api/auth/me", {
        headers: { Authorization: `Bearer ${rotated.accessToken}` },
      }),
      401,
    );
    // Other sessions of the user are untouched.
    equal(await status(t, "/api/auth/me", { headers: first.bearer }), 200);

    // Logout: the refresh token no longer works, nor the access token.
    equal(await status(t, "/api/auth/logout", json({}, first.bearer)), 200);
    equal(await status(t, "/api/auth/refresh", json({ refreshToken: first.refreshToken })), 401);
    equal(await status(t, "/api/auth/me", { headers: first.bearer }), 401);
  } finally {
    await t.close();
  }
});

Deno.test("access tokens: expired, tampered, alg none, wrong audience or type are refused", async () => {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    const { signing } = await authKeys(t.services);
    const now = Math.floor(Date.now() / 1000);
    const base = (claims: Record<string, unknown> = {}, aud = "paiid") =>
      new SignJWT({ type: "access", sid: a.sessionId, ...claims }).setProtectedHeader({
        alg: "HS256",
      }).setSubject(String(a.user.id)).setIssuer("paiid").setAudience(aud);
    const valid = await base().setExpirationTime(now + 600).sign(signing);
    equal(await status(t, "/api/auth/me", { headers: { Authorization: `Bearer ${valid}` } }), 200);

    const expired = await base().setIssuedAt(now - 1000).setExpirationTime(now - 100).sign(signing);
    const none = new UnsecuredJWT({ type: "access", sid: a.sessionId }).setSubject(
      String(a.user.id),
    )
      .setIssuer("paiid").setAudience("paiid").setExpirationTime(now + 600).encode();
    const [h, p, sig] = a.accessToken.split(".");
    const payload = JSON.parse(atob(p.replaceAll("-", "+").replaceAll("_", "/")));
    const forged = btoa(JSON.stringify({ ...payload, sub: "999" })).replaceAll("=", "")
      .replaceAll("+", "-").replaceAll("/", "_");
    const tampered = `${h}.${forged}.${sig}`;
    const wrongAud = await base({}, "elsewhere").setExpirationTime(now + 600).sign(signing);
    const wrongType = await base({ type: "refresh" }).setExpirationTime(now + 600).sign(signing);
    const otherKey = await base().setExpirationTime(now + 600).sign(
      new TextEncoder().encode("x".repeat(40)),
    );
    for (
      const [what, token] of Object.entries({
        expired,
        none,
        tampered,
        wrongAud,
        wrongType,
        otherKey,
      })
    ) {
      const res = await t.app.request("/api/auth/me", {
        headers: { Authorization: `Bearer ${token}` },
      });
      equal(res.status, 401, what);
      equal((await res.json()).error.code, "unauthorized", what);
    }
    equal(await status(t, "/api/settings", { headers: { Authorization: "Basic abc" } }), 401);
  } finally {
    await t.close();
  }
});

Deno.test("usernames are unique regardless of case, emails are not disclosed; weak passwords are refused", async () => {
  const t = await openTestApp();
  try {
    await signUp(t.app, { username: "Alice", email: "Alice@Example.test" });
    const body = (username: string, email: string, password = TEST_PASSWORD) =>
      json({ username, email, password });
    const dupName = await t.app.request("/api/auth/signup", body("ALICE", "other@example.test"));
    equal(dupName.status, 409);
    equal((await dupName.json()).error.code, "conflict");
    // A registered email is not disclosed: the same answer as a new one, and the email stays
    // with its owner.
    const fresh = await t.app.request("/api/auth/signup", body("erin", "erin@example.test"));
    const taken = await t.app.request("/api/auth/signup", body("bob", "alice@EXAMPLE.test"));
    equal(taken.status, fresh.status);
    equal(taken.status, 201);
    const [freshBody, takenBody] = [await fresh.json(), await taken.json()];
    deepEqual(Object.keys(takenBody).sort(), Object.keys(freshBody).sort());
    deepEqual(Object.keys(takenBody.user).sort(), Object.keys(freshBody.user).sort());
    equal(takenBody.user.email, "alice@EXAMPLE.test", "echoed as typed, like any sign-up");
    equal(takenBody.user.role, freshBody.user.role);
    const bobMe = await t.app.request("/api/users/me", {
      headers: { Authorization: `Bearer ${takenBody.accessToken}` },
    });
    match((await bobMe.json()).user.email, /@unclaimed\.paiid\.invalid$/);
    const byEmail = await t.app.request(
      "/api/auth/login",
      json({ login: "ALICE@example.test", password: TEST_PASSWORD }),
    );
    equal((await byEmail.json()).user.username, "Alice", "the email still signs Alice in");
    const weak = await t.app.request(
      "/api/auth/signup",
      body("carol", "c@example.test", "password1234"),
    );
    equal(weak.status, 400);
    equal((await weak.json()).error.code, "weak_password");
    equal(await status(t, "/api/auth/signup", body("carol", "c@example.test", "short")), 400);
    const second = await signUp(t.app, { username: "dave" });
    equal(second.user.role, "user", "only the first account is the admin");
  } finally {
    await t.close();
  }
});

Deno.test("pages send anonymous visitors to /login?next= and the form brings them back", async () => {
  const t = await openTestApp();
  try {
    for (const path of ["/", "/risk", "/symbol/AAPL", "/settings?tab=x"]) {
      const res = await t.app.request(path);
      equal(res.status, 303, path);
      const location = res.headers.get("Location")!;
      equal(location, path === "/" ? "/login" : `/login?next=${encodeURIComponent(path)}`);
    }
    const user = await signUp(t.app);
    const jar = new CookieJar();
    const page = await t.app.request("/login?next=%2Frisk");
    jar.update(page);
    const html = await page.text();
    match(html, /name="next" value="\/risk"/);
    equal(html.includes("<script"), false, "the login page ships no JavaScript");
    const form = (next: string) =>
      new URLSearchParams({
        _csrf: csrfFromHtml(html),
        next,
        login: user.user.email,
        password: TEST_PASSWORD,
      });
    const post = (next: string) =>
      t.app.request("/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.header() },
        body: form(next),
      });
    const back = await post("/risk");
    equal(back.status, 303);
    equal(back.headers.get("Location"), "/risk");
    const cookies = back.headers.getSetCookie();
    ok(cookies.some((c) => /^paiid_access=.+HttpOnly; SameSite=Lax/.test(c)), cookies.join("\n"));
    ok(cookies.some((c) => /^paiid_refresh=.+HttpOnly; SameSite=Lax/.test(c)));
    const open = await post("//evil.example/x");
    equal(open.headers.get("Location"), "/", "no open redirect");
    jar.update(back);
    equal(await status(t, "/risk", { headers: { Cookie: jar.header() } }), 200);

    // Over https the cookies are Secure.
    const secure = await t.app.request("/login", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: jar.header(),
        "X-Forwarded-Proto": "https",
      },
      body: form("/"),
    });
    ok(secure.headers.getSetCookie().every((c) => c.includes("; Secure")));
  } finally {
    await t.close();
  }
});

Deno.test("CSRF: cookie-authenticated changes need the token and a same-site origin", async () => {
  const t = await openTestApp({ CORS_ORIGINS: "https://trusted.example" });
  try {
    const b = await browserSignUp(t.app);
    const patch = (headers: Record<string, string>) =>
      t.app.request("/api/settings", {
        method: "PATCH",
        headers: { "Content-Type": "application/json", ...b.headers(), ...headers },
        body: JSON.stringify({ theme: "light" }),
      });
    const missing = await patch({});
    equal(missing.status, 403);
    equal((await missing.json()).error.code, "csrf_failed");
    equal((await patch({ "X-CSRF-Token": "A".repeat(43) })).status, 403);
    equal((await patch({ "X-CSRF-Token": b.csrf, Origin: "https://evil.example" })).status, 403);
    equal((await patch({ "X-CSRF-Token": b.csrf, "Sec-Fetch-Site": "cross-site" })).status, 403);
    equal((await patch({ "X-CSRF-Token": b.csrf })).status, 200);
    equal((await patch({ "X-CSRF-Token": b.csrf, Origin: "https://trusted.example" })).status, 200);

    // A bearer token is never sent by a browser on its own: no CSRF token needed.
    const api = await signUp(t.app);
    equal(
      await status(t, "/api/settings", {
        method: "PATCH",
        headers: { ...api.bearer, "Content-Type": "application/json" },
        body: "{}",
      }),
      200,
    );
    // Forms posted to pages need the token even when nobody is signed in (login CSRF).
    const noToken = await t.app.request("/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ login: api.user.username, password: TEST_PASSWORD }),
    });
    equal(noToken.status, 403);
    // Logging out is a form post with the token.
    const logout = await t.app.request("/logout", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...b.headers() },
      body: new URLSearchParams({ _csrf: b.csrf }),
    });
    equal(logout.status, 303);
    b.jar.update(logout);
    equal(await status(t, "/", { headers: b.headers() }), 303, "signed out");
  } finally {
    await t.close();
  }
});

Deno.test("CORS answers only the allow-listed origins", async () => {
  const t = await openTestApp({ CORS_ORIGINS: "https://trusted.example" });
  try {
    const pre = (origin: string) =>
      t.app.request("/api/settings", {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": "PATCH" },
      });
    const ok1 = await pre("https://trusted.example");
    equal(ok1.headers.get("Access-Control-Allow-Origin"), "https://trusted.example");
    equal(ok1.headers.get("Access-Control-Allow-Credentials"), "true");
    const bad = await pre("https://evil.example");
    equal(bad.headers.get("Access-Control-Allow-Origin"), null);
  } finally {
    await t.close();
  }
});

Deno.test("silent renewal: an expired access cookie is renewed from the refresh cookie", async () => {
  const t = await openTestApp();
  try {
    const b = await browserSignUp(t.app);
    const refresh = b.jar.cookies.get("paiid_refresh")!;
    b.jar.cookies.delete("paiid_access"); // the browser dropped it at Max-Age
    const res = await t.app.request("/risk", { headers: b.headers() });
    equal(res.status, 200);
    await res.body?.cancel();
    b.jar.update(res);
    ok(b.jar.cookies.get("paiid_access"), "new access cookie");
    notEqual(b.jar.cookies.get("paiid_refresh"), refresh, "refresh cookie rotated");
    equal(await status(t, "/risk", { headers: b.headers() }), 200);
    // A stolen, already rotated refresh cookie presented later revokes the family.
    const stolen = await t.app.request("/api/auth/refresh", json({ refreshToken: refresh }));
    equal((await stolen.json()).error.code, "refresh_token_reused");
    b.jar.cookies.delete("paiid_access");
    equal(await status(t, "/risk", { headers: b.headers() }), 303);
  } finally {
    await t.close();
  }
});

Deno.test("cookie refresh after the middleware renewed: success, no reuse, session kept", async () => {
  const t = await openTestApp();
  try {
    const b = await browserSignUp(t.app);
    const cookieRefresh = (extra: Record<string, string> = {}) =>
      t.app.request("/api/auth/refresh", {
        method: "POST",
        headers: { ...b.headers(), "X-CSRF-Token": b.csrf, Origin: "http://localhost", ...extra },
      });
    // The access cookie expired: the middleware renews in front of the handler, which must not
    // treat the refresh cookie it was sent (now rotated) as a replay.
    b.jar.cookies.delete("paiid_access");
    const res = await cookieRefresh();
    const body = await res.json();
    equal(res.status, 200, JSON.stringify(body));
    ok(body.sessionId && body.accessExpiresAt);
    equal(body.refreshToken, undefined, "a cookie refresh never shows a token");
    b.jar.update(res);
    ok(b.jar.cookies.get("paiid_access") && b.jar.cookies.get("paiid_refresh"));
    equal(await status(t, "/api/auth/me", { headers: b.headers() }), 200);
    const [revoked] = await t.services.db.query<{ n: number }>(
      `select count(*)::int as n from user_sessions s join users u on u.id = s.user_id
        where u.username = $1 and s.revoked_at is not null`,
      [b.username],
    );
    equal(revoked.n, 0, "no session revoked");

    // With a good access cookie the handler rotates the refresh cookie itself.
    const before = b.jar.cookies.get("paiid_refresh");
    const again = await cookieRefresh();
    equal(again.status, 200);
    await again.body?.cancel();
    b.jar.update(again);
    notEqual(b.jar.cookies.get("paiid_refresh"), before, "explicit cookie refresh rotates");
    equal(await status(t, "/api/auth/me", { headers: b.headers() }), 200);

    // An API client sending the old token in the body is still a replay.
    const replay = await t.app.request("/api/auth/refresh", json({ refreshToken: before }));
    equal((await replay.json()).error.code, "refresh_token_reused");
  } finally {
    await t.close();
  }
});

Deno.test("sessions: list, end one, sign out everywhere, password change revokes them", async () => {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    const login = async () =>
      await (await t.app.request(
        "/api/auth/login",
        json({ login: a.user.username, password: a.password }),
      )).json();
    const s2 = await login();
    const list = await (await t.app.request("/api/auth/sessions", { headers: a.bearer })).json();
    deepEqual(
      list.sessions.map((s: { id: string }) => s.id).sort(),
      [a.sessionId, s2.sessionId].sort(),
    );
    equal(list.sessions.find((s: { current: boolean }) => s.current).id, a.sessionId);
    equal(
      await status(t, `/api/auth/sessions/${s2.sessionId}`, {
        method: "DELETE",
        headers: a.bearer,
      }),
      200,
    );
    equal(await status(t, "/api/auth/refresh", json({ refreshToken: s2.refreshToken })), 401);

    const s3 = await login();
    const everywhere = await t.app.request(
      "/api/auth/sessions/revoke-all",
      json({ keepCurrent: true }, a.bearer),
    );
    equal((await everywhere.json()).ended, 1);
    equal(
      await status(t, "/api/auth/me", { headers: { Authorization: `Bearer ${s3.accessToken}` } }),
      401,
    );
    equal(await status(t, "/api/auth/me", { headers: a.bearer }), 200, "kept the current one");

    const wrong = await t.app.request(
      "/api/auth/password",
      json(
        { currentPassword: "not my password!!", newPassword: "a brand new passphrase" },
        a.bearer,
      ),
    );
    equal(wrong.status, 403);
    const changed = await t.app.request(
      "/api/auth/password",
      json({ currentPassword: a.password, newPassword: "a brand new passphrase" }, a.bearer),
    );
    equal(changed.status, 200);
    equal(await status(t, "/api/auth/me", { headers: a.bearer }), 401, "every session ended");
    equal(
      await status(t, "/api/auth/login", json({ login: a.user.username, password: a.password })),
      401,
    );
    equal(
      await status(
        t,
        "/api/auth/login",
        json({ login: a.user.username, password: "a brand new passphrase" }),
      ),
      200,
    );
  } finally {
    await t.close();
  }
});

Deno.test("API tokens: shown once, hashed, named, last used, revocable; operator token", async () => {
  const adminToken = "op-".padEnd(40, "z");
  const t = await openTestApp({ ADMIN_API_TOKEN: adminToken });
  try {
    const admin = await signUp(t.app);
    const a = await signUp(t.app);
    const created = await t.app.request(
      "/api/auth/tokens",
      json({ name: "backtest bot" }, a.bearer),
    );
    equal(created.status, 201);
    const { token, id } = await created.json();
    match(token, /^paiid_[A-Za-z0-9_-]{43}$/);
    const stored = await t.services.db.query<{ token_hash: string }>(
      "select token_hash from api_tokens where id = $1",
      [id],
    );
    notEqual(stored[0].token_hash, token, "stored hashed");
    const bearer = { Authorization: `Bearer ${token}` };
    const me = await (await t.app.request("/api/auth/me", { headers: bearer })).json();
    equal(me.user.id, a.user.id);
    equal(me.auth.kind, "api_token");
    const list = await (await t.app.request("/api/auth/tokens", { headers: a.bearer })).json();
    equal(list.tokens.length, 1);
    equal(list.tokens[0].name, "backtest bot");
    ok(list.tokens[0].lastUsedAt, "last use recorded");
    equal(JSON.stringify(list).includes(token), false, "never shown again");
    equal(await status(t, `/api/auth/tokens/${id}`, { method: "DELETE", headers: a.bearer }), 200);
    equal(await status(t, "/api/auth/me", { headers: bearer }), 401, "revoked");

    // Admin list: the admin user and the operator token may; a user may not.
    equal(await status(t, "/api/users", { headers: a.bearer }), 403);
    const byAdmin = await (await t.app.request("/api/users", { headers: admin.bearer })).json();
    equal(byAdmin.users.length, 2);
    equal(JSON.stringify(byAdmin).includes("password"), false);
    const op = { Authorization: `Bearer ${adminToken}` };
    equal(await status(t, "/api/users", { headers: op }), 200);
    equal(await status(t, "/api/settings", { headers: op }), 403, "the operator owns no data");
    equal(
      await status(t, "/api/users", { headers: { Authorization: `Bearer ${adminToken}x` } }),
      401,
    );
  } finally {
    await t.close();
  }
});

Deno.test("API tokens cannot mint tokens, and a password change revokes them all", async () => {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    const created = await t.app.request("/api/auth/tokens", json({ name: "bot" }, a.bearer));
    equal(created.status, 201);
    const tokenBearer = { Authorization: `Bearer ${(await created.json()).token}` };
    const minted = await t.app.request("/api/auth/tokens", json({ name: "child" }, tokenBearer));
    equal(minted.status, 403);
    await minted.body?.cancel();
    equal(await status(t, "/api/auth/me", { headers: tokenBearer }), 200);

    const changed = await t.app.request(
      "/api/auth/password",
      json(
        { currentPassword: TEST_PASSWORD, newPassword: "a fresh and long passphrase 42" },
        a.bearer,
      ),
    );
    equal(changed.status, 200);
    equal((await changed.json()).revokedApiTokens, 1);
    equal(await status(t, "/api/auth/me", { headers: tokenBearer }), 401);
  } finally {
    await t.close();
  }
});

Deno.test("rate limit: the 101st request in a minute gets 429 with Retry-After; a page gets a page", async () => {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100" }, { now: midWindow });
  try {
    const a = await signUp(t.app);
    for (let i = 1; i <= 100; i++) {
      const res = await t.app.request("/api/auth/me", { headers: a.bearer });
      await res.body?.cancel();
      equal(res.status, 200, `request ${i}`);
      equal(res.headers.get("RateLimit-Remaining"), String(100 - i));
    }
    const refused = await t.app.request("/api/auth/me", { headers: a.bearer });
    equal(refused.status, 429);
    equal(refused.headers.get("Retry-After"), "30", "the rest of the pinned window");
    equal(refused.headers.get("RateLimit-Limit"), "100");
    equal(refused.headers.get("RateLimit-Remaining"), "0");
    equal((await refused.json()).error.code, "rate_limited");
    // A page navigation past the limit shows the app's error page, not JSON as text.
    const page = await t.app.request("/positions", { headers: a.bearer });
    equal(page.status, 429);
    match(page.headers.get("Content-Type") ?? "", /^text\/html/);
    equal(page.headers.get("Retry-After"), "30");
    match(await page.text(), /Too many requests/);
    // Another user (and another IP) has their own budget.
    const b = await signUp(t.app);
    equal(await status(t, "/api/auth/me", { headers: b.bearer }), 200);
  } finally {
    await t.close();
  }
});

Deno.test("rate limit: sign-in attempts are limited harder, per IP", async () => {
  const t = await openTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: "10" }, { now: midWindow });
  try {
    // A new account name each time, so only the per-IP limit can refuse.
    let n = 0;
    const attempt = (ip: string) =>
      t.app.request("/api/auth/login", json({ login: `nobody${n++}`, password: "x" }), {
        remoteAddr: { hostname: ip },
      });
    for (let i = 1; i <= 10; i++) {
      const res = await attempt("10.0.0.1");
      equal(res.status, 401, `attempt ${i} is answered`);
      equal((await res.json()).error.code, "unauthorized");
      equal(res.headers.get("RateLimit-Remaining"), String(10 - i), `attempt ${i}`);
      match(res.headers.get("RateLimit-Policy") ?? "", /^10;w=60;name="credentials"$/);
    }
    const refused = await attempt("10.0.0.1");
    equal(refused.status, 429, "the 11th attempt from the same IP");
    equal(refused.headers.get("Retry-After"), "30");
    equal((await refused.json()).error.code, "rate_limited");
    // Another IP has its own budget: its first attempt is answered, then it too stops at 10.
    const other = await attempt("10.0.0.2");
    equal(other.status, 401, "another IP is allowed");
    equal(other.headers.get("RateLimit-Remaining"), "9");
    await other.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("rate limit: behind a trusted proxy, a forged X-Forwarded-For does not reset the limit", async () => {
  const t = await openTestApp({ TRUST_PROXY: "true" }, { now: midWindow });
  try {
    // The proxy appends the real address; everything before it came from the client.
    // A new account name each time, so only the per-IP limit can refuse.
    const attempt = (forged: string) =>
      t.app.request(
        "/api/auth/login",
        json({ login: `nobody${forged}`, password: "x" }, {
          "X-Forwarded-For": `${forged}, 198.51.100.7`,
        }),
        { remoteAddr: { hostname: "10.9.9.9" } },
      );
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await attempt(`203.0.113.${i}`);
      await res.body?.cancel();
      statuses.push(res.status);
    }
    // The 10 attempts the credentials limit allows, then refusals: the forged part never helps.
    deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
  } finally {
    await t.close();
  }
});

Deno.test("login slowdown: strangers' failures never lock the owner out; the failing IP waits", async () => {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    const attempt = (login: string, password: string, ip: string) =>
      t.app.request("/api/auth/login", json({ login, password }), {
        remoteAddr: { hostname: ip },
      });
    // Six addresses each spend their free failures and one more, by username and by email.
    for (let ip = 0; ip < 6; ip++) {
      for (let i = 0; i < 6; i++) {
        const login = i % 2 ? a.user.email : a.user.username;
        const res = await attempt(login, "wrong password here", `10.1.0.${ip}`);
        equal(res.status, 401, `address ${ip}, failure ${i + 1}`);
        await res.body?.cancel();
      }
      const waiting = await attempt(a.user.username, a.password, `10.1.0.${ip}`);
      equal(waiting.status, 429, "this address must wait, even with the right password");
      ok(Number(waiting.headers.get("Retry-After")) >= 1);
      equal((await waiting.json()).error.code, "too_many_attempts");
    }
    // The owner, from their own address, signs in at once.
    const owner = await attempt(a.user.username, a.password, "10.2.2.2");
    equal(owner.status, 200);
    equal((await owner.json()).user.id, a.user.id);
  } finally {
    await t.close();
  }
});

Deno.test("no password, token or secret appears in logs or responses", async () => {
  const t = await openTestApp({ JWT_SECRET: "s".repeat(40), ADMIN_API_TOKEN: "a".repeat(40) });
  try {
    const a = await signUp(t.app);
    await status(t, "/api/auth/login", json({ login: a.user.username, password: a.password }));
    await status(t, "/api/auth/refresh", json({ refreshToken: a.refreshToken }));
    await status(t, "/api/auth/refresh", json({ refreshToken: a.refreshToken }));
    const me = await (await t.app.request("/api/auth/me", { headers: a.bearer })).text();
    const logs = JSON.stringify(t.logs);
    for (
      const secret of [a.password, a.accessToken, a.refreshToken, "s".repeat(40), "a".repeat(40)]
    ) {
      equal(logs.includes(secret), false);
      equal(me.includes(secret), false);
    }
    const big = await t.app.request("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ login: "x", password: "y".repeat(2 * 1024 * 1024) }),
    });
    equal(big.status, 413);
    await big.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("sign-in and sign-up pages answer 400, not 500, to a body that is not a form", async () => {
  const t = await openTestApp();
  try {
    for (const path of ["/login", "/signup"]) {
      const jar = new CookieJar();
      const page = await t.app.request(path);
      jar.update(page);
      const csrf = csrfFromHtml(await page.text());
      for (
        const [type, body] of [
          ["application/json", '{"login":"a"}'],
          ["multipart/form-data; boundary=x", "--x\r\nbroken"],
          [undefined, "login=a"],
        ] as const
      ) {
        const headers: Record<string, string> = { Cookie: jar.header(), "X-CSRF-Token": csrf };
        if (type) headers["Content-Type"] = type;
        const res = await t.app.request(path, { method: "POST", headers, body });
        equal(res.status, 400, `${path} ${type}`);
        // A body the form parser rejects is a JSON error; one it reads as an empty form gets the
        // page again with its message. Either way: a 400, never a 500.
        if (res.headers.get("Content-Type")?.startsWith("application/json")) {
          equal((await res.json()).error.code, "invalid_form");
        } else {
          match(await res.text(), /<form/);
        }
      }
    }
  } finally {
    await t.close();
  }
});
