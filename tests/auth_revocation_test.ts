/**
 * Identify answers signed-in requests from memory (lib/auth/identity_cache.ts); these tests hold
 * it to the promise that makes that safe: a credential revoked through one instance is refused
 * by every other instance within a second, and by the revoking instance at once.
 */
import assert from "node:assert/strict";
import { openPeerApp, openTestApp, type TestApp } from "./_harness.ts";
import { ACCESS_COOKIE } from "../lib/auth/cookies.ts";
import { browserSignUp, signUp } from "./_auth.ts";

/** Polls `path` on `app` with `headers` until it answers 401; the time that took, in ms. */
async function msUntilRefused(
  app: TestApp,
  headers: Record<string, string>,
  limitMs: number,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await app.app.request("/api/auth/me", { headers });
    await res.body?.cancel();
    const elapsed = performance.now() - started;
    if (res.status === 401) return elapsed;
    assert.equal(res.status, 200);
    if (elapsed > limitMs) return elapsed;
    // Yield to the timers (the epoch poll) between requests; not a fixed wait for an outcome.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function withTwoInstances(fn: (a: TestApp, b: TestApp) => Promise<void>) {
  const a = await openTestApp();
  const b = await openPeerApp(a);
  try {
    await fn(a, b);
  } finally {
    await b.close();
    await a.close();
  }
}

/** Asks `b` until it trusts its cache (its first epoch read is done) and holds `headers`' user. */
async function warm(b: TestApp, headers: Record<string, string>) {
  for (let i = 0; b.services.identities.size === 0; i++) {
    const res = await b.app.request("/api/auth/me", { headers });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    if (i > 500) throw new Error("instance B never cached the session");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("a session signed out on instance A is refused by instance B within a second", async () => {
  await withTwoInstances(async (a, b) => {
    const s = await signUp(a.app);
    await warm(b, s.bearer);
    const res = await a.app.request("/api/auth/logout", {
      method: "POST",
      headers: { ...s.bearer, "Content-Type": "application/json" },
      body: JSON.stringify({ refreshToken: s.refreshToken }),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    // The revoking instance refuses at once.
    assert.equal((await a.app.request("/api/auth/me", { headers: s.bearer })).status, 401);
    const ms = await msUntilRefused(b, s.bearer, 1_000);
    assert.ok(ms <= 1_000, `instance B still accepted the token ${ms.toFixed(0)} ms later`);
  });
});

Deno.test("an API token revoked on instance A is refused by instance B within a second", async () => {
  await withTwoInstances(async (a, b) => {
    const s = await signUp(a.app);
    const created = await a.app.request("/api/auth/tokens", {
      method: "POST",
      headers: { ...s.bearer, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "script" }),
    });
    assert.equal(created.status, 201);
    const { id, token } = await created.json();
    const headers = { Authorization: `Bearer ${token}` };
    await warm(b, headers);
    const res = await a.app.request(`/api/auth/tokens/${id}`, {
      method: "DELETE",
      headers: s.bearer,
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.equal((await a.app.request("/api/auth/me", { headers })).status, 401);
    const ms = await msUntilRefused(b, headers, 1_000);
    assert.ok(ms <= 1_000, `instance B still accepted the token ${ms.toFixed(0)} ms later`);
  });
});

Deno.test("a password change on A ends B's cached sessions too", async () => {
  await withTwoInstances(async (a, b) => {
    const s = await signUp(a.app);
    const other = await a.app.request("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ login: s.user.username, password: s.password }),
    });
    assert.equal(other.status, 200);
    const second = { Authorization: `Bearer ${(await other.json()).accessToken}` };
    await warm(b, second);
    const res = await a.app.request("/api/auth/password", {
      method: "POST",
      headers: { ...s.bearer, "Content-Type": "application/json" },
      body: JSON.stringify({
        currentPassword: s.password,
        newPassword: "an entirely new passphrase 77",
      }),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const ms = await msUntilRefused(b, second, 1_000);
    assert.ok(ms <= 1_000, `instance B still accepted the session ${ms.toFixed(0)} ms later`);
  });
});

Deno.test("a cached session is served without the database", async () => {
  await withTwoInstances(async (a, _b) => {
    const s = await signUp(a.app);
    await warm(a, s.bearer);
    // Count the session lookups identify makes: without the cache, one per request.
    const db = a.services.db;
    const query = db.query.bind(db);
    let lookups = 0;
    db.query = ((sql: string, params?: unknown[]) => {
      if (sql.includes("from user_sessions s join users u")) lookups++;
      return query(sql, params);
    }) as typeof db.query;
    try {
      for (let i = 0; i < 20; i++) {
        const res = await a.app.request("/api/auth/me", { headers: s.bearer });
        assert.equal(res.status, 200);
        await res.body?.cancel();
      }
    } finally {
      db.query = query;
    }
    // A stalled event loop (a loaded CI machine) can let the cache's trust lapse once or twice;
    // without the cache this would be 20.
    assert.ok(lookups <= 5, `${lookups} session lookups for 20 requests`);
  });
});

Deno.test("signing out with the form ends the access cookie at once, even one copied before", async () => {
  const t = await openTestApp();
  try {
    const browser = await browserSignUp(t.app);
    const access = browser.jar.cookies.get(ACCESS_COOKIE);
    assert.ok(access, "signed in with an access cookie");
    // A copy of the access cookie alone (no refresh cookie to renew from), as a thief has it.
    const stolen = { Cookie: `${ACCESS_COOKIE}=${access}` };
    await warm(t, stolen);
    const out = await t.app.request("/logout", {
      method: "POST",
      headers: { ...browser.headers(), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: browser.csrf }),
    });
    assert.equal(out.status, 303);
    await out.body?.cancel();
    const res = await t.app.request("/api/auth/me", { headers: stolen });
    assert.equal(res.status, 401);
    await res.body?.cancel();
  } finally {
    await t.close();
  }
});
