/**
 * The whole app configured for Alpaca (ALPACA_* pointing at the fake Alpaca server): the real
 * routes, the real Alpaca client and the real database. Whatever Alpaca's network does to the
 * first answer, one POST /api/orders makes one Alpaca order; a retried Idempotency-Key returns
 * it; the sync job books its fill into `trades` once.
 */
import { equal, ok } from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { type FakeAlpaca, startFakeAlpaca } from "./fakes/alpaca.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { brokerSync } from "../jobs/broker_sync.ts";

interface Session {
  t: TestApp;
  fake: FakeAlpaca;
  bearer: Record<string, string>;
}

async function withAlpaca(fn: (s: Session) => Promise<void>) {
  const fake = await startFakeAlpaca({ prices: { AAPL: 100, MSFT: 300 } });
  const t = await openTestApp({
    RATE_LIMIT_PER_MINUTE: "100000",
    ALPACA_KEY_ID: fake.keyId,
    ALPACA_SECRET_KEY: fake.secretKey,
    ALPACA_BASE_URL: fake.url,
  }, { market: () => openReplayForTest() });
  try {
    const me = await signUp(t.app);
    const s = { t, fake, bearer: me.bearer };
    const res = await call(s, "PATCH", "/api/settings", {
      maxPositionPercent: 100,
      maxOrderValue: 1_000_000,
    });
    equal(res.status, 200);
    await fn(s);
    // Nothing the app wrote names the secret key.
    ok(!JSON.stringify(t.logs).includes(fake.secretKey));
  } finally {
    await t.close();
    await fake.close();
  }
}

const buy = (symbol = "AAPL", qty = 2) => ({
  symbol,
  side: "buy",
  type: "market",
  timeInForce: "day",
  qty,
});

const alpacaPosts = (fake: FakeAlpaca) =>
  fake.requests.filter((r) => r.method === "POST" && r.path === "/v2/orders");

for (
  const fault of ["500-after-commit", "503-after-commit", 500, 503, "drop-after-commit"] as const
) {
  Deno.test(`POST /api/orders when Alpaca's first answer is ${fault}: one order, never two`, async () => {
    await withAlpaca(async (s) => {
      s.fake.fail(1, fault, { method: "POST", path: "/v2/orders" });
      const key = crypto.randomUUID();
      const first = await call(s, "POST", "/api/orders", buy(), { "Idempotency-Key": key });
      equal(first.status, 201, JSON.stringify(first.body));
      equal(first.body.source, "alpaca");
      equal(first.body.order.status, "filled");
      ok(s.fake.requests.some((r) => r.fault === fault), "the fault struck");
      equal(s.fake.orders().length, 1);

      // The browser's retry of the same intent gets the same order back.
      const again = await call(s, "POST", "/api/orders", buy(), { "Idempotency-Key": key });
      equal(again.status, 200, JSON.stringify(again.body));
      equal(again.body.duplicate, true);
      equal(again.body.order.id, first.body.order.id);
      equal(s.fake.orders().length, 1);
      ok(alpacaPosts(s.fake).length <= 2);

      const list = await call(s, "GET", "/api/orders?status=all");
      equal(list.status, 200);
      equal(list.body.orders.length, 1);
    });
  });
}

Deno.test("Alpaca mode: refusals keep their reason, positions and fills come from Alpaca", async () => {
  await withAlpaca(async (s) => {
    // The pre-trade checks read Alpaca's buying power and refuse before anything is sent.
    const tooBig = await call(s, "POST", "/api/orders", buy("MSFT", 9_000));
    equal(tooBig.status, 422, JSON.stringify(tooBig.body));
    equal(tooBig.body.error.code, "insufficient_buying_power");
    equal(alpacaPosts(s.fake).length, 0);
    equal((await call(s, "GET", "/api/orders?status=all")).body.orders.length, 0);

    const key = crypto.randomUUID();
    const placed = await call(s, "POST", "/api/orders", buy("AAPL", 3), { "Idempotency-Key": key });
    equal(placed.status, 201, JSON.stringify(placed.body));
    // Alpaca's own marks: no replay label on its orders.
    equal(placed.body.order.prices, "alpaca");
    equal(placed.body.order.intraday, undefined);
    ok(placed.body.checks.some((c: { rule: string }) => c.rule === "buying_power"));
    // The key reused for another quantity, or for a position close, is refused: nothing sent.
    const reused = await call(s, "POST", "/api/orders", buy("AAPL", 4), { "Idempotency-Key": key });
    equal(reused.status, 409, JSON.stringify(reused.body));
    equal(reused.body.error.code, "idempotency_key_reused");
    equal(reused.body.error.details.orderId, placed.body.order.id);
    const closeReuse = await call(s, "DELETE", "/api/positions/AAPL", undefined, {
      "Idempotency-Key": key,
    });
    equal(closeReuse.status, 409, JSON.stringify(closeReuse.body));
    equal(closeReuse.body.error.code, "idempotency_key_reused");
    equal(alpacaPosts(s.fake).length, 1);
    // Closing more than is held answers 422 naming what is held.
    const over = await call(s, "DELETE", "/api/positions/AAPL?qty=5");
    equal(over.status, 422, JSON.stringify(over.body));
    equal(over.body.error.code, "insufficient_qty");
    equal(over.body.error.details.held, 3);

    const snapshot = await call(s, "GET", "/api/portfolio/snapshot");
    equal(snapshot.status, 200);
    equal(snapshot.body.source, "alpaca");
    equal(snapshot.body.prices, "alpaca");
    equal(snapshot.body.positions[0].symbol, "AAPL");

    const positions = await call(s, "GET", "/api/positions");
    equal(positions.status, 200);
    equal(positions.body.source, "alpaca");
    equal(positions.body.positions.length, 1);
    equal(positions.body.positions[0].symbol, "AAPL");
    equal(positions.body.positions[0].qty, 3);

    // Fills reach `trades` through the reconcile job, once however often it runs.
    for (let i = 0; i < 3; i++) await brokerSync(s.t.services.broker);
    const fills = await call(s, "GET", "/api/portfolio/fills");
    equal(fills.status, 200);
    equal(fills.body.fills.length, 1);
    equal(fills.body.fills[0].qty, 3);
    equal(fills.body.fills[0].orderId, placed.body.order.id);

    const health = await s.t.app.request("/api/health");
    const h = await health.json();
    equal(h.services.broker.state, "up", JSON.stringify(h.services.broker));
    equal(h.services.broker.mode, "alpaca-paper");
  });
});
