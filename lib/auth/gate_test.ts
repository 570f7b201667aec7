import assert from "node:assert/strict";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../state.ts";
import { isApiPath, isApiUrl, isPublicApi, loginLocation, signInGate } from "./gate.ts";
import { authServices, middlewareApp } from "./testing.ts";

const services = authServices({});
/** Signs the request in as a user when it carries `X-Test-User`, as identify would. */
const fakeIdentify: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.header("X-Test-User")) {
    c.get("state").user = { id: 7, username: "u", email: "u@example.test", role: "user" };
    c.get("state").auth = { kind: "session", sessionId: "s", viaCookie: false };
  }
  await next();
};
const app = middlewareApp(services, fakeIdentify, signInGate());
const signedIn = { headers: { "X-Test-User": "1" } };

Deno.test("gate: anonymous page visits go to /login with where they were going", async () => {
  for (
    const [path, location] of [
      ["/", "/login"],
      ["/risk", "/login?next=%2Frisk"],
      ["/symbol/AAPL?range=1D", "/login?next=%2Fsymbol%2FAAPL%3Frange%3D1D"],
    ]
  ) {
    const res = await app.request(path);
    assert.equal(res.status, 303, path);
    assert.equal(res.headers.get("Location"), location);
  }
  assert.equal(loginLocation(new URL("http://x/?a=1")), "/login?next=%2F%3Fa%3D1");
});

Deno.test("gate: anonymous API calls get 401 in the one error shape", async () => {
  const res = await app.request("/api/portfolio");
  assert.equal(res.status, 401);
  assert.deepEqual(await res.json(), {
    error: { code: "unauthorized", message: "Sign in to continue.", requestId: "test-request" },
  });
});

Deno.test("gate: public pages and endpoints are open; signed-in callers pass", async () => {
  for (const path of ["/login", "/signup", "/logout", "/api/health", "/api/auth/login"]) {
    assert.equal((await app.request(path)).status, 200, path);
  }
  assert.equal((await app.request("/risk", signedIn)).status, 200);
  assert.equal((await app.request("/api/portfolio", signedIn)).status, 200);
  assert.equal(isPublicApi("/api/auth/loginx"), false, "a prefix is not a path segment");
  assert.equal(isPublicApi("/api/auth/me"), false);
  assert.equal((await app.request("/api/auth/me")).status, 401);
});

Deno.test("gate: isApiUrl reads the path of a request URL as isApiPath reads a path", () => {
  for (
    const url of [
      "http://localhost/api",
      "http://localhost/api/",
      "http://localhost/api?x=1",
      "http://localhost/api#top",
      "http://localhost:8000/api/market/quote/AAPL",
      "https://example.test/apis",
      "https://example.test/apiary/api/x",
      "http://localhost/",
      "http://localhost/risk?next=/api/x",
      "http://localhost/symbol/api",
      "http://[::1]:8000/api/health",
    ]
  ) {
    const req = new Request(url);
    assert.equal(isApiUrl(req.url), isApiPath(new URL(req.url).pathname), url);
  }
});
