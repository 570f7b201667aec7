/**
 * CSRF: gives every browser that opens a page its CSRF cookie and puts the matching token on
 * `state.csrfToken` (for forms and scripts), and refuses state-changing requests a browser could
 * forge: form posts to pages, and API calls that ride on the session cookies. Those need an
 * acceptable `Origin` and the token (`X-CSRF-Token` header, or the `_csrf` form field).
 * API calls with `Authorization: Bearer` cannot be forged by a browser and pass.
 */
import type { MiddlewareHandler } from "hono";
import { errorBody } from "../http/errors.ts";
import { concatBytes } from "../shared/bytes.ts";
import { addLateHeaders } from "../http/late_headers.ts";
import type { Services } from "../services.ts";
import type { AppEnv } from "../state.ts";
import { authKeys } from "./context.ts";
import { ACCESS_COOKIE, cookie, CSRF_COOKIE, readCookie, REFRESH_COOKIE } from "./cookies.ts";
import {
  CSRF_FIELD,
  CSRF_HEADER,
  csrfCookieGenuine,
  csrfTokenFor,
  csrfValid,
  newCsrfCookie,
  originAllowed,
} from "./csrf.ts";
import { isApiPath } from "./gate.ts";

/** Largest form a page accepts. */
export const MAX_FORM_BYTES = 64 * 1024;
/** The methods that change state, and so need the CSRF check when a browser could forge them. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** True when a browser would attach credentials on its own: session cookies, no bearer. */
export function ridesOnCookies(headers: Headers, secure = false): boolean {
  if (headers.has("Authorization")) return false;
  const cookies = headers.get("Cookie");
  return Boolean(
    readCookie(cookies, ACCESS_COOKIE, secure) || readCookie(cookies, REFRESH_COOKIE, secure),
  );
}

/** The browser's CSRF cookie, if this server signed it: a planted one counts as none. */
async function genuineCsrfCookie(
  key: Uint8Array,
  headers: Headers,
  secure: boolean,
): Promise<string | undefined> {
  const value = readCookie(headers.get("Cookie"), CSRF_COOKIE, secure);
  return await csrfCookieGenuine(key, value) ? value : undefined;
}

async function readCapped(
  req: Request,
  max: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

/** The CSRF token a form carries, read from a copy of the body (the handler reads it again). */
async function formCsrf(req: Request): Promise<string | undefined | "too_large"> {
  const type = req.headers.get("Content-Type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  const bytes = await readCapped(req.clone(), MAX_FORM_BYTES);
  if (!bytes) return "too_large";
  try {
    const form = await new Response(bytes, { headers: { "Content-Type": type } }).formData();
    const value = form.get(CSRF_FIELD);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Issues the CSRF cookie and token. Runs before the rate limit and the gate, so their answers
 * (a 429, the redirect to /login) already carry the cookie the next form needs.
 */
export function csrfToken(services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const state = c.get("state");
    const key = (await authKeys(services)).csrf;
    let value = await genuineCsrfCookie(key, c.req.raw.headers, state.secure);
    const setCookies: string[] = [];
    if (!value && !isApiPath(c.req.path)) {
      value = await newCsrfCookie(key);
      setCookies.push(cookie(CSRF_COOKIE, value, undefined, state.secure));
    }
    // Bound to the session identify just found, so a token never outlives its sign-in.
    if (value) state.csrfToken = await csrfTokenFor(key, value, state.auth?.sessionId);
    await next();
    addLateHeaders(c, { cookies: setCookies });
  };
}

/** Refuses forgeable state changes without an acceptable Origin and a valid token. */
export function csrfCheck(services: Services): MiddlewareHandler<AppEnv> {
  const { config } = services;
  return async (c, next) => {
    const req = c.req.raw;
    const isApi = isApiPath(c.req.path);
    const state = c.get("state");
    if (!UNSAFE_METHODS.has(req.method) || (isApi && !ridesOnCookies(req.headers, state.secure))) {
      return await next();
    }
    const requestId = state.requestId;
    const refuse = (status: 403 | 413, code: string, message: string) =>
      c.json(errorBody(code, message, { requestId }), status);
    if (!originAllowed(req, config.CORS_ORIGINS)) {
      return refuse(403, "csrf_failed", "Cross-site request refused.");
    }
    let presented: string | undefined = c.req.header(CSRF_HEADER);
    if (!presented && !isApi) {
      const field = await formCsrf(req);
      if (field === "too_large") {
        return refuse(413, "payload_too_large", `Forms are limited to ${MAX_FORM_BYTES} bytes.`);
      }
      presented = field;
    }
    const key = (await authKeys(services)).csrf;
    const cookieValue = await genuineCsrfCookie(key, req.headers, state.secure);
    if (!await csrfValid(key, cookieValue, presented, state.auth?.sessionId)) {
      return refuse(
        403,
        "csrf_failed",
        `Missing or wrong CSRF token (send the ${CSRF_HEADER} header or the ${CSRF_FIELD} field; reload the page for a new one).`,
      );
    }
    await next();
  };
}
