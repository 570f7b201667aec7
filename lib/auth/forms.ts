/** Helpers for the sign-in, sign-up and sign-out pages (plain HTML forms, no JavaScript). */

const BASE = "http://paiid.invalid";
const AUTH_PAGES = new Set(["/login", "/signup", "/logout"]);

/**
 * Where to go after signing in: `next` when it is a path on this site, else `/`. Refuses
 * absolute and protocol-relative URLs (`//evil.example`), backslash tricks and control
 * characters, so the login page cannot be turned into an open redirect.
 */
export function safeNext(raw: unknown): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return "/";
  // Control characters are exactly what this refuses (browsers drop tabs and newlines in URLs).
  // deno-lint-ignore no-control-regex
  if (!raw.startsWith("/") || raw.startsWith("//") || /[\\\x00-\x1f\x7f]/.test(raw)) return "/";
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE || AUTH_PAGES.has(url.pathname)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A form field as a string ("" when missing or a file). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** A 303 to `location` that also sets `cookies`. */
export function redirectWithCookies(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store" });
  for (const c of cookies) headers.append("Set-Cookie", c);
  return new Response(null, { status: 303, headers });
}
