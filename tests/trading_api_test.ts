/**
 * The trading API over the real app (replay pinned to an open session, real database, real
 * KV): idempotent submissions under concurrency with an exact ledger, validation (400) versus
 * refusal (422), the order lifecycle, positions and the portfolio, per-user isolation.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";

interface Session {
  t: TestApp;
  bearer: Record<string, string>;
  userId: number;
}

async function withTrading(
  fn: (s: Session) => Promise<void>,
  settings: Record<string, unknown> = { maxPositionPercent: 100, maxOrderValue: 1_000_000 },
) {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, {
    market: () => openReplayForTest(),
  });
  try {
    const me = await signUp(t.app);
    const s = { t, bearer: me.bearer, userId: me.user.id };
    const res = await call(s, "PATCH", "/api/settings", settings);
    equal(res.status, 200);
    await fn(s);
  } finally {
    await t.close();
  }
}

Deno.test("200 concurrent orders, 50 reusing a key: 150 orders, and the ledger is exact", async () => {
  await withTrading(async (s) => {
    const symbols = ["AAPL", "MSFT", "KO", "JNJ", "XOM"];
    const keys = Array.from({ length: 150 }, () => crypto.randomUUID());
    // 150 distinct keys, and 50 of them sent a second time, all at once.
    const sends = [...keys, ...keys.slice(0, 50)].map((key) => ({
      key,
      body: {
        symbol: symbols[keys.indexOf(key) % symbols.length],
        side: "buy",
        type: "market",
        timeInForce: "day",
        qty: 1 + (keys.indexOf(key) % 3),
        clientOrderId: key,
      },
    }));
    const results = await Promise.all(sends.map((x) => call(s, "POST", "/api/orders", x.body)));
    for (const r of results) ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
    equal(results.filter((r) => r.status === 201).length, 150);
    equal(results.filter((r) => r.body.duplicate).length, 50);
    // Both answers for a reused key name the same order.
    const byKey = new Map<string, Set<string>>();
    sends.forEach((x, i) => {
      const set = byKey.get(x.key) ?? new Set();
      set.add(results[i].body.order.id);
      byKey.set(x.key, set);
    });
    for (const ids of byKey.values()) equal(ids.size, 1);

    const db = s.t.services.db;
    const [counts] = await db.query<{ orders: number; trades: number }>(
      `select (select count(*)::int from orders where user_id = $1) as orders,
              (select count(*)::int from trades where user_id = $1) as trades`,
      [s.userId],
    );
    deepEqual(counts, { orders: 150, trades: 150 });
    // cash + positions at cost = starting cash − what the fills cost, to the cent (numerics).
    const [ledger] = await db.query<{ cash_plus_positions: string; starting_minus_costs: string }>(
      `select (a.cash + (select sum(cost_basis) from paper_positions where user_id = $1))::text
                as cash_plus_positions,
              a.starting_cash::text as starting_minus_costs
       from paper_accounts a where a.user_id = $1`,
      [s.userId],
    );
    equal(ledger.cash_plus_positions, ledger.starting_minus_costs);
    const [cash] = await db.query<{ ok: boolean }>(
      `select a.cash = a.starting_cash - (select sum(notional) from trades where user_id = $1) as ok
       from paper_accounts a where a.user_id = $1`,
      [s.userId],
    );
    ok(cash.ok, "cash = starting cash − Σ fill notionals");
    const shares = await db.query<{ symbol: string; qty: string; bought: string }>(
      `select p.symbol, p.qty::text, (select sum(quantity) from trades t
         where t.user_id = p.user_id and t.symbol = p.symbol)::text as bought
       from paper_positions p where p.user_id = $1`,
      [s.userId],
    );
    for (const p of shares) equal(Number(p.qty), Number(p.bought), p.symbol);
    // The API tells the same story.
    const portfolio = await call(s, "GET", "/api/portfolio");
    equal(portfolio.status, 200);
    equal(portfolio.body.totals.positions, symbols.length);
    equal(
      Math.round((portfolio.body.account.cash + portfolio.body.totals.costBasis) * 100),
      100_000 * 100,
    );
  });
});

Deno.test("malformed orders answer 400 with the JSON error shape, never 500", async () => {
  await withTrading(async (s) => {
    const base = { symbol: "AAPL", side: "buy", type: "market", timeInForce: "day", qty: 1 };
    const bad: unknown[] = [
      { ...base, qty: -1 },
      { ...base, qty: 0 },
      { ...base, qty: 1e12 },
      { ...base, qty: "10" },
      { ...base, qty: Number.NaN },
      { ...base, qty: 1.123456789 },
      { ...base, side: "short" },
      { ...base, type: "fancy" },
      { ...base, symbol: "NOT A SYMBOL" },
      { ...base, symbol: "SPX" },
      { ...base, extra: true },
      { ...base, notional: 100 },
      { symbol: "AAPL", side: "buy", type: "market" },
      { ...base, type: "limit" },
      { ...base, type: "market", limitPrice: 10 },
      { ...base, type: "stop_limit", stopPrice: 10 },
      { ...base, type: "trailing_stop" },
      { ...base, type: "trailing_stop", trailPrice: 1, trailPercent: 1 },
      { ...base, type: "limit", limitPrice: 10, qty: 1.5 },
      { ...base, qty: undefined, notional: 100, timeInForce: "gtc" },
      { ...base, clientOrderId: "" },
      { ...base, clientOrderId: "x".repeat(129) },
      { ...base, clientOrderId: "has space" },
      { ...base, preview: "yes" },
      [],
      "null",
      "{",
    ];
    for (const body of bad) {
      const r = await call(s, "POST", "/api/orders", body);
      equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${JSON.stringify(r.body)}`);
      equal(typeof r.body.error.code, "string");
      equal(typeof r.body.error.message, "string");
    }
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          symbol: fc.oneof(fc.string(), fc.constantFrom("AAPL", "MSFT")),
          side: fc.oneof(fc.string(), fc.constantFrom("buy", "sell")),
          type: fc.oneof(fc.string(), fc.constantFrom("market", "limit", "stop")),
          qty: fc.oneof(fc.double(), fc.integer(), fc.string()),
          limitPrice: fc.oneof(fc.double(), fc.constant(undefined)),
        }, { requiredKeys: [] }),
        async (body) => {
          const r = await call(s, "POST", "/api/orders", { ...body, preview: true });
          ok(r.status < 500, `${JSON.stringify(body)} → ${r.status}`);
          if (r.status >= 400) ok(r.body.error.code);
        },
      ),
      { numRuns: 60 },
    );
    // Bad ids and queries.
    equal((await call(s, "GET", "/api/orders/not-a-uuid")).status, 400);
    equal((await call(s, "GET", `/api/orders/${crypto.randomUUID()}`)).status, 404);
    equal((await call(s, "GET", "/api/orders?status=weird")).status, 400);
    equal((await call(s, "GET", "/api/orders?limit=0")).status, 400);
    equal((await call(s, "PATCH", `/api/orders/${crypto.randomUUID()}`, {})).status, 400);
    equal((await call(s, "DELETE", "/api/positions/AAPL?qty=1&percentage=5")).status, 400);
    equal((await call(s, "GET", "/api/portfolio/history?range=2D")).status, 400);
    const [{ count }] = await s.t.services.db.query<{ count: number }>(
      "select count(*)::int as count from orders",
    );
    equal(count, 0, "nothing malformed was stored");
  });
});

Deno.test("refused orders: 422 naming the rule and by how much", async () => {
  await withTrading(async (s) => {
    const r = await call(s, "POST", "/api/orders", {
      symbol: "AAPL",
      side: "buy",
      type: "market",
      qty: 100,
    });
    equal(r.status, 422);
    equal(r.body.error.code, "order_refused");
    const check = r.body.error.details.checks.find((c: { rule: string }) =>
      c.rule === "max_order_value"
    );
    equal(check.ok, false);
    ok(check.excess > 0);
    ok(r.body.error.message.includes("over your maximum order value of $1,000.00"));
    const short = await call(s, "POST", "/api/orders", {
      symbol: "AAPL",
      side: "sell",
      type: "market",
      qty: 1,
    });
    equal(short.status, 422);
    equal(short.body.error.code, "short_sale_not_allowed");
    // The preview shows the same verdict without placing anything.
    const p = await call(s, "POST", "/api/orders", {
      symbol: "AAPL",
      side: "buy",
      type: "market",
      qty: 100,
      preview: true,
    });
    equal(p.status, 200);
    equal(p.body.placed, false);
    equal(p.body.preview.refused, true);
    equal(p.body.preview.quote.source, "replay");
    ok(p.body.preview.estimatedCost > 1000);
    const orders = await call(s, "GET", "/api/orders?status=all");
    deepEqual(orders.body.orders, []);
  }, { maxOrderValue: 1_000 });
});

Deno.test("order lifecycle over HTTP: preview, place, list, replace, cancel, close", async () => {
  await withTrading(async (s) => {
    const preview = await call(s, "POST", "/api/orders", {
      symbol: "msft",
      side: "buy",
      type: "market",
      qty: 10,
      preview: true,
    });
    equal(preview.status, 200);
    const pv = preview.body.preview;
    equal(pv.symbol, "MSFT");
    equal(pv.marketOpen, true);
    equal(pv.refused, false);
    ok(Math.abs(pv.buyingPowerAfter - (pv.buyingPower - pv.estimatedCost)) < 0.01);
    equal(pv.positionQtyAfter, 10);

    const key = crypto.randomUUID();
    const placed = await call(s, "POST", "/api/orders", {
      symbol: "MSFT",
      side: "buy",
      type: "market",
      qty: 10,
    }, { "Idempotency-Key": key });
    equal(placed.status, 201);
    equal(placed.body.order.status, "filled");
    equal(placed.body.order.clientOrderId, key);
    equal(placed.body.order.prices, "replay");
    // Filled against replay prices: the label says the intraday path was simulated.
    equal(placed.body.order.intraday, "simulated");
    const again = await call(s, "POST", "/api/orders", {
      symbol: "MSFT",
      side: "buy",
      type: "market",
      qty: 10,
    }, { "Idempotency-Key": key });
    equal(again.status, 200);
    equal(again.body.duplicate, true);
    equal(again.body.order.id, placed.body.order.id);
    // The same key with another quantity is another request: 409, nothing placed.
    const reused = await call(s, "POST", "/api/orders", {
      symbol: "MSFT",
      side: "buy",
      type: "market",
      qty: 11,
    }, { "Idempotency-Key": key });
    equal(reused.status, 409, JSON.stringify(reused.body));
    equal(reused.body.error.code, "idempotency_key_reused");
    equal(reused.body.error.details.orderId, placed.body.order.id);
    // So is a position close reusing the order's key.
    const closeReuse = await call(s, "DELETE", "/api/positions/MSFT", undefined, {
      "Idempotency-Key": key,
    });
    equal(closeReuse.status, 409, JSON.stringify(closeReuse.body));
    equal(closeReuse.body.error.code, "idempotency_key_reused");
    // More shares than are held: 422 naming what is held (the same rule as Alpaca's).
    const over = await call(s, "DELETE", "/api/positions/MSFT?qty=11");
    equal(over.status, 422, JSON.stringify(over.body));
    equal(over.body.error.code, "insufficient_qty");
    equal(over.body.error.details.held, 10);

    const limit = await call(s, "POST", "/api/orders", {
      symbol: "MSFT",
      side: "buy",
      type: "limit",
      limitPrice: 1,
      qty: 5,
      timeInForce: "gtc",
    });
    equal(limit.status, 201);
    equal(limit.body.order.status, "new");
    const open = await call(s, "GET", "/api/orders?status=open");
    deepEqual(open.body.orders.map((o: { id: string }) => o.id), [limit.body.order.id]);
    equal(open.body.source, "paper");

    const replaced = await call(s, "PATCH", `/api/orders/${limit.body.order.id}`, {
      limitPrice: 2,
    });
    equal(replaced.status, 200);
    equal(replaced.body.order.replaces, limit.body.order.id);
    const old = await call(s, "GET", `/api/orders/${limit.body.order.id}`);
    equal(old.body.order.status, "replaced");
    const canceled = await call(s, "DELETE", `/api/orders/${replaced.body.order.id}`);
    equal(canceled.status, 200);
    equal(canceled.body.order.status, "canceled");
    const twice = await call(s, "DELETE", `/api/orders/${replaced.body.order.id}`);
    equal(twice.status, 409);
    equal(twice.body.error.code, "order_state");

    const positions = await call(s, "GET", "/api/positions");
    equal(positions.body.positions.length, 1);
    equal(positions.body.prices, "replay");
    const pos = positions.body.positions[0];
    equal(pos.symbol, "MSFT");
    equal(pos.qty, 10);

    const closeKey = crypto.randomUUID();
    const closed = await call(s, "DELETE", "/api/positions/MSFT", undefined, {
      "Idempotency-Key": closeKey,
    });
    equal(closed.status, 201);
    equal(closed.body.order.side, "sell");
    equal(closed.body.order.status, "filled");
    const reclose = await call(s, "DELETE", "/api/positions/MSFT", undefined, {
      "Idempotency-Key": closeKey,
    });
    equal(reclose.status, 200);
    equal(reclose.body.duplicate, true);
    equal((await call(s, "DELETE", "/api/positions/MSFT")).status, 404);
    deepEqual((await call(s, "GET", "/api/positions")).body.positions, []);

    const fills = await call(s, "GET", "/api/portfolio/fills");
    equal(fills.body.fills.length, 2);
    for (const f of fills.body.fills) {
      equal(f.prices, "replay");
      equal(f.intraday, "simulated");
    }
    const history = await call(s, "GET", "/api/portfolio/history?range=1D");
    equal(history.status, 200);
    ok(history.body.points.length >= 2);
    const summary = await call(s, "GET", "/api/portfolio");
    equal(summary.body.source, "paper");
    equal(summary.body.prices, "replay");
    equal(summary.body.account.currency, "USD");
  });
});

Deno.test("GET /api/portfolio/snapshot: the positions screen's portfolio, sorted", async () => {
  await withTrading(async (s) => {
    const empty = await call(s, "GET", "/api/portfolio/snapshot");
    equal(empty.status, 200);
    const raw = await s.t.app.request("/api/portfolio/snapshot", { headers: s.bearer });
    equal(raw.headers.get("cache-control"), "no-store");
    await raw.body?.cancel();
    deepEqual(Object.keys(empty.body).sort(), ["account", "positions", "prices", "source"]);
    deepEqual(empty.body.positions, []);
    // Nothing held: the label comes from the broker's own valuation source.
    equal(empty.body.prices, "replay");
    equal(empty.body.source, "paper");

    for (const symbol of ["MSFT", "AAPL", "KO"]) {
      const r = await call(s, "POST", "/api/orders", {
        symbol,
        side: "buy",
        type: "market",
        qty: 2,
      });
      equal(r.status, 201, JSON.stringify(r.body));
    }
    const snap = await call(s, "GET", "/api/portfolio/snapshot");
    equal(snap.status, 200);
    deepEqual(snap.body.positions.map((p: { symbol: string }) => p.symbol), ["AAPL", "KO", "MSFT"]);
    equal(snap.body.prices, "replay");
    const positions = await call(s, "GET", "/api/positions");
    deepEqual(
      positions.body.positions.map((p: { symbol: string; qty: number }) => [p.symbol, p.qty]),
      snap.body.positions.map((p: { symbol: string; qty: number }) => [p.symbol, p.qty]),
    );
    const portfolio = await call(s, "GET", "/api/portfolio");
    equal(snap.body.account.cash, portfolio.body.account.cash);
    equal(snap.body.account.source, "paper");
    equal((await s.t.app.request("/api/portfolio/snapshot")).status, 401);
  });
});

Deno.test("orders are private: another user gets 404 and anonymous callers 401", async () => {
  await withTrading(async (s) => {
    const placed = await call(s, "POST", "/api/orders", {
      symbol: "KO",
      side: "buy",
      type: "limit",
      limitPrice: 1,
      qty: 1,
    });
    equal(placed.status, 201);
    const other = await signUp(s.t.app);
    const them: Session = { t: s.t, bearer: other.bearer, userId: other.user.id };
    equal((await call(them, "GET", `/api/orders/${placed.body.order.id}`)).status, 404);
    equal((await call(them, "DELETE", `/api/orders/${placed.body.order.id}`)).status, 404);
    deepEqual((await call(them, "GET", "/api/orders?status=all")).body.orders, []);
    const anon = await s.t.app.request("/api/orders");
    equal(anon.status, 401);
    const anonPost = await s.t.app.request("/api/orders", { method: "POST", body: "{}" });
    equal(anonPost.status, 401);
  });
});
