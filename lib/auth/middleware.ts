/**
 * The auth chain in front of every page and API route (static files and island bundles
 * excepted), one job per middleware and in this order:
 *
 * 1. identify (identify.ts): who is calling, from the bearer token or the session cookies;
 * 2. CSRF token (csrf_check.ts): the browser's CSRF cookie and the token its pages embed;
 * 3. rate limit (limit.ts): per user, or per IP when anonymous, and stricter on sign-in;
 * 4. CSRF check (csrf_check.ts): forgeable state changes need the token and a good Origin;
 * 5. gate (gate.ts): sign-in required beyond the public pages and endpoints.
 */
import type { MiddlewareHandler } from "hono";
import type { Services } from "../services.ts";
import type { AppEnv } from "../state.ts";
import { csrfCheck, csrfToken } from "./csrf_check.ts";
import { signInGate } from "./gate.ts";
import { identify, type IdentifyOptions } from "./identify.ts";
import { type LimitOptions, rateLimit } from "./limit.ts";

export interface AuthMiddlewareOptions extends IdentifyOptions, LimitOptions {
  /** True for paths served as static files or island bundles (not authenticated). */
  isStatic(path: string): boolean;
}

/** The chain, for `app.use("*", ...authMiddleware(...))` after the body limit. */
export function authMiddleware(
  services: Services,
  options: AuthMiddlewareOptions,
): MiddlewareHandler<AppEnv>[] {
  const chain = [
    identify(services, options),
    csrfToken(services),
    rateLimit(services, options),
    csrfCheck(services),
    signInGate(),
  ];
  // One middleware running the five in turn, as Hono's compose would (a returned Response
  // becomes the answer): one static-path check per request and one layer instead of five.
  type Ctx = Parameters<MiddlewareHandler<AppEnv>>[0];
  const dispatch = async (c: Ctx, i: number, next: () => Promise<void>): Promise<void> => {
    if (i === chain.length) return await next();
    const res = await chain[i](c, () => dispatch(c, i + 1, next));
    if (res instanceof Response) c.res = res;
  };
  return [async (c, next) => {
    const { method, path } = c.req;
    if ((method === "GET" || method === "HEAD") && options.isStatic(path)) return await next();
    await dispatch(c, 0, next);
  }];
}
