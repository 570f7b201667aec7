/** The auth cookies: httpOnly, SameSite=Lax, Path=/, Secure on https. */

export const ACCESS_COOKIE = "paiid_access";
export const REFRESH_COOKIE = "paiid_refresh";
export const CSRF_COOKIE = "paiid_csrf";

/** One `Set-Cookie` value. `maxAgeSeconds` 0 deletes the cookie. */
export function cookie(
  name: string,
  value: string,
  maxAgeSeconds: number | undefined,
  secure: boolean,
): string {
  const parts = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
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

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
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
