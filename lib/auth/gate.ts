/**
 * Gate: sign-in required beyond the public pages and endpoints. Anonymous visitors of a page go
 * to `/login?next=…` (303); anonymous API calls get 401. Runs last, after identify has looked at
 * the credentials and the rate limit and CSRF check have had their say.
 */
import type { MiddlewareHandler } from "hono";
import { errorBody } from "../http/errors.ts";
import type { AppEnv } from "../state.ts";

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

export const isApiPath = (path: string): boolean => path === "/api" || path.startsWith("/api/");
/**
 * `isApiPath` of a whole request URL (`Request.url`, already normalised), read off the string:
 * for middleware that has the request but not its parsed path.
 */
export function isApiUrl(url: string): boolean {
  const scheme = url.indexOf("//");
  const slash = scheme < 0 ? -1 : url.indexOf("/", scheme + 2);
  if (slash < 0 || !url.startsWith("/api", slash)) return false;
  const after = url[slash + 4];
  return after === undefined || after === "/" || after === "?" || after === "#";
}
export const isPublicApi = (path: string): boolean =>
  PUBLIC_API.some((p) => path === p || path.startsWith(`${p}/`));

/** Where an anonymous visitor of `url` is sent to sign in. */
export function loginLocation(url: URL): string {
  const target = `${url.pathname}${url.search}`;
  return target === "/" ? "/login" : `/login?next=${encodeURIComponent(target)}`;
}

/** Builds the gate middleware. */
export function signInGate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = c.req.path;
    const state = c.get("state");
    if (isApiPath(path)) {
      if (!state.auth && !isPublicApi(path)) {
        const body = errorBody("unauthorized", "Sign in to continue.", {
          requestId: state.requestId,
        });
        return c.json(body, 401);
      }
    } else if (!state.user && !PUBLIC_PAGES.has(path)) {
      const location = loginLocation(new URL(c.req.url));
      return new Response(null, { status: 303, headers: { Location: location } });
    }
    await next();
  };
}
