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
import { csrfCheck, csrfToken, UNSAFE_METHODS } from "./csrf_check.ts";
import { isApiPath, signInGate } from "./gate.ts";
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
  // Each job with the requests it has nothing to do for, skipped without entering it:
  // - the CSRF token, for an API call without cookies: no cookie to read, none to issue;
  // - the CSRF check, for any method but POST, PUT, PATCH and DELETE: only state changes are.
  type Ctx = Parameters<MiddlewareHandler<AppEnv>>[0];
  const chain: [MiddlewareHandler<AppEnv>, ((c: Ctx) => boolean) | undefined][] = [
    [identify(services, options), undefined],
    [csrfToken(services), (c) => isApiPath(c.req.path) && !c.req.raw.headers.has("Cookie")],
    [rateLimit(services, options), undefined],
    [csrfCheck(services), (c) => !UNSAFE_METHODS.has(c.req.method)],
    [signInGate(), undefined],
  ];
  // One middleware running the five in turn, as Hono's compose would (a returned Response
  // becomes the answer): one static-path check per request and one layer instead of five.
  const dispatch = async (c: Ctx, i: number, next: () => Promise<void>): Promise<void> => {
    while (i < chain.length && chain[i][1]?.(c)) i++;
    if (i === chain.length) return await next();
    const res = await chain[i][0](c, () => dispatch(c, i + 1, next));
    if (res instanceof Response) c.res = res;
  };
  return [async (c, next) => {
    const { method, path } = c.req;
    if ((method === "GET" || method === "HEAD") && options.isStatic(path)) return await next();
    await dispatch(c, 0, next);
  }];
}
