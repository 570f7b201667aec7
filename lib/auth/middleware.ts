/**
 * The one auth middleware, in front of every page and API route (static files and island
 * bundles excepted). In order, it:
 *
 * 1. identifies the caller: `Authorization: Bearer` (an API token `paiid_…`, ADMIN_API_TOKEN, or
 *    an access JWT) or else the session cookies, renewing them silently on the server when the
 *    access cookie is missing, expired or about to expire and the refresh cookie is still good;
 *    the result goes to `state.user` / `state.auth`;
 * 2. applies the rate limits (KV): per user, or per IP when anonymous, and stricter on sign-in
 *    and sign-up;
 * 3. refuses state-changing requests that a browser could forge (cookie-authenticated API calls
 *    and page form posts) without a valid CSRF token and an acceptable Origin;
 * 4. sends anonymous visitors of a page to `/login?next=…`, and answers 401 on the API, except
 *    for the public pages and endpoints below.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app.ts";
import { UnauthorizedError } from "../http/errors.ts";
import type { Services } from "../services.ts";
import { API_TOKEN_PREFIX, authenticateApiToken } from "./api_tokens.ts";
import { authKeys, bindRequest } from "./context.ts";
import {
  ACCESS_COOKIE,
  clearSessionCookies,
  cookie,
  CSRF_COOKIE,
  readCookie,
  REFRESH_COOKIE,
  sessionCookies,
} from "./cookies.ts";
import { sha256Hex } from "./crypto.ts";
import {
  CSRF_FIELD,
  CSRF_HEADER,
  csrfCookieGenuine,
  csrfTokenFor,
  csrfValid,
  newCsrfCookie,
  originAllowed,
} from "./csrf.ts";
import { hitRateLimit, rateLimitHeaders, type RateLimitResult } from "./rate_limit.ts";
import { refreshTokens } from "./service.ts";
import { BROWSER_REUSE_GRACE_MS, sessionUser } from "./sessions.ts";
import { verifyAccessToken } from "./tokens.ts";
import { safeEqual } from "./crypto.ts";

/** Pages anyone may open. */
export const PUBLIC_PAGES: ReadonlySet<string> = new Set(["/login", "/signup", "/logout"]);
/** API endpoints anyone may call (they authenticate by their body, or need nothing). */
export const PUBLIC_API: readonly string[] = [
  "/api/health",
  "/api/auth/signup",
  "/api/auth/login",
  "/api/auth/refresh",
  "/api/auth/logout",
];
/** POSTs counted against the stricter sign-in/sign-up limit. */
const CREDENTIAL_POSTS = new Set(["/api/auth/login", "/api/auth/signup", "/login", "/signup"]);
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Renew the access cookie when it has less than this left. */
const RENEW_BEFORE_S = 60;
/** Largest form a page accepts. */
const MAX_FORM_BYTES = 64 * 1024;

export interface AuthMiddlewareOptions {
  /** True for paths served as static files or island bundles (not authenticated). */
  isStatic(path: string): boolean;
}

const isApiPath = (path: string) => path === "/api" || path.startsWith("/api/");
const isPublicApi = (path: string) =>
  PUBLIC_API.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * The client's address: the socket's, or with TRUST_PROXY the last `X-Forwarded-For` entry —
 * the one our own proxy appended. Earlier entries are whatever the client sent, so taking the
 * first would let anyone pick a fresh address per request and walk past every per-IP limit.
 */
export function clientIp(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("X-Forwarded-For")?.split(",").at(-1)?.trim();
    if (forwarded && /^[0-9A-Fa-f.:]{2,45}$/.test(forwarded)) return forwarded;
  }
  const env = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return env?.remoteAddr?.hostname ?? "unknown";
}

function errorJson(c: Context<AppEnv>, status: number, code: string, message: string) {
  return {
    body: { error: { code, message, requestId: c.get("requestId") } },
    status,
  };
}

