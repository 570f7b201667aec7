/**
 * The auth cookies: httpOnly, SameSite=Lax, Path=/. Over https they are also Secure and named
 * with the `__Host-` prefix, which browsers accept only from a secure answer of this very host
 * (no Domain), so no sibling subdomain or plain-http answer can set or overwrite them. Reading
 * takes the same `secure` flag: over https an unprefixed (plantable) cookie is ignored.
 */

export const ACCESS_COOKIE = "paiid_access";
export const REFRESH_COOKIE = "paiid_refresh";
export const CSRF_COOKIE = "paiid_csrf";

/** The name cookie `name` has on the wire: `__Host-name` over https. */
export function cookieName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

/** One `Set-Cookie` value. `maxAgeSeconds` 0 deletes the cookie. */
export function cookie(
  name: string,
  value: string,
  maxAgeSeconds: number | undefined,
  secure: boolean,
): string {
  const parts = [`${cookieName(name, secure)}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`);
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

/** `Set-Cookie` values for a fresh access/refresh pair. */
export function sessionCookies(
  tokens: {
    accessToken: string;
    accessExpiresAt: number;
    refreshToken?: string;
    refreshExpiresAt?: Date;
  },
  secure: boolean,
  nowSeconds = Math.floor(Date.now() / 1000),
): string[] {
  const out = [
    cookie(ACCESS_COOKIE, tokens.accessToken, tokens.accessExpiresAt - nowSeconds, secure),
  ];
  if (tokens.refreshToken && tokens.refreshExpiresAt) {
    const ttl = tokens.refreshExpiresAt.getTime() / 1000 - nowSeconds;
    out.push(cookie(REFRESH_COOKIE, tokens.refreshToken, ttl, secure));
  }
  return out;
}

/** `Set-Cookie` values that remove both session cookies. */
export function clearSessionCookies(secure: boolean): string[] {
  return [cookie(ACCESS_COOKIE, "", 0, secure), cookie(REFRESH_COOKIE, "", 0, secure)];
}

/** Reads one cookie from a `Cookie` header (its `__Host-` name when `secure`). */
export function readCookie(
  header: string | null | undefined,
  name: string,
  secure = false,
): string | undefined {
  if (!header) return undefined;
  name = cookieName(name, secure);
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9._~-]{1,4096}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
