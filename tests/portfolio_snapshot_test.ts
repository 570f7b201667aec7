/**
 * `GET /api/portfolio/snapshot` over the real app (replay pinned to an open session, real
 * database and KV): the account and positions in one answer, agreeing with `/api/portfolio` and
 * `/api/positions`, and readable by the positions island's reader.
 */
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { openTestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { readSnapshot } from "../lib/client/trading_api.ts";

Deno.test("portfolio snapshot: account, positions by symbol, prices and broker at once", async () => {
  const t = await openTestApp({}, { market: () => openReplayForTest() });
  try {
    const me = await signUp(t.app);
    const s = { t, bearer: me.bearer };
    const empty = await call(s, "GET", "/api/portfolio/snapshot");
    equal(empty.status, 200);
    deepEqual(empty.body.positions, []);
    equal(empty.body.source, "paper");
    equal(empty.body.prices, "replay");

    // Bought out of order: the snapshot lists them by symbol.
    for (const [symbol, qty] of [["MSFT", 2], ["AAPL", 3]] as const) {
      const placed = await call(s, "POST", "/api/orders", {
        symbol,
        side: "buy",
        type: "market",
        timeInForce: "day",
        qty,
        clientOrderId: crypto.randomUUID(),
      });
      equal(placed.status, 201, JSON.stringify(placed.body));
      equal(placed.body.order.status, "filled");
    }

    const res = await t.app.request("/api/portfolio/snapshot", { headers: me.bearer });
    equal(res.status, 200);
    equal(res.headers.get("Cache-Control"), "no-store");
    ok(res.headers.get("Content-Type")?.startsWith("application/json"));
    const snap = await res.json();
    deepEqual(Object.keys(snap).sort(), ["account", "positions", "prices", "source"]);
    deepEqual(snap.positions.map((p: { symbol: string }) => p.symbol), ["AAPL", "MSFT"]);
    deepEqual(snap.positions.map((p: { qty: number }) => p.qty), [3, 2]);
    equal(snap.source, "paper");
    equal(snap.prices, "replay");
    notEqual(snap.account.cash, empty.body.account.cash, "the buys moved the cash");

    // The same figures as the two older endpoints (the replay clock is pinned, so marks agree).
    const portfolio = await call(s, "GET", "/api/portfolio");
    const positions = await call(s, "GET", "/api/positions");
    // Only the moment each was taken may differ.
    deepEqual({ ...snap.account, timestamp: null }, { ...portfolio.body.account, timestamp: null });
    deepEqual(
      snap.positions,
      [...positions.body.positions].sort((a, b) => a.symbol.localeCompare(b.symbol)),
    );
    equal(snap.prices, positions.body.prices);

    // The island's reader takes the server's answer whole.
    const read = readSnapshot(snap);
    ok(read);
    deepEqual(read.positions, snap.positions);

    const anonymous = await t.app.request("/api/portfolio/snapshot");
    equal(anonymous.status, 401);
    ok((await anonymous.json()).error.code);
  } finally {
    await t.close();
  }
});
