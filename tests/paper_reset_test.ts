/**
 * `POST /api/portfolio/reset` over the real app and paper broker: the typed confirmation, open
 * orders cancelled, positions gone, cash and starting cash set, the reset booked as a cash flow
 * so the P&L analytics do not count it as a gain or loss.
 */
import assert from "node:assert/strict";
import { openTestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";

Deno.test("resetting the paper account starts it over and books a cash flow", async () => {
  const t = await openTestApp({}, { market: () => openReplayForTest() });
  try {
    const me = await signUp(t.app);
    const s = { t, bearer: me.bearer };
    assert.equal(
      (await call(s, "PATCH", "/api/settings", { maxPositionPercent: 100 })).status,
      200,
    );
    const quote = (await call(s, "GET", "/api/market/quote/KO")).body;
    const order = (side: string, type: string, extra: Record<string, unknown> = {}) =>
      call(s, "POST", "/api/orders", {
        symbol: "KO",
        side,
        type,
        qty: 10,
        timeInForce: "day",
        clientOrderId: crypto.randomUUID(),
        ...extra,
      });
    assert.ok([200, 201].includes((await order("buy", "market")).status));
    const resting = await order("buy", "limit", {
      limitPrice: Math.floor(quote.bid * 0.5 * 100) / 100,
    });
    assert.ok([200, 201].includes(resting.status), JSON.stringify(resting.body));

    const wrong = await call(s, "POST", "/api/portfolio/reset", { confirm: "reset" });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.code, "confirmation_mismatch");
    const bad = await call(s, "POST", "/api/portfolio/reset", {
      confirm: "RESET",
      startingCash: 5,
    });
    assert.equal(bad.status, 400);

    const done = await call(s, "POST", "/api/portfolio/reset", {
      confirm: "RESET",
      startingCash: 50_000,
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.canceledOrders, 1);
    assert.equal(done.body.closedPositions, 1);
    assert.equal(done.body.startingCash, 50_000);

    const account = (await call(s, "GET", "/api/portfolio")).body.account;
    assert.equal(account.cash, 50_000);
    assert.equal(account.equity, 50_000);
    assert.deepEqual((await call(s, "GET", "/api/positions")).body.positions, []);
    const open = (await call(s, "GET", "/api/orders?status=open")).body.orders;
    assert.deepEqual(open, []);
    assert.equal(
      (await call(s, "GET", `/api/orders/${resting.body.order.id}`)).body.order.status,
      "canceled",
    );
    assert.equal((await call(s, "GET", "/api/settings")).body.settings.startingCash, 50_000);
    const [flow] = await t.services.db.query<
      { kind: string; amount: string; equity_before: string }
    >(
      "select kind, amount, equity_before from cash_flows where user_id = $1",
      [me.user.id],
    );
    assert.equal(flow.kind, "reset");
    assert.equal(
      Number(flow.amount),
      Math.round((50_000 - Number(flow.equity_before)) * 100) / 100,
      "the flow is what moved the equity to the new start",
    );
  } finally {
    await t.close();
  }
});
