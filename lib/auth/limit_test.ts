import assert from "node:assert/strict";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../state.ts";
import { limitKey, rateLimit } from "./limit.ts";
import { authServices, middlewareApp, TEST_IP_HEADER } from "./testing.ts";

/** 20 s into a one-minute window. */
const START = 1_700_000_000_000;

async function withLimitApp(
  run: (
    request: (path: string, init?: { method?: string; ip?: string; user?: number }) => Promise<
      Response
    >,
    clock: { at: number },
  ) => Promise<void>,
): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  const services = authServices(
    { RATE_LIMIT_PER_MINUTE: "3", RATE_LIMIT_AUTH_PER_MINUTE: "2" },
    { kv },
  );
  try {
    const clock = { at: START };
    const asUser: MiddlewareHandler<AppEnv> = async (c, next) => {
      const id = Number(c.req.header("X-Test-User") ?? 0);
      if (id) c.get("state").user = { id, username: "u", email: "u@x.test", role: "user" };
      await next();
    };
    const app = middlewareApp(services, asUser, rateLimit(services, { now: () => clock.at }));
    await run((path, { method = "GET", ip = "192.0.2.1", user } = {}) => {
      const headers: Record<string, string> = { [TEST_IP_HEADER]: ip };
      if (user) headers["X-Test-User"] = String(user);
      return Promise.resolve(app.request(path, { method, headers }));
    }, clock);
  } finally {
    await services.rateLimiter.close();
    kv.close();
  }
}

Deno.test("limit: exactly the limit passes in a window, then 429 with the headers", async () => {
  await withLimitApp(async (request) => {
    for (let i = 1; i <= 3; i++) {
      const res = await request("/api/x");
      assert.equal(res.status, 200, `request ${i}`);
      assert.equal(res.headers.get("RateLimit-Remaining"), String(3 - i));
      assert.equal(res.headers.get("RateLimit-Limit"), "3");
      assert.equal(res.headers.get("RateLimit-Reset"), "40");
    }
    const refused = await request("/api/x");
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("Retry-After"), "40");
    assert.deepEqual(await refused.json(), {
      error: {
        code: "rate_limited",
        message: "Too many requests. Try again in 40 s.",
        requestId: "test-request",
      },
    });
    assert.equal((await request("/api/x", { ip: "192.0.2.2" })).status, 200, "another IP");
    assert.equal((await request("/api/health")).status, 200, "health probes are exempt");
    assert.equal((await request("/api/health")).headers.get("RateLimit-Limit"), null);
  });
});

Deno.test("limit: the injected clock picks the window; the next one starts afresh", async () => {
  await withLimitApp(async (request, clock) => {
    for (let i = 0; i < 3; i++) await (await request("/api/x")).body?.cancel();
    clock.at = START + 39_999;
    assert.equal((await request("/api/x")).status, 429, "same window, 1 ms before its end");
    clock.at = START + 40_000;
    const next = await request("/api/x");
    assert.equal(next.status, 200, "first request of the next window");
    assert.equal(next.headers.get("RateLimit-Remaining"), "2");
    assert.equal(next.headers.get("RateLimit-Reset"), "60");
  });
});

Deno.test("limit: sign-in posts spend the stricter per-IP budget as well", async () => {
  await withLimitApp(async (request) => {
    for (let i = 1; i <= 2; i++) {
      const res = await request("/api/auth/login", { method: "POST" });
      assert.equal(res.status, 200, `attempt ${i}`);
      assert.equal(res.headers.get("RateLimit-Remaining"), String(2 - i));
      assert.equal(res.headers.get("RateLimit-Policy"), '2;w=60;name="credentials"');
    }
    const refused = await request("/login", { method: "POST" });
    assert.equal(refused.status, 429, "the page form shares the budget");
    assert.equal(refused.headers.get("RateLimit-Policy"), '2;w=60;name="credentials"');
    assert.equal((await request("/login", { method: "POST", ip: "192.0.2.9" })).status, 200);
    // A GET of the sign-in page is not an attempt.
    assert.equal(
      (await request("/login", { ip: "192.0.2.9" })).headers.get("RateLimit-Policy"),
      '3;w=60;name="default"',
    );
  });
});

Deno.test("limit: a signed-in user is counted as themselves, from any address", async () => {
  await withLimitApp(async (request) => {
    for (let i = 0; i < 3; i++) {
      await (await request("/api/x", { user: 5, ip: `198.51.100.${i}` })).body?.cancel();
    }
    assert.equal((await request("/api/x", { user: 5, ip: "198.51.100.200" })).status, 429);
    assert.equal((await request("/api/x", { user: 6 })).status, 200, "another user");
    assert.equal((await request("/api/x", { ip: "198.51.100.0" })).status, 200, "the IP itself");
  });
  const base = { requestId: "r", clientIp: "192.0.2.1" } as Parameters<typeof limitKey>[0];
  assert.equal(limitKey(base), "ip:192.0.2.1");
  assert.equal(limitKey({ ...base, auth: { kind: "operator", viaCookie: false } }), "operator");
});

Deno.test("limit: a burst of 500 concurrent requests gets exactly the limit through", async () => {
  await withLimitApp(async (request) => {
    const responses = await Promise.all(
      Array.from({ length: 500 }, () => request("/api/x", { ip: "192.0.2.9" })),
    );
    const codes = responses.map((r) => r.status);
    assert.equal(codes.filter((s) => s === 200).length, 3);
    assert.equal(codes.filter((s) => s === 429).length, 497);
    assert.ok(responses.filter((r) => r.status === 429).every((r) => r.headers.has("Retry-After")));
    await Promise.all(responses.map((r) => r.body?.cancel()));
  });
});
