/**
 * Property test: random, malformed, oversized, unicode and injection-laden input at every auth,
 * users and settings endpoint never yields a 500, and every error is the JSON error shape.
 */
import { equal, ok } from "node:assert/strict";
import fc from "fast-check";
import { openTestApp } from "./_harness.ts";
import { browserSignUp, csrfFromHtml, signUp } from "./_auth.ts";
import { MAX_BODY_BYTES } from "../lib/app.ts";

const NASTY = [
  "' OR '1'='1",
  "'; drop table users; --",
  "admin'--",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "\u0000",
  "\u202e\u0301\ufeff",
  "💥🦊𝕏",
  "%00%27",
  "${jndi:ldap://x}",
  "{{7*7}}",
  "__proto__",
  "constructor",
  "NaN",
  "-1",
  "1e309",
];

const FIELDS = [
  "username",
  "email",
  "password",
  "login",
  "refreshToken",
  "currentPassword",
  "newPassword",
  "name",
  "expiresInDays",
  "keepCurrent",
  "riskTolerance",
  "maxPositionPercent",
  "defaultOrderSize",
  "watchlist",
  "theme",
  "tradingMode",
  "__proto__",
];

const scalar = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 5 }),
  fc.dictionary(fc.string(), scalar),
);
const shaped = fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 });
// Hostile text: known attack strings, arbitrary code points (NUL and lone surrogates included).
const hostile = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom(...NASTY).map((n) => `user${n}name@example.test`),
  fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...NASTY)).map(([a, n]) => `${a}${n}${a}`),
);
/** Nearly valid bodies for each endpoint: the fields it expects, filled with hostile values. */
const shapes: Record<string, fc.Arbitrary<unknown>> = {
  signup: fc.record({ username: hostile, email: hostile, password: hostile }),
  login: fc.record({ login: hostile, password: hostile }),
  refresh: fc.record({ refreshToken: hostile }),
  password: fc.record({ currentPassword: hostile, newPassword: hostile }),
  tokens: fc.record({ name: hostile, expiresInDays: fc.oneof(fc.integer(), fc.double()) }),
  settings: fc.record({
    watchlist: fc.array(hostile, { maxLength: 3 }),
    theme: hostile,
    riskTolerance: fc.oneof(fc.integer(), fc.double(), hostile),
  }, { requiredKeys: [] }),
};
const bodyFor = (path: string) => {
  const key = Object.keys(shapes).find((k) => path.includes(k));
  const own = key ? shapes[key].map((o) => JSON.stringify(o)) : fc.constant("{}");
  return fc.oneof(
    { weight: 3, arbitrary: own },
    { weight: 1, arbitrary: shaped.map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: fc.json() },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", "{", "[]", "null", '{"a":', "\u0000", '{"__proto__":{"x":1}}'),
    },
  );
};

const ENDPOINTS: [string, string][] = [
  ["POST", "/api/auth/signup"],
  ["POST", "/api/auth/login"],
  ["POST", "/api/auth/refresh"],
  ["POST", "/api/auth/logout"],
  ["POST", "/api/auth/password"],
  ["POST", "/api/auth/tokens"],
  ["POST", "/api/auth/sessions/revoke-all"],
  ["GET", "/api/auth/me"],
  ["GET", "/api/auth/sessions"],
  ["DELETE", "/api/auth/sessions/:p"],
  ["DELETE", "/api/auth/tokens/:p"],
  ["GET", "/api/users"],
  ["GET", "/api/users/:p"],
  ["GET", "/api/settings"],
  ["PUT", "/api/settings"],
  ["PATCH", "/api/settings"],
  ["DELETE", "/api/settings"],
];

async function assertErrorShape(res: Response, what: string): Promise<void> {
  ok(res.status < 500, `${what}: ${res.status}`);
  const text = await res.text();
  if (res.status >= 400) {
    const parsed = JSON.parse(text);
    equal(typeof parsed.error?.code, "string", `${what}: ${text.slice(0, 200)}`);
    equal(typeof parsed.error?.message, "string", what);
    equal(/at \w+ \(|\.ts:\d+/.test(text), false, `${what}: no stack`);
  }
}

Deno.test("property: auth, users and settings endpoints never 500 and always answer JSON errors", async () => {
  const t = await openTestApp({
    RATE_LIMIT_PER_MINUTE: "1000000",
    RATE_LIMIT_AUTH_PER_MINUTE: "1000000",
    LOG_LEVEL: "error",
  });
  try {
    const user = await signUp(t.app);
    const browser = await browserSignUp(t.app);
    const auth = fc.constantFrom<Record<string, string>>(
      {},
      user.bearer,
      { ...browser.headers(), "X-CSRF-Token": browser.csrf },
      { Authorization: "Bearer paiid_" + "A".repeat(43) },
      { Authorization: `Bearer ${user.accessToken}x` },
    );
    const param = fc.oneof(
      fc.constantFrom(...NASTY).map(encodeURIComponent),
      fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
      fc.uuid(),
      fc.integer().map(String),
    );
    for (const [method, path] of ENDPOINTS) {
      await fc.assert(
        fc.asyncProperty(
          bodyFor(path),
          auth,
          param,
          fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded"),
          // Spread over many client addresses, or the sign-in slowdown would answer most
          // attempts before they reach the database.
          fc.ipV4(),
          async (payload, headers, p, type, ip) => {
            const url = path.replace(":p", p);
            const res = await t.app.request(url, {
              method,
              headers: { ...headers, "Content-Type": type },
              body: method === "GET" ? undefined : payload,
            }, { remoteAddr: { hostname: ip } });
            await assertErrorShape(res, `${method} ${url} ${payload.slice(0, 80)}`);
          },
        ),
        { numRuns: 60 },
      );
    }

    // HTML forms: random fields with a valid CSRF token never break the pages. The forms are
    // posted signed out, so with the token a signed-out page embeds (tokens are per session).
    const signedOut = { Cookie: `paiid_csrf=${browser.jar.cookies.get("paiid_csrf")}` };
    const anonymousCsrf = csrfFromHtml(
      await (await t.app.request("/login", { headers: signedOut })).text(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/login", "/signup"),
        fc.dictionary(fc.constantFrom(...FIELDS, "next", "confirm"), scalar.map(String)),
        async (page, fields) => {
          const res = await t.app.request(page, {
            method: "POST",
            headers: {
              "Content-Type": "application/x-www-form-urlencoded",
              ...signedOut,
            },
            body: new URLSearchParams({ ...fields, _csrf: anonymousCsrf }),
          });
          await res.body?.cancel();
          ok(res.status < 500, `${page}: ${res.status}`);
          if (res.status === 303) {
            const location = res.headers.get("Location") ?? "";
            ok(location.startsWith("/") && !location.startsWith("//"), location);
          }
        },
      ),
      { numRuns: 80 },
    );

    // Oversized bodies: 413 in the JSON shape, at every endpoint that takes a body.
    for (const [method, path] of ENDPOINTS.filter(([m]) => m !== "GET")) {
      const res = await t.app.request(path.replace(":p", "1"), {
        method,
        headers: { ...user.bearer, "Content-Type": "application/json" },
        body: JSON.stringify({ password: "x".repeat(MAX_BODY_BYTES + 10) }),
      });
      equal(res.status, 413, `${method} ${path}`);
      await assertErrorShape(res, `${method} ${path} oversized`);
    }
    const bigForm = await t.app.request("/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "login=" + "x".repeat(200_000),
    });
    equal(bigForm.status, 413);
    await bigForm.body?.cancel();
  } finally {
    await t.close();
  }
});
