import { equal, ok } from "node:assert/strict";
import { startFakeAlpaca } from "../../../tests/fakes/alpaca.ts";
import { AlpacaApiError, AlpacaHttp, AlpacaTransportError } from "./http.ts";
import { accountSchema, orderSchema } from "./schemas.ts";

async function setup(opts: { timeoutMs?: number } = {}) {
  const fake = await startFakeAlpaca();
  const http = new AlpacaHttp({
    keyId: fake.keyId,
    secretKey: fake.secretKey,
    baseUrl: fake.url,
    backoffBaseMs: 5,
    timeoutMs: opts.timeoutMs,
  });
  return {
    fake,
    http,
    close: async () => {
      http.close();
      await fake.close();
    },
  };
}

const order = {
  symbol: "AAPL",
  side: "buy",
  type: "market",
  time_in_force: "day",
  qty: "1",
};

Deno.test("http: sends the key headers and notes the rate-limit headers", async () => {
  const { fake, http, close } = await setup();
  try {
    const a = await http.get("/v2/account", accountSchema);
    equal(a.currency, "USD");
    ok(fake.requests[0].authorized);
    equal(http.rateLimit.limit, 200);
    equal(http.rateLimit.remaining, 199);
    ok((http.rateLimit.resetAt ?? 0) > Date.now());
  } finally {
    await close();
  }
});

Deno.test("http: error bodies become AlpacaApiError with code and extra fields", async () => {
  const { http, close } = await setup();
  try {
    const err = await http.post("/v2/orders", orderSchema, { body: { ...order, qty: "100000" } })
      .then(() => null, (e) => e);
    ok(err instanceof AlpacaApiError, String(err));
    equal(err.status, 403);
    equal(err.code, 40310000);
    equal(err.message, "insufficient buying power");
    ok("buying_power" in err.body);
  } finally {
    await close();
  }
});

Deno.test("http: a POST is never retried, even on a gateway error", async () => {
  const { fake, http, close } = await setup();
  try {
    fake.fail(1, 503, { method: "POST" });
    const err = await http.post("/v2/orders", orderSchema, { body: order }).then(
      () => null,
      (e) => e,
    );
    ok(err instanceof AlpacaApiError);
    equal(err.status, 503);
    equal(err.code, null);
    equal(fake.requests.length, 1);
    equal(fake.orders().length, 0);
  } finally {
    await close();
  }
});

Deno.test("http: a GET retries 502/503/504 up to three tries, then gives up", async () => {
  const { fake, http, close } = await setup();
  try {
    fake.fail(2, 502, { path: "/v2/account" });
    await http.get("/v2/account", accountSchema);
    equal(fake.requests.length, 3);
    fake.fail(3, 504, { path: "/v2/account" });
    const err = await http.get("/v2/account", accountSchema).then(() => null, (e) => e);
    ok(err instanceof AlpacaApiError);
    equal(err.status, 504);
    equal(fake.requests.length, 6);
  } finally {
    await close();
  }
});

Deno.test("http: a GET waits out a 429 until the window resets", async () => {
  const { fake, http, close } = await setup();
  try {
    fake.fail(1, 429, { path: "/v2/account", resetMs: 300 });
    const started = Date.now();
    await http.get("/v2/account", accountSchema);
    equal(fake.requests.length, 2);
    ok(Date.now() - started >= 250, "waited for the reset");
  } finally {
    await close();
  }
});

Deno.test("http: a 4xx GET is not retried", async () => {
  const { fake, http, close } = await setup();
  try {
    const err = await http.get(`/v2/orders/${crypto.randomUUID()}`, orderSchema).then(
      () => null,
      (e) => e,
    );
    ok(err instanceof AlpacaApiError);
    equal(err.status, 404);
    equal(fake.requests.length, 1);
  } finally {
    await close();
  }
});

Deno.test("http: a hung request times out per attempt; the caller's signal aborts", async () => {
  const { fake, http, close } = await setup({ timeoutMs: 200 });
  try {
    fake.fail(1, "hang", { method: "POST" });
    const err = await http.post("/v2/orders", orderSchema, { body: order }).then(
      () => null,
      (e) => e,
    );
    ok(err instanceof AlpacaTransportError, String(err));
    equal(err.kind, "timeout");
    fake.fail(1, "hang", { path: "/v2/account" });
    const ac = new AbortController();
    const aborted = http.get("/v2/account", accountSchema, { signal: ac.signal }).then(
      () => null,
      (e) => e,
    );
    // Abort once the request hangs at the fake, not after a guessed time.
    const deadline = Date.now() + 5_000;
    while (!fake.requests.some((q) => q.path === "/v2/account")) {
      ok(Date.now() < deadline, "the request never reached the fake");
      await new Promise((r) => setTimeout(r, 2));
    }
    ac.abort(new Error("stop"));
    equal(((await aborted) as Error).message, "stop");
  } finally {
    await close();
  }
});

Deno.test("http: an unexpected shape is a transport error naming the field", async () => {
  const { http, close } = await setup();
  try {
    const err = await http.get("/v2/clock", orderSchema).then(() => null, (e) => e);
    ok(err instanceof AlpacaTransportError);
    equal(err.kind, "shape");
    ok(/id/.test(err.message));
  } finally {
    await close();
  }
});
