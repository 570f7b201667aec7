/**
 * Keeps private answers out of shared and browser caches, by one rule instead of a list of
 * routes: a response to an authenticated request, a response that sets a cookie, and every
 * HTML page (each carries the visitor's CSRF token) gets `Cache-Control: no-store` unless its
 * handler already chose a policy. Pages, and the redirects pages answer with, also get
 * `Vary: Cookie`: the same URL renders (or redirects) differently for each visitor.
 *
 * Register it before the auth middleware: it reads `state.auth` after the rest has run.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../state.ts";

export const PRIVATE_CACHE_CONTROL = "no-store";

/** True when `res` must not be stored: see the module comment. */
export function isPrivateResponse(authenticated: boolean, res: Response): boolean {
  return authenticated || res.headers.has("Set-Cookie") || isHtml(res);
}

function isHtml(res: Response): boolean {
  return /^text\/html\b/i.test(res.headers.get("Content-Type") ?? "");
}

/** Adds `value` to a comma-separated header unless it is listed already. */
function addVary(headers: Headers, value: string): void {
  const current = headers.get("Vary");
  if (!current) return headers.set("Vary", value);
  const listed = current.split(",").map((v) => v.trim().toLowerCase());
  if (!listed.includes(value.toLowerCase()) && !listed.includes("*")) {
    headers.set("Vary", `${current}, ${value}`);
  }
}

/**
 * What the middleware does once the rest of the chain has answered: for a front middleware that
 * runs several such steps in one layer (lib/app.ts). `authenticated`: the request had a caller.
 */
// deno-lint-ignore no-explicit-any
export function markPrivate(c: Context<any>, authenticated: boolean): void {
  // A WebSocket upgrade must reach Deno as the very response object it returned.
  if (c.res.status === 101) return;
  if (!isPrivateResponse(authenticated, c.res)) return;
  const redirect = c.res.status >= 300 && c.res.status < 400;
  const page = isHtml(c.res) || (redirect && !c.req.path.startsWith("/api/"));
  const apply = (headers: Headers) => {
    if (!headers.has("Cache-Control")) headers.set("Cache-Control", PRIVATE_CACHE_CONTROL);
    if (page) addVary(headers, "Cookie");
  };
  try {
    apply(c.res.headers);
  } catch {
    // Immutable headers (Response.redirect): copy the response once.
    const copy = new Response(c.res.body, c.res);
    apply(copy.headers);
    c.res = copy;
  }
}

/** The middleware; see the module comment. */
export function privateCache(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    markPrivate(c, c.get("state")?.auth !== undefined);
  };
}
