/**
 * Identify: who is calling. Puts the caller on `state.user` / `state.auth` and never refuses
 * an anonymous request (the gate decides that); it answers 401 only for a credential that is
 * presented and wrong.
 *
 * - `Authorization: Bearer`: an API token (`paiid_…`), ADMIN_API_TOKEN (the operator), or an
 *   access JWT.
 * - Otherwise the session cookies, renewed silently when the access cookie is missing, expired
 *   or about to expire and the refresh cookie is still good.
 *
 * An access JWT becomes a user in two steps: the signature and claims (`verifyAccessToken`, no
 * I/O), then `userForClaims`, the one place that asks whether the session is still alive. It
 * answers from memory (`services.identities`, lib/auth/identity_cache.ts), which every
 * revocation flushes on all instances within a second; the database is asked on a miss.
 */
import type { MiddlewareHandler } from "hono";
import { UnauthorizedError } from "../http/errors.ts";
import { addLateHeaders } from "../http/late_headers.ts";
import type { Services } from "../services.ts";
import type { AppEnv, AuthInfo, AuthUser, State } from "../state.ts";
import { API_TOKEN_PREFIX, authenticateApiToken } from "./api_tokens.ts";
import { authKeys } from "./context.ts";
import {
  ACCESS_COOKIE,
  clearSessionCookies,
  readCookie,
  REFRESH_COOKIE,
  sessionCookies,
} from "./cookies.ts";
import { safeEqual, sha256Hex } from "./crypto.ts";
import { refreshTokens } from "./service.ts";
import { BROWSER_REUSE_GRACE_MS, liveSession, sessionUser } from "./sessions.ts";
import { type AccessClaims, VerifiedTokens } from "./tokens.ts";

/** Renew the access cookie when it has less than this left. */
export const RENEW_BEFORE_S = 60;

/** The user an access token's claims stand for, if its session is still alive. */
export type UserForClaims = (claims: AccessClaims) => Promise<AuthUser | undefined>;

export interface IdentifyOptions {
  /** Default: the session family is alive (the identity cache in front of the database). */
  userForClaims?: UserForClaims;
}

/** The credential a request presents, read from its headers alone. */
export type Credential =
  | { kind: "bearer"; token: string }
  | { kind: "cookies"; access?: string; refresh?: string }
  | { kind: "none" };

/**
 * Reads the credential; a malformed `Authorization` header is a 401. Over https only the
 * `__Host-` cookie names count (`secure`).
 */
export function credentialOf(headers: Headers, secure = false): Credential {
  const authorization = headers.get("Authorization");
  if (authorization !== null) {
    const match = /^Bearer +([\x21-\x7e]{1,4096})$/i.exec(authorization.trim());
    if (!match) throw new UnauthorizedError("The Authorization header must be `Bearer <token>`.");
    return { kind: "bearer", token: match[1] };
  }
  const cookies = headers.get("Cookie");
  const access = readCookie(cookies, ACCESS_COOKIE, secure);
  const refresh = readCookie(cookies, REFRESH_COOKIE, secure);
  return access || refresh ? { kind: "cookies", access, refresh } : { kind: "none" };
}

function signIn(state: State, user: AuthUser | undefined, auth: AuthInfo): void {
  state.user = user;
  state.auth = auth;
}

/** Builds the identify middleware. */
export function identify(
  services: Services,
  { userForClaims }: IdentifyOptions = {},
): MiddlewareHandler<AppEnv> {
  const { config, db, identities } = services;
  const verified = new VerifiedTokens();
  const adminTokenHash = config.ADMIN_API_TOKEN ? sha256Hex(config.ADMIN_API_TOKEN) : undefined;
  const userOf: UserForClaims = userForClaims ??
    (async (claims) =>
      (await identities.session(
        claims.userId,
        claims.sessionId,
        () => liveSession(db, claims.userId, claims.sessionId),
      ))?.user);

  const bearer = async (state: State, token: string) => {
    if (token.startsWith(API_TOKEN_PREFIX)) {
      const found = await authenticateApiToken(db, token, identities);
      if (!found) throw new UnauthorizedError("This API token is not valid.");
      signIn(state, found.user, { kind: "api_token", tokenId: found.tokenId, viaCookie: false });
    } else if (adminTokenHash && safeEqual(await sha256Hex(token), await adminTokenHash)) {
      signIn(state, undefined, { kind: "operator", viaCookie: false });
    } else {
      const claims = await verified.verify((await authKeys(services)).signing, token);
      const user = claims && await userOf(claims);
      if (!claims || !user) throw new UnauthorizedError("The access token is not valid.");
      signIn(state, user, { kind: "session", sessionId: claims.sessionId, viaCookie: false });
    }
  };

  /** Returns the `Set-Cookie` values the browser needs (renewed or cleared session cookies). */
  const cookies = async (state: State, access?: string, refresh?: string): Promise<string[]> => {
    const { secure } = state;
    const now = Math.floor(Date.now() / 1000);
    const claims = access
      ? await verified.verify((await authKeys(services)).signing, access)
      : undefined;
    const user = claims && await userOf(claims);
    if (claims && user) {
      signIn(state, user, { kind: "session", sessionId: claims.sessionId, viaCookie: true });
      if (!refresh || claims.exp - now >= RENEW_BEFORE_S) return [];
    }
    if (!refresh) return user ? [] : clearSessionCookies(secure);
    const { result, tokens } = await refreshTokens(services, refresh, {
      graceMs: BROWSER_REUSE_GRACE_MS,
      meta: { ip: state.clientIp, userAgent: state.userAgent },
    });
    const renewed = tokens && result.kind !== "invalid" &&
      await sessionUser(db, result.userId, tokens.sessionId);
    if (tokens && renewed) {
      signIn(state, renewed, { kind: "session", sessionId: tokens.sessionId, viaCookie: true });
      return sessionCookies(tokens, secure);
    }
    return user ? [] : clearSessionCookies(secure);
  };

  return async (c, next) => {
    const state = c.get("state");
    const credential = credentialOf(c.req.raw.headers, c.get("state").secure);
    let setCookies: string[] = [];
    if (credential.kind === "bearer") await bearer(state, credential.token);
    else if (credential.kind === "cookies") {
      setCookies = await cookies(state, credential.access, credential.refresh);
    }
    await next();
    if (setCookies.length > 0) addLateHeaders(c, { cookies: setCookies });
  };
}
