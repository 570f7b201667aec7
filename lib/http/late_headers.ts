/**
 * Headers a middleware adds to whatever response comes back from the rest of the chain (a
 * route's answer, a later middleware's refusal, or the error handler's), after `await next()`.
 */
import type { Context } from "hono";

export interface LateHeaders {
  /** `Set-Cookie` values, appended. */
  cookies?: readonly string[];
  /** Other headers, replacing any of the same name. */
  headers?: Readonly<Record<string, string>>;
}

// deno-lint-ignore no-explicit-any
export function addLateHeaders(c: Context<any>, { cookies = [], headers = {} }: LateHeaders): void {
  const entries = Object.entries(headers);
  if (cookies.length === 0 && entries.length === 0) return;
  // A WebSocket upgrade (101) must reach Deno as the very object Deno.upgradeWebSocket returned.
  if (c.res.status === 101) return;
  const apply = (res: Response) => {
    for (const v of cookies) res.headers.append("Set-Cookie", v);
    for (const [k, v] of entries) res.headers.set(k, v);
  };
  try {
    apply(c.res);
  } catch {
    // Immutable headers (Response.redirect): copy the response once. Hono's `c.res =` would
    // merge the old response's cookies back over the copy's, so the old one is dropped first.
    const copy = new Response(c.res.body, c.res);
    apply(copy);
    c.res = undefined;
    c.res = copy;
  }
}
