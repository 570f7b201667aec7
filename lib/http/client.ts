/**
 * What the server can tell about the client of one request: its address and whether it came
 * over https. Computed once per request and put on `State`.
 */
import type { Context } from "hono";

/**
 * The client's address: the socket's, or with `trustProxy` the last `X-Forwarded-For` entry —
 * the one our own proxy appended. Earlier entries are whatever the client sent, so taking the
 * first would let anyone pick a fresh address per request and walk past every per-IP limit.
 */
// deno-lint-ignore no-explicit-any
export function clientIp(c: Context<any>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("X-Forwarded-For")?.split(",").at(-1)?.trim();
    if (forwarded && /^[0-9A-Fa-f.:]{2,45}$/.test(forwarded)) return forwarded;
  }
  const env = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return env?.remoteAddr?.hostname ?? "unknown";
}

/** True when the request reached us (or our proxy) over https. */
// deno-lint-ignore no-explicit-any
export function cameOverHttps(c: Context<any>): boolean {
  const forwarded = c.req.header("X-Forwarded-Proto");
  return forwarded !== undefined ? forwarded === "https" : c.req.url.startsWith("https:");
}
