/** Helpers for the sign-in, sign-up and sign-out pages (plain HTML forms, no JavaScript). */
import { BadRequestError } from "../http/errors.ts";

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
  // Dot segments can collapse into `//host` (`/.//evil.example`), which browsers read as
  // another site: judge the path after the URL parser has normalized it.
  if (url.pathname.startsWith("//")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * The posted form, or a 400 when the body is not a form (JSON, broken multipart, no type):
 * `Request.formData()` throws a TypeError that would otherwise become a 500.
 */
export async function readForm(req: Request): Promise<FormData> {
  try {
    return await req.formData();
  } catch {
    throw new BadRequestError(
      "Send the form as application/x-www-form-urlencoded or multipart/form-data.",
      undefined,
      "invalid_form",
    );
  }
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
