/**
 * Rate limit: counts every request in memory, reconciled with Deno KV about once a second
 * (`RateLimiter` in lib/auth/rate_limit.ts, which states the multi-instance error bound), per
 * signed-in user, per operator, or per IP when anonymous, and sign-in and sign-up posts a second
 * time, per IP, against the stricter credentials limit. Answers 429 past either; every answer carries the
 * `RateLimit-*` headers of the tighter of the two.
 *
 * Runs after identify, so a signed-in user is counted as themselves wherever they connect from.
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "../http/errors.ts";
import { addLateHeaders } from "../http/late_headers.ts";
import type { Services } from "../services.ts";
import type { AppEnv, State } from "../state.ts";
import { rateLimitHeaders, type RateLimitResult } from "./rate_limit.ts";

/** POSTs counted against the stricter sign-in/sign-up limit. */
export const CREDENTIAL_POSTS: ReadonlySet<string> = new Set([
  "/api/auth/login",
  "/api/auth/signup",
  "/login",
  "/signup",
]);
/** Health probes are exempt, so a load balancer cannot lock anyone out. */
const EXEMPT: ReadonlySet<string> = new Set(["/api/health"]);

export interface LimitOptions {
  /** Milliseconds since the epoch; picks the one-minute window. Default `Date.now`. */
  now?: () => number;
}

/** Whose budget a request spends. */
export function limitKey(state: State): string {
  if (state.user) return `user:${state.user.id}`;
  if (state.auth?.kind === "operator") return "operator";
  return `ip:${state.clientIp}`;
}

/** Builds the rate-limit middleware. */
export function rateLimit(
  services: Services,
  { now = Date.now }: LimitOptions = {},
): MiddlewareHandler<AppEnv> {
  const { config, rateLimiter: limiter } = services;
  return async (c, next) => {
    if (EXEMPT.has(c.req.path)) return await next();
    const state = c.get("state");
    const at = now();
    const general = limiter.hit(
      "default",
      limitKey(state),
      config.RATE_LIMIT_PER_MINUTE,
      at,
    );
    let shown: RateLimitResult = general;
    let policy = "default";
    if (general.allowed && c.req.method === "POST" && CREDENTIAL_POSTS.has(c.req.path)) {
      const strict = limiter.hit(
        "credentials",
        state.clientIp,
        config.RATE_LIMIT_AUTH_PER_MINUTE,
        at,
      );
      if (!strict.allowed || strict.remaining < general.remaining) {
        shown = strict;
        policy = "credentials";
      }
    }
    const headers = rateLimitHeaders(shown, policy);
    if (!shown.allowed) {
      // Thrown, so the app's error handler answers as for any error: JSON with these headers,
      // or for a page the browser navigated to, the error page rather than JSON shown as text.
      const message = `Too many requests. Try again in ${shown.resetSeconds} s.`;
      throw new HttpError(429, "rate_limited", message, undefined, headers);
    }
    await next();
    addLateHeaders(c, { headers });
  };
}