async function readCapped(
  req: Request,
  max: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** The CSRF token a form carries, read from a copy of the body (the handler reads it again). */
async function formCsrf(req: Request): Promise<string | undefined | "too_large"> {
  const type = req.headers.get("Content-Type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  const bytes = await readCapped(req.clone(), MAX_FORM_BYTES);
  if (!bytes) return "too_large";
  try {
    const form = await new Response(bytes, { headers: { "Content-Type": type } }).formData();
    const value = form.get(CSRF_FIELD);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the middleware. Register it after the body limit and before the routes. */
export function authMiddleware(
  services: Services,
  options: AuthMiddlewareOptions,
): MiddlewareHandler<AppEnv> {
  const { config, db, kv } = services;
  const adminTokenHash = config.ADMIN_API_TOKEN ? sha256Hex(config.ADMIN_API_TOKEN) : undefined;

  return async (c, next) => {
    const path = c.req.path;
    const method = c.req.method;
    if ((method === "GET" || method === "HEAD") && options.isStatic(path)) return await next();

    const req = c.req.raw;
    const state = c.get("state");
    const ip = clientIp(c, config.TRUST_PROXY);
    const proto = c.req.header("X-Forwarded-Proto") ?? new URL(req.url).protocol.replace(":", "");
    const secure = proto === "https";
    bindRequest(state, { services, ip, secure, userAgent: c.req.header("User-Agent") ?? null });
    const keys = await authKeys(services);
    const isApi = isApiPath(path);
    const setCookies: string[] = [];
    let limitHeaders: Record<string, string> = {};

    const finish = (res: Response): Response => {
      let out = res;
      try {
        for (const v of setCookies) out.headers.append("Set-Cookie", v);
        for (const [k, v] of Object.entries(limitHeaders)) out.headers.set(k, v);
      } catch {
        // Immutable headers (Response.redirect): copy the response once and retry.
        out = new Response(res.body, res);
        for (const v of setCookies) out.headers.append("Set-Cookie", v);
        for (const [k, v] of Object.entries(limitHeaders)) out.headers.set(k, v);
      }
      return out;
    };
    const refuse = (status: number, code: string, message: string, extra = {}) => {
      const e = errorJson(c, status, code, message);
      return finish(c.json(e.body, status as 400, extra));
    };

    // 1. The browser's CSRF cookie; one this server did not sign (planted) is replaced.
    const cookieHeader = c.req.header("Cookie");
    let csrfCookie = readCookie(cookieHeader, CSRF_COOKIE, secure);
    if (!await csrfCookieGenuine(keys.csrf, csrfCookie)) csrfCookie = undefined;
    if (!csrfCookie && !isApi) {
      csrfCookie = await newCsrfCookie(keys.csrf);
      setCookies.push(cookie(CSRF_COOKIE, csrfCookie, undefined, secure));
    }

    // 2. Who is calling.
    const authorization = c.req.header("Authorization");
    const accessCookie = readCookie(cookieHeader, ACCESS_COOKIE, secure);
    const refreshCookie = readCookie(cookieHeader, REFRESH_COOKIE, secure);
    const cookieMode = authorization === undefined && Boolean(accessCookie || refreshCookie);
    if (authorization !== undefined) {
      const match = /^Bearer +([\x21-\x7e]{1,4096})$/i.exec(authorization.trim());
      if (!match) throw new UnauthorizedError("The Authorization header must be `Bearer <token>`.");
      const token = match[1];
      if (token.startsWith(API_TOKEN_PREFIX)) {
        const found = await authenticateApiToken(db, token);
        if (!found) throw new UnauthorizedError("This API token is not valid.");
        state.user = found.user;
        state.auth = { kind: "api_token", tokenId: found.tokenId, viaCookie: false };
      } else if (adminTokenHash && safeEqual(await sha256Hex(token), await adminTokenHash)) {
        state.auth = { kind: "operator", viaCookie: false };
      } else {
        const claims = await verifyAccessToken(keys.signing, token);
        const user = claims && await sessionUser(db, claims.userId, claims.sessionId);
        if (!claims || !user) throw new UnauthorizedError("The access token is not valid.");
        state.user = user;
        state.auth = { kind: "session", sessionId: claims.sessionId, viaCookie: false };
      }
    } else if (cookieMode) {
      const now = Math.floor(Date.now() / 1000);
      const claims = accessCookie ? await verifyAccessToken(keys.signing, accessCookie) : undefined;
      const user = claims && await sessionUser(db, claims.userId, claims.sessionId);
      if (claims && user) {
        state.user = user;
        state.auth = { kind: "session", sessionId: claims.sessionId, viaCookie: true };
      }
      const renew = refreshCookie && (!user || claims!.exp - now < RENEW_BEFORE_S);
      if (renew) {
        const { result, tokens } = await refreshTokens(services, refreshCookie, {
          graceMs: BROWSER_REUSE_GRACE_MS,
          meta: { ip, userAgent: c.req.header("User-Agent") ?? null },
        });
        const renewedUser = tokens &&
          await sessionUser(db, (result as { userId: number }).userId, tokens.sessionId);
        if (tokens && renewedUser) {
          state.user = renewedUser;
          state.auth = { kind: "session", sessionId: tokens.sessionId, viaCookie: true };
          setCookies.push(...sessionCookies(tokens, secure));
        } else if (!user) {
          setCookies.push(...clearSessionCookies(secure));
        }
      } else if (!user && accessCookie) {
        setCookies.push(...clearSessionCookies(secure));
      }
    }

    // The token pages embed, bound to the session just identified.
    const sessionId = state.auth?.sessionId;
    if (csrfCookie) state.csrfToken = await csrfTokenFor(keys.csrf, csrfCookie, sessionId);

    // 3. Rate limits. Health probes are exempt, so a load balancer cannot lock anyone out.
    if (path !== "/api/health") {
      const who = state.user
        ? `user:${state.user.id}`
        : state.auth?.kind === "operator"
        ? "operator"
        : `ip:${ip}`;
      const general = await hitRateLimit(kv, "default", who, config.RATE_LIMIT_PER_MINUTE);
      let shown: RateLimitResult = general;
      let policy = "default";
      if (general.allowed && method === "POST" && CREDENTIAL_POSTS.has(path)) {
        const strict = await hitRateLimit(kv, "credentials", ip, config.RATE_LIMIT_AUTH_PER_MINUTE);
        if (!strict.allowed || strict.remaining < general.remaining) {
          shown = strict;
          policy = "credentials";
        }
      }
      limitHeaders = rateLimitHeaders(shown, policy);
      if (!shown.allowed) {
        return refuse(
          429,
          "rate_limited",
          `Too many requests. Try again in ${shown.resetSeconds} s.`,
        );
      }
    }

    // 4. CSRF: forms posted to pages, and API calls that ride on cookies.
    if (UNSAFE.has(method) && (!isApi || cookieMode)) {
      if (!originAllowed(req, config.CORS_ORIGINS)) {
        return refuse(403, "csrf_failed", "Cross-site request refused.");
      }
      let presented: string | undefined = c.req.header(CSRF_HEADER);
      if (!presented && !isApi) {
        const field = await formCsrf(req);
        if (field === "too_large") {
          return refuse(413, "payload_too_large", `Forms are limited to ${MAX_FORM_BYTES} bytes.`);
        }
        presented = field;
      }
      if (!await csrfValid(keys.csrf, csrfCookie, presented, sessionId)) {
        return refuse(
          403,
          "csrf_failed",
          `Missing or wrong CSRF token (send the ${CSRF_HEADER} header or the ${CSRF_FIELD} field; reload the page for a new one).`,
        );
      }
    }

    // 5. Sign-in required beyond the public pages and endpoints.
    if (isApi && !state.auth && !isPublicApi(path)) {
      return refuse(401, "unauthorized", "Sign in to continue.");
    }
    if (!isApi && !state.user && !PUBLIC_PAGES.has(path)) {
      const target = `${path}${new URL(req.url).search}`;
      const location = target === "/" ? "/login" : `/login?next=${encodeURIComponent(target)}`;
      return finish(new Response(null, { status: 303, headers: { Location: location } }));
    }

    await next();
    // Hono's `c.res =` copies the response, and a WebSocket upgrade (101) must reach Deno as
    // the very object Deno.upgradeWebSocket returned.
    if (c.res.status !== 101) c.res = finish(c.res);
  };
}
