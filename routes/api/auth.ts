/**
 * `/api/auth`: sign-up, sign-in, refresh, logout, the caller's identity, sessions, password
 * change and API tokens. API clients get tokens in the body and send `Authorization: Bearer`;
 * browsers use the pages (`/login`, `/signup`), which set httpOnly cookies instead, and a
 * refresh by cookie answers with cookies only, so no script ever sees a token.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import {
  createApiToken,
  listApiTokens,
  revokeAllApiTokens,
  revokeApiToken,
} from "../../lib/auth/api_tokens.ts";
import { authKeys, bcryptCost } from "../../lib/auth/context.ts";
import { rotatedCsrfCookie } from "../../lib/auth/csrf.ts";
import {
  clearSessionCookies,
  readCookie,
  REFRESH_COOKIE,
  sessionCookies,
} from "../../lib/auth/cookies.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { hashPassword, verifyPassword } from "../../lib/auth/passwords.ts";
import {
  assertPasswordAllowed,
  type IssuedTokens,
  logIn,
  loginSchema,
  refreshTokens,
  signUp,
  signupSchema,
  storableText,
} from "../../lib/auth/service.ts";
import {
  BROWSER_REUSE_GRACE_MS,
  listSessions,
  revokeAllSessions,
  revokeByRefreshToken,
  revokeSession,
} from "../../lib/auth/sessions.ts";
import { passwordHashOf, setPasswordHash } from "../../lib/auth/users.ts";
import {
  ForbiddenError,
  HttpError,
  NotFoundError,
  UnauthorizedError,
} from "../../lib/http/errors.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const auth = new Hono<AppEnv>();

const tokenBody = (t: IssuedTokens) => ({
  tokenType: "Bearer",
  accessToken: t.accessToken,
  accessExpiresAt: new Date(t.accessExpiresAt * 1000).toISOString(),
  refreshToken: t.refreshToken,
  refreshExpiresAt: t.refreshExpiresAt?.toISOString(),
  sessionId: t.sessionId,
});

auth.post("/signup", async (c) => {
  const input = signupSchema.parse(await jsonBody(c));
  const { clientIp: ip, userAgent } = c.get("state");
  const { user, tokens } = await signUp(c.get("services"), input, { ip, userAgent });
  c.header("Cache-Control", "no-store");
  return c.json({ user, ...tokenBody(tokens) }, 201);
});

auth.post("/login", async (c) => {
  const input = loginSchema.parse(await jsonBody(c));
  const { clientIp: ip, userAgent } = c.get("state");
  const { user, tokens } = await logIn(c.get("services"), input, { ip, userAgent });
  c.header("Cache-Control", "no-store");
  return c.json({ user, ...tokenBody(tokens) });
});

const refreshSchema = z.object({ refreshToken: z.string().min(1).max(200).optional() }).strict();

auth.post("/refresh", async (c) => {
  const body = refreshSchema.parse(await jsonBody(c));
  const { secure } = c.get("state");
  const cookieToken = readCookie(c.req.header("Cookie"), REFRESH_COOKIE, secure);
  const token = body.refreshToken ?? cookieToken;
  if (!token) throw new UnauthorizedError("Send the refresh token.");
  const byCookie = body.refreshToken === undefined;
  const state = c.get("state");
  // Only browsers (cookies) get the race grace: the auth middleware may already have rotated
  // this very cookie in front of the handler (access cookie missing or near expiry), or another
  // tab may have. An API client presenting a used token in the body is always a replay.
  const { result, tokens } = await refreshTokens(c.get("services"), token, {
    graceMs: byCookie ? BROWSER_REUSE_GRACE_MS : 0,
    meta: { ip: state.clientIp, userAgent: c.req.header("User-Agent") },
  });
  c.header("Cache-Control", "no-store");
  if (!tokens) {
    if (byCookie) {
      for (const v of clearSessionCookies(secure)) c.header("Set-Cookie", v, { append: true });
    }
    if (result.kind === "reused") {
      throw new HttpError(
        401,
        "refresh_token_reused",
        "This refresh token was already used; every session it belongs to has been ended.",
      );
    }
    throw new HttpError(401, "invalid_refresh_token", "The refresh token is not valid.");
  }
  if (byCookie) {
    // A grace answer rotates nothing. When the request is already signed in by cookie, the
    // browser holds good cookies (the middleware appends the ones it just issued), so sending
    // another access cookie would only race them.
    const alreadySignedIn = state.auth?.kind === "session" && state.auth.viaCookie &&
      state.auth.sessionId === tokens.sessionId;
    if (!(result.kind === "grace" && alreadySignedIn)) {
      for (const v of sessionCookies(tokens, secure)) c.header("Set-Cookie", v, { append: true });
    }
    return c.json({
      accessExpiresAt: new Date(tokens.accessExpiresAt * 1000).toISOString(),
      sessionId: tokens.sessionId,
    });
  }
  return c.json(tokenBody(tokens));
});

auth.post("/logout", async (c) => {
  const body = refreshSchema.parse(await jsonBody(c));
  const state = c.get("state");
  const { services, secure } = state;
  const cookieToken = readCookie(c.req.header("Cookie"), REFRESH_COOKIE, secure);
  const token = body.refreshToken ?? cookieToken;
  if (token) await revokeByRefreshToken(services.db, token);
  if (state.user && state.auth?.sessionId) {
    await revokeSession(services.db, state.user.id, state.auth.sessionId, "logout");
  }
  await services.identities.revoked();
  for (const v of clearSessionCookies(secure)) c.header("Set-Cookie", v, { append: true });
  if (state.auth?.viaCookie || cookieToken) {
    // A browser signing out gets a new CSRF cookie too, like the sign-out page gives.
    const csrf = await rotatedCsrfCookie((await authKeys(services)).csrf, secure);
    c.header("Set-Cookie", csrf, { append: true });
  }
  c.header("Cache-Control", "no-store");
  return c.json({ ok: true });
});

auth.get("/me", (c) => {
  const state = c.get("state");
  c.header("Cache-Control", "no-store");
  if (state.auth?.kind === "operator") return c.json({ user: null, auth: { kind: "operator" } });
  const user = requireUser(c);
  return c.json({
    user,
    auth: { kind: state.auth!.kind, sessionId: state.auth!.sessionId ?? null },
  });
});

auth.get("/sessions", async (c) => {
  const user = requireUser(c);
  const sessions = await listSessions(
    c.get("services").db,
    user.id,
    c.get("state").auth?.sessionId,
  );
  c.header("Cache-Control", "no-store");
  return c.json({ sessions });
});

const sessionParam = z.object({ id: z.uuid() });

auth.delete("/sessions/:id", async (c) => {
  const user = requireUser(c);
  const { id } = sessionParam.parse(c.req.param());
  const { db, identities } = c.get("services");
  if (!await revokeSession(db, user.id, id)) throw new NotFoundError("No such session.");
  await identities.revoked();
  return c.json({ ok: true });
});

const everywhereSchema = z.object({ keepCurrent: z.boolean().default(false) }).strict();

/** Sign out everywhere (optionally keeping the session making the request). */
auth.post("/sessions/revoke-all", async (c) => {
  const user = requireUser(c);
  const { keepCurrent } = everywhereSchema.parse(await jsonBody(c));
  const state = c.get("state");
  const keep = keepCurrent ? state.auth?.sessionId : undefined;
  const ended = await revokeAllSessions(
    c.get("services").db,
    user.id,
    "signed_out_everywhere",
    keep,
  );
  await c.get("services").identities.revoked();
  if (!keep && state.auth?.viaCookie) {
    for (const v of clearSessionCookies(state.secure)) {
      c.header("Set-Cookie", v, { append: true });
    }
  }
  return c.json({ ended });
});

const passwordSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
}).strict();

/**
 * Changes the password (the current one is required) and ends every session and API token:
 * whoever learned the old password may have made either.
 */
auth.post("/password", async (c) => {
  const user = requireUser(c);
  const state = c.get("state");
  if (state.auth?.kind !== "session") {
    throw new ForbiddenError("Change the password from a signed-in session, not an API token.");
  }
  const input = passwordSchema.parse(await jsonBody(c));
  const { db, config, identities } = c.get("services");
  const hash = await passwordHashOf(db, user.id);
  if (!hash || !await verifyPassword(input.currentPassword, hash)) {
    throw new HttpError(403, "wrong_password", "The current password is not right.");
  }
  await assertPasswordAllowed(input.newPassword, user, "newPassword");
  await setPasswordHash(db, user.id, await hashPassword(input.newPassword, bcryptCost(config)));
  const ended = await revokeAllSessions(db, user.id, "password_changed");
  const revokedTokens = await revokeAllApiTokens(db, user.id);
  await identities.revoked();
  if (state.auth.viaCookie) {
    for (const v of clearSessionCookies(state.secure)) {
      c.header("Set-Cookie", v, { append: true });
    }
  }
  return c.json({ ok: true, endedSessions: ended, revokedApiTokens: revokedTokens });
});

auth.get("/tokens", async (c) => {
  const user = requireUser(c);
  return c.json({ tokens: await listApiTokens(c.get("services").db, user.id) });
});

