/**
 * `c.json` for values many requests share read-only, such as the quote cache's in-memory entries
 * (lib/cache.ts hands every hit the same object and its callers copy before changing anything):
 * the object is serialised and encoded once, and every later answer with it is a copy of those
 * bytes. Keyed by the object itself, so an entry that leaves the cache takes its bytes along.
 */
import type { Context } from "hono";

const encoder = new TextEncoder();
const serialised = new WeakMap<object, Uint8Array<ArrayBuffer>>();
/** Hono's `c.json` content type, so the answer is the one it would have given. */
const JSON_TYPE = { "Content-Type": "application/json" } as const;

/** The UTF-8 JSON of `value`, computed once per object. */
export function sharedJsonBytes(value: object): Uint8Array<ArrayBuffer> {
  let bytes = serialised.get(value);
  if (bytes === undefined) {
    bytes = encoder.encode(JSON.stringify(value));
    serialised.set(value, bytes);
  }
  return bytes;
}

/**
 * A 200 with `value` as JSON, as `c.json(value)` answers it, and its Content-Length: the length
 * is known, and with it the compression step leaves a small answer (a quote) as it is rather
 * than gzip it into more bytes.
 */
// deno-lint-ignore no-explicit-any
export function sharedJson(c: Context<any>, value: object): Response {
  const bytes = sharedJsonBytes(value);
  return c.body(bytes, 200, { ...JSON_TYPE, "Content-Length": String(bytes.byteLength) });
}
