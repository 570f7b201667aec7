/**
 * Signing in from tests. Every page and most of the API need a signed-in user, so:
 *
 * - `signUp(app)` creates an account over the JSON API and returns `bearer` headers for
 *   `app.request(path, { headers: s.bearer })` (API clients' way);
 * - `browserSignUp(app)` goes through the real `/signup` form like a browser and returns a
 *   `cookie` header (plus the CSRF token for state-changing requests);
 * - `signUpInBrowser(page, url)` does the same in Chromium with playwright;
 * - `signUpForBrowser(page, url)` posts that form over HTTP and gives the browser its cookies,
 *   for browser tests whose subject is not sign-up.
 *
 * `openTestApp` (tests/_harness.ts) runs with DENO_ENV=test and AUTH_TEST_BCRYPT_COST=4, the one
 * test-only switch that lowers bcrypt's cost (production is always 12); apps started by
 * `startApp` (app-process tests) hash at the production cost.
 */
import type { Hono } from "hono";
import type { Page } from "playwright-core";
import type { AppEnv } from "../lib/state.ts";

/** A password that passes the rules (long, not common). */
export const TEST_PASSWORD = "correct horse battery staple 42";

export interface SignedIn {
  user: { id: number; username: string; email: string; role: "admin" | "user" };
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  /** `{ Authorization: "Bearer …" }` */
  bearer: Record<string, string>;
  password: string;
}

let counter = 0;
let addresses = 0;
/** A made-up client address (198.18.0.0/15 is reserved for tests). */
function nextAddress(): string {
  addresses++;
  return `198.18.${(addresses >> 8) & 255}.${addresses & 255}`;
}

/** A username no other call in this process has used. */
export function uniqueName(prefix = "user"): string {
  counter++;
  return `${prefix}${counter}_${crypto.randomUUID().slice(0, 6)}`;
}

/** Creates an account through `POST /api/auth/signup` and returns its tokens. */
export async function signUp(
  app: Hono<AppEnv>,
  opts: { username?: string; email?: string; password?: string } = {},
): Promise<SignedIn> {
  const username = opts.username ?? uniqueName();
  const email = opts.email ?? `${username}@example.test`;
  const password = opts.password ?? TEST_PASSWORD;
  // Each sign-up comes from its own made-up address, so a test that creates many users does not
  // run into the per-IP sign-up limit (tests of that limit send their own addresses).
  const res = await app.request("/api/auth/signup", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, email, password }),
  }, { remoteAddr: { hostname: nextAddress() } });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(body)}`);
  return {
    user: body.user,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    sessionId: body.sessionId,
    bearer: { Authorization: `Bearer ${body.accessToken}` },
    password,
  };
}

/** A minimal cookie jar for `app.request`: remembers what `Set-Cookie` said. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  /** Takes every `Set-Cookie` of `res` (a `Max-Age=0` deletes). */
  update(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "") {
        this.cookies.delete(name);
      } else this.cookies.set(name, value);
    }
  }

  /** The `Cookie` header to send. */
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

export interface BrowserSession {
  jar: CookieJar;
  /** `{ Cookie: … }` for the current jar. */
  headers(): Record<string, string>;
  /** The signed-in CSRF token for the jar's `paiid_csrf` cookie (`X-CSRF-Token` or `_csrf`). */
  csrf: string;
  username: string;
  password: string;
}

/** The CSRF token a page embeds (its hidden `_csrf` field). */
export function csrfFromHtml(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]*)"/);
  if (!m) throw new Error("no _csrf field on the page");
  return m[1];
}

/** Sends one request to an app: `app.request` in-process, or `fetch` to a running one. */
type Requester = (path: string, init?: RequestInit) => Promise<Response>;

/**
 * Signs up through the real `/signup` form, as a browser without JavaScript would: `app` is an
 * in-process app, or a function that sends a request (to a running app over HTTP).
 */
export async function browserSignUp(
  app: Hono<AppEnv> | Requester,
  opts: { username?: string; password?: string; next?: string } = {},
): Promise<BrowserSession> {
  const send: Requester = typeof app === "function"
    ? app
    : (path, init) => Promise.resolve(app.request(path, init));
  const jar = new CookieJar();
  const page = await send("/signup");
  jar.update(page);
  const csrf = csrfFromHtml(await page.text());
  const username = opts.username ?? uniqueName();
  const password = opts.password ?? TEST_PASSWORD;
  const res = await send("/signup", {
    method: "POST",
    // The 303's cookies are the session: fetch must not follow it.
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.header() },
    body: new URLSearchParams({
      _csrf: csrf,
      next: opts.next ?? "/",
      username,
      email: `${username}@example.test`,
      password,
      confirm: password,
    }),
  });
  await res.body?.cancel();
  if (res.status !== 303) throw new Error(`form sign-up failed: ${res.status}`);
  jar.update(res);
  // The token is bound to the session (and the cookie is replaced at sign-in): read the one a
  // signed-in page embeds.
  const signedIn = await send("/logout", { headers: { Cookie: jar.header() } });
  jar.update(signedIn);
  const csrfNow = csrfFromHtml(await signedIn.text());
  return { jar, headers: () => ({ Cookie: jar.header() }), csrf: csrfNow, username, password };
}

/** Signs up in Chromium through the `/signup` form and waits for the radial home. */
export async function signUpInBrowser(
  page: Page,
  baseUrl: string,
  opts: { username?: string; password?: string } = {},
): Promise<{ username: string; password: string }> {
  const username = opts.username ?? uniqueName("e2e");
  const password = opts.password ?? TEST_PASSWORD;
  await page.goto(`${baseUrl}/signup`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="email"]', `${username}@example.test`);
  await page.fill('input[name="password"]', password);
  await page.fill('input[name="confirm"]', password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === "/"),
    page.click('[data-testid="signup-form"] button[type="submit"]'),
  ]);
  return { username, password };
}

/**
 * Signs up over HTTP through the same `/signup` form and gives `page`'s browser context the
 * session's cookies, without opening a page: for browser tests whose subject is not sign-up.
 * Rendering the form and then the radial home cost each of them about 3 s of Chromium's CPU on
 * the 2-core CI machine. `signUpInBrowser` is the way through the form in the browser.
 */
export async function signUpForBrowser(
  page: Page,
  baseUrl: string,
  opts: { username?: string; password?: string } = {},
): Promise<{ username: string; password: string }> {
  const username = opts.username ?? uniqueName("e2e");
  // The browser's own User-Agent, so Settings lists the session as this browser's.
  const userAgent = await page.evaluate(() => navigator.userAgent);
  const send = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...init.headers as Record<string, string>, "User-Agent": userAgent },
    });
  const session = await browserSignUp(send, { ...opts, username });
  // As the app sets them (lib/auth/cookies.ts): host-only, Path=/, httpOnly, SameSite=Lax.
  await page.context().addCookies(
    [...session.jar.cookies].map(([name, value]) => ({
      name,
      value,
      url: `${baseUrl}/`,
      httpOnly: true,
      sameSite: "Lax" as const,
    })),
  );
  return { username, password: session.password };
}
