/** Identify against a real database: bearer tokens, session cookies and their silent renewal. */
import assert from "node:assert/strict";
import { freshPglite } from "../db/testing.ts";
import type { Database } from "../db/database.ts";
import type { AuthUser } from "../state.ts";
import { createApiToken } from "./api_tokens.ts";
import { authKeys } from "./context.ts";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "./cookies.ts";
import { credentialOf, identify, type IdentifyOptions } from "./identify.ts";
import { type IssuedTokens, signUp } from "./service.ts";
import { signAccessToken } from "./tokens.ts";
import { authServices, middlewareApp } from "./testing.ts";

const OPERATOR = "o".repeat(40);

async function withIdentify(
  run: (ctx: {
    call: (headers: Record<string, string>) => Promise<Response>;
    user: AuthUser;
    tokens: IssuedTokens;
    signing: Uint8Array;
    db: Database;
  }) => Promise<void>,
  options: IdentifyOptions = {},
): Promise<void> {
  const db = await freshPglite();
  const kv = await Deno.openKv(":memory:");
  const services = authServices({ ADMIN_API_TOKEN: OPERATOR }, { db, kv });
  try {
    const { user, tokens } = await signUp(services, {
      username: `id${crypto.randomUUID().slice(0, 8)}`,
      email: `${crypto.randomUUID()}@example.test`,
      password: "correct horse battery staple 42",
    }, {});
    const app = middlewareApp(services, identify(services, options));
    const { signing } = await authKeys(services);
    await run({
      call: (headers) => Promise.resolve(app.request("/api/x", { headers })),
      user,
      tokens,
      signing,
      db,
    });
  } finally {
    services.identities.close();
    kv.close();
    await db.close();
  }
}

Deno.test("identify: bearer access token, API token and operator token", async () => {
  await withIdentify(async ({ call, user, tokens, db }) => {
    const jwt = await (await call({ Authorization: `Bearer ${tokens.accessToken}` })).json();
    assert.deepEqual(jwt.user, user);
    assert.deepEqual(jwt.auth, { kind: "session", sessionId: tokens.sessionId, viaCookie: false });

    const { token, record } = await createApiToken(db, user.id, "ci");
    const api = await (await call({ Authorization: `Bearer ${token}` })).json();
    assert.deepEqual(api.user, user);
    assert.deepEqual(api.auth, { kind: "api_token", tokenId: record.id, viaCookie: false });

    const op = await (await call({ Authorization: `Bearer ${OPERATOR}` })).json();
    assert.deepEqual(op, {
      user: null,
      auth: { kind: "operator", viaCookie: false },
      csrfToken: null,
    });
    assert.deepEqual((await (await call({})).json()).auth, null, "anonymous is not refused");
  });
});

Deno.test("identify: a presented but wrong credential is a 401", async () => {
  await withIdentify(async ({ call, tokens }) => {
    for (
      const [authorization, message] of [
        ["Basic abc", "The Authorization header must be `Bearer <token>`."],
        ["Bearer", "The Authorization header must be `Bearer <token>`."],
        [`Bearer ${tokens.accessToken}x`, "The access token is not valid."],
        ["Bearer paiid_not-a-real-token", "This API token is not valid."],
      ]
    ) {
      const res = await call({ Authorization: authorization });
      assert.equal(res.status, 401, authorization);
      assert.equal((await res.json()).error.message, message);
    }
  });
});

Deno.test("identify: cookies sign in; a stale access cookie is renewed from the refresh one", async () => {
  await withIdentify(async ({ call, user, tokens, signing }) => {
    const fresh = await call({ Cookie: `${ACCESS_COOKIE}=${tokens.accessToken}` });
    assert.deepEqual(fresh.headers.getSetCookie(), [], "nothing to renew");
    assert.deepEqual((await fresh.json()).auth, {
      kind: "session",
      sessionId: tokens.sessionId,
      viaCookie: true,
    });

    // An access token 30 s from its end, with the refresh cookie: renewed in the same request.
    const now = Math.floor(Date.now() / 1000);
    const ending = await signAccessToken(
      signing,
      { userId: user.id, sessionId: tokens.sessionId },
      now - 15 * 60 + 30,
    );
    const renewed = await call({
      Cookie: `${ACCESS_COOKIE}=${ending.token}; ${REFRESH_COOKIE}=${tokens.refreshToken}`,
    });
    const names = renewed.headers.getSetCookie().map((c) => c.split("=")[0]);
    assert.deepEqual(names, [ACCESS_COOKIE, REFRESH_COOKIE]);
    assert.deepEqual((await renewed.json()).user, user);
  });
});

Deno.test("identify: dead cookies are cleared and the caller stays anonymous", async () => {
  await withIdentify(async ({ call }) => {
    const res = await call({ Cookie: `${ACCESS_COOKIE}=not.a.jwt` });
    const cleared = res.headers.getSetCookie();
    assert.equal(cleared.length, 2);
    assert.ok(cleared.every((c) => c.includes("Max-Age=0")), cleared.join("\n"));
    assert.equal((await res.json()).user, null);
    const onlyRefresh = await call({ Cookie: `${REFRESH_COOKIE}=${"r".repeat(43)}` });
    assert.equal(onlyRefresh.headers.getSetCookie().length, 2);
    assert.equal((await onlyRefresh.json()).auth, null);
  });
});

Deno.test("identify: userForClaims is the one place an access token meets the session store", async () => {
  const seen: string[] = [];
  const stand: AuthUser = { id: 999, username: "from-claims", email: "c@x.test", role: "user" };
  await withIdentify(async ({ call, tokens }) => {
    const res = await (await call({ Authorization: `Bearer ${tokens.accessToken}` })).json();
    assert.deepEqual(res.user, stand, "the answer of userForClaims, not a database row");
    assert.deepEqual(seen, [tokens.sessionId]);
    const refused = await call({ Authorization: `Bearer ${tokens.accessToken}` });
    assert.equal(refused.status, 401, "undefined from userForClaims refuses the token");
  }, {
    userForClaims: (claims) => {
      seen.push(claims.sessionId);
      return Promise.resolve(seen.length === 1 ? stand : undefined);
    },
  });
});

Deno.test("identify: credentialOf reads headers only", () => {
  assert.deepEqual(credentialOf(new Headers()), { kind: "none" });
  assert.deepEqual(credentialOf(new Headers({ Authorization: "bearer  abc" })), {
    kind: "bearer",
    token: "abc",
  });
  assert.deepEqual(credentialOf(new Headers({ Cookie: `${REFRESH_COOKIE}=r1; x=y` })), {
    kind: "cookies",
    access: undefined,
    refresh: "r1",
  });
  assert.throws(() => credentialOf(new Headers({ Authorization: "" })), /Bearer <token>/);
});
