/**
 * CSRF protection for state-changing requests that a browser could send on its own: those that
 * authenticate by cookie, and every form post to a page.
 *
 * Each browser gets a `paiid_csrf` cookie (httpOnly; `__Host-paiid_csrf` over https, so neither
 * a sibling subdomain nor a plain-http answer can plant one) whose value the server signed: a
 * made-up value is ignored and replaced. The token that forms and scripts must present (`_csrf`
 * field or `X-CSRF-Token` header) is an HMAC, under a server key, of that cookie *and the
 * session*: a token learned before sign-in (say, for a cookie an attacker managed to plant)
 * is worthless once the victim signs in, and every sign-in and sign-out also replaces the
 * cookie. Cross-site requests are also refused by their `Origin` unless it is allow-listed in
 * CORS_ORIGINS.
 */
import { cookie, CSRF_COOKIE } from "./cookies.ts";
import { hmac, randomToken, safeEqual } from "./crypto.ts";

export const CSRF_HEADER = "X-CSRF-Token";
export const CSRF_FIELD = "_csrf";

// A browser sends the same cookie (and has the same session) on every request, so the two
// HMACs it needs are remembered per key in a small bounded map instead of derived per request.
const CACHE_LIMIT = 1000;
const derived = new WeakMap<Uint8Array, Map<string, Promise<string>>>();

function cachedHmac(key: Uint8Array, message: string): Promise<string> {
  let cache = derived.get(key);
  if (!cache) derived.set(key, cache = new Map());
  let mac = cache.get(message);
  if (!mac) {
    mac = hmac(key, message);
    // Oldest first out: a Map iterates in insertion order.
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(message, mac);
  }
  return mac;
}

const cookieSignature = (key: Uint8Array, id: string) => cachedHmac(key, `csrf-cookie:${id}`);

/** A new CSRF cookie value: a random id and the server's signature of it. */
export async function newCsrfCookie(key: Uint8Array): Promise<string> {
  const id = randomToken(18);
  return `${id}.${await cookieSignature(key, id)}`;
}

/** True when `value` is a CSRF cookie this server issued (not one somebody made up). */
export async function csrfCookieGenuine(
  key: Uint8Array,
  value: string | undefined,
): Promise<boolean> {
  if (!value || value.length > 200) return false;
  const dot = value.indexOf(".");
  if (dot <= 0) return false;
  return safeEqual(await cookieSignature(key, value.slice(0, dot)), value.slice(dot + 1));
}

/** A `Set-Cookie` that replaces the browser's CSRF cookie: sent at every sign-in and sign-out. */
export async function rotatedCsrfCookie(key: Uint8Array, secure: boolean): Promise<string> {
  return cookie(CSRF_COOKIE, await newCsrfCookie(key), undefined, secure);
}

/**
 * The token for a browser's CSRF cookie value within one session (`sessionId` undefined: not
 * signed in). It changes when the user signs in or out, so a token seen before cannot be
 * replayed after.
 */
export function csrfTokenFor(
  key: Uint8Array,
  cookieValue: string,
  sessionId?: string,
): Promise<string> {
  return cachedHmac(key, `csrf:${cookieValue}:${sessionId ?? "anonymous"}`);
}

/** True when `presented` is the token for `cookieValue` in session `sessionId`. */
export async function csrfValid(
  key: Uint8Array,
  cookieValue: string | undefined,
  presented: string | undefined | null,
  sessionId?: string,
): Promise<boolean> {
  if (!cookieValue || !presented || presented.length > 200) return false;
  return safeEqual(await csrfTokenFor(key, cookieValue, sessionId), presented);
}

/**
 * Whether a request's `Origin` (or, without one, `Sec-Fetch-Site`) allows a state change: the
 * same host, an allow-listed origin, or a client that is not a browser (no such headers).
 */
export function originAllowed(req: Request, allowed: readonly string[]): boolean {
  const origin = req.headers.get("Origin");
  if (origin && origin !== "null") {
    try {
      if (new URL(origin).host === new URL(req.url).host) return true;
    } catch {
      return false;
    }
    return allowed.includes(origin);
  }
  if (origin === "null") return false;
  const site = req.headers.get("Sec-Fetch-Site");
  return !site || site === "same-origin" || site === "none";
}