const newTokenSchema = z.object({
  name: storableText(1, 100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
}).strict();

auth.post("/tokens", async (c) => {
  const user = requireUser(c);
  // A token minting tokens could outlive its own expiry or revocation: only sessions may.
  if (c.get("state").auth?.kind !== "session") {
    throw new ForbiddenError("Create API tokens from a signed-in session, not with an API token.");
  }
  const input = newTokenSchema.parse(await jsonBody(c));
  const expiresAt = input.expiresInDays
    ? new Date(Date.now() + input.expiresInDays * 24 * 60 * 60_000)
    : null;
  const { token, record } = await createApiToken(
    c.get("services").db,
    user.id,
    input.name,
    expiresAt,
  );
  c.header("Cache-Control", "no-store");
  return c.json({ ...record, token, note: "Shown once: store it now." }, 201);
});

const tokenParam = z.object({ id: z.coerce.number().int().positive().max(2 ** 53 - 1) });

auth.delete("/tokens/:id", async (c) => {
  const user = requireUser(c);
  const { id } = tokenParam.parse(c.req.param());
  const { db, identities } = c.get("services");
  if (!await revokeApiToken(db, user.id, id)) throw new NotFoundError("No such API token.");
  await identities.revoked();
  return c.json({ ok: true });
});

describeRoutes(auth, "Auth", {
  "POST /signup": {
    summary: "Create an account (the first one is the admin) and sign in",
    access: "public",
    body: signupSchema,
    example: { username: "trader", email: "trader@example.com", password: "a long passphrase 42" },
    responses: {
      201:
        "`{ user, tokenType, accessToken, accessExpiresAt, refreshToken, refreshExpiresAt, sessionId }`",
      400: "`weak_password`: 12 to 256 characters, not a common password, not the username " +
        "or email; `validation_failed`",
      409: "The username is taken",
      429: "Too many sign-ups from this address",
    },
  },
  "POST /login": {
    summary: "Sign in with a username or email and the password; tokens in the body",
    access: "public",
    body: loginSchema,
    example: { login: "trader", password: "a long passphrase 42" },
    responses: {
      200:
        "`{ user, tokenType, accessToken, accessExpiresAt, refreshToken, refreshExpiresAt, sessionId }`",
      401: "Wrong credentials",
      429: "`too_many_attempts`, or too many sign-ins from this address",
    },
  },
  "POST /refresh": {
    summary: "Rotate the refresh token (from the body, or the browser's cookie)",
    description: "A refresh token used twice ends every session it belongs to.",
    access: "public",
    body: refreshSchema,
    responses: {
      200: "New tokens (by cookie: `{ accessExpiresAt, sessionId }` and new cookies)",
      401: "`invalid_refresh_token`, `refresh_token_reused`",
    },
  },
  "POST /logout": {
    summary: "End this session (and the refresh token's), clearing the cookies",
    access: "public",
    body: refreshSchema,
    responses: { 200: "`{ ok: true }`" },
  },
  "GET /me": {
    summary: "Who is calling, and how they authenticated",
    responses: { 200: "`{ user, auth: { kind, sessionId } }`" },
  },
  "GET /sessions": {
    summary: "The caller's signed-in sessions",
    responses: { 200: "`{ sessions }`" },
  },
  "DELETE /sessions/:id": {
    summary: "End one session",
    params: sessionParam.shape,
    responses: { 200: "`{ ok: true }`", 400: "Not a session id", 404: "No such session" },
  },
  "POST /sessions/revoke-all": {
    summary: "Sign out everywhere, optionally keeping this session",
    body: everywhereSchema,
    responses: { 200: "`{ ended }`" },
  },
  "POST /password": {
    summary: "Change the password; ends every session and API token",
    description: "From a signed-in session only, not with an API token.",
    body: passwordSchema,
    example: { currentPassword: "the old passphrase", newPassword: "a new passphrase 43" },
    responses: {
      200: "`{ ok, endedSessions, revokedApiTokens }`",
      400: "`weak_password`: the new password breaks a rule; `validation_failed`",
      403: "`wrong_password`, or called with an API token",
    },
  },
  "GET /tokens": { summary: "The caller's API tokens", responses: { 200: "`{ tokens }`" } },
  "POST /tokens": {
    summary: "Create an API token, shown once",
    description: "From a signed-in session only.",
    body: newTokenSchema,
    example: { name: "backtest script", expiresInDays: 90 },
    responses: { 201: "The token record with `token`", 403: "Called with an API token" },
  },
  "DELETE /tokens/:id": {
    summary: "Revoke an API token",
    params: tokenParam.shape,
    responses: { 200: "`{ ok: true }`", 400: "Not a token id", 404: "No such API token" },
  },
});

export default auth;
