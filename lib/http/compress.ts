/**
 * gzip (or deflate) for compressible responses of 1 KiB and more, when the client accepts it.
 *
 * Hono's `compress` does the same, but adds its `Vary: Accept-Encoding` through `c.header()`,
 * which after the handler has answered rebuilds the whole Response (a second Response whose
 * every header is validated again) on every request, compressed or not: about a fifth of the
 * middleware chain's time on a small cached JSON answer. Here the header goes onto the
 * response in place, and a response is copied only when its headers are immutable.
 */
import type { Context, MiddlewareHandler } from "hono";
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from "hono/compress";

export const COMPRESS_THRESHOLD_BYTES = 1024;
type Encoding = "gzip" | "deflate";
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
const VARIES_ON_ENCODING = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;

/**
 * The encoding to use for an `Accept-Encoding` value: gzip or deflate, whichever the client
 * weighs higher (gzip on a tie), `*` standing for both when not named; undefined for neither.
 */
export function chooseEncoding(accept: string | undefined): Encoding | undefined {
  if (!accept) return undefined;
  const weights = new Map<string, number>();
  for (const part of accept.split(",")) {
    const [name, ...params] = part.split(";");
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split("=");
      if (key.trim().toLowerCase() === "q") q = Number(value?.trim());
    }
    if (Number.isFinite(q)) weights.set(name.trim().toLowerCase(), Math.min(1, Math.max(0, q)));
  }
  const wildcard = weights.get("*") ?? 0;
  const gzip = weights.get("gzip") ?? wildcard;
  const deflate = weights.get("deflate") ?? wildcard;
  if (gzip <= 0 && deflate <= 0) return undefined;
  return gzip >= deflate ? "gzip" : "deflate";
}

/** Applies `change` to the response's headers, copying the response once if they are immutable. */
// deno-lint-ignore no-explicit-any
function editHeaders(c: Context<any>, change: (headers: Headers) => void): void {
  try {
    change(c.res.headers);
  } catch {
    const copy = new Response(c.res.body, c.res);
    change(copy.headers);
    // Hono's `c.res =` would merge the old headers back over the copy's; drop the old first.
    c.res = undefined;
    c.res = copy;
  }
}

/**
 * What the middleware does once the rest of the chain has answered: for a front middleware that
 * runs several such steps in one layer (lib/app.ts).
 */
// deno-lint-ignore no-explicit-any
export function compressResponse(c: Context<any>): void {
  const res = c.res;
  const headers = res.headers;
  if (res.status === 206 || res.status === 101 || c.req.method === "HEAD") return;
  if (headers.has("Content-Encoding") || headers.has("Transfer-Encoding")) return;
  const length = headers.get("Content-Length");
  if (length !== null && Number(length) < COMPRESS_THRESHOLD_BYTES) return;
  const type = headers.get("Content-Type");
  if (!type || !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type)) return;
  if (NO_TRANSFORM.test(headers.get("Cache-Control") ?? "")) return;
  // The answer depends on Accept-Encoding from here on, compressed this time or not.
  const vary = headers.get("Vary");
  if (vary !== "*" && !(vary && VARIES_ON_ENCODING.test(vary))) {
    editHeaders(c, (h) => h.set("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding"));
  }
  const encoding = chooseEncoding(c.req.header("Accept-Encoding"));
  if (!encoding || !c.res.body) return;
  const compressed = new Response(c.res.body.pipeThrough(new CompressionStream(encoding)), c.res);
  compressed.headers.delete("Content-Length");
  compressed.headers.set("Content-Encoding", encoding);
  const etag = compressed.headers.get("ETag");
  if (etag && !etag.startsWith("W/")) compressed.headers.set("ETag", `W/${etag}`);
  c.res = undefined;
  c.res = compressed;
}

export function compress(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    compressResponse(c);
  };
}
