/**
 * CSRF protection for state-changing requests that a browser could send on its own: those that
 * authenticate by cookie, and every form post to a page.
 *
 * Each browser gets a random `paiid_csrf` cookie (httpOnly); the token forms and scripts must
 * present (`_csrf` field or `X-CSRF-Token` header) is its HMAC under a server key, so a cookie an
 * attacker manages to plant is useless without the key. Cross-site requests are also refused by
 * their `Origin` unless it is allow-listed in CORS_ORIGINS.
 */
import { hmac, safeEqual } from "./crypto.ts";

export const CSRF_HEADER = "X-CSRF-Token";
export const CSRF_FIELD = "_csrf";

/** The token for a browser's CSRF cookie value. */
export function csrfTokenFor(key: Uint8Array, cookieValue: string): Promise<string> {
  return hmac(key, `csrf:${cookieValue}`);
}

/** True when `presented` is the token for `cookieValue`. */
export async function csrfValid(
  key: Uint8Array,
  cookieValue: string | undefined,
  presented: string | undefined | null,
): Promise<boolean> {
  if (!cookieValue || !presented || presented.length > 200) return false;
  return safeEqual(await csrfTokenFor(key, cookieValue), presented);
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
