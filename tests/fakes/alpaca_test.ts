/**
 * Tests of the fake Alpaca server itself, with plain fetch, against
 * ../shared/api-contracts/alpaca.md. If these pass, a client test failing against the fake is the
 * client's fault.
 */
import assert from "node:assert/strict";
import { type FakeAlpaca, type FakeAlpacaOptions, startFakeAlpaca } from "./alpaca.ts";

interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
  text: string;
  headers: Headers;
}

async function call(
  fake: FakeAlpaca,
  method: string,
  path: string,
  body?: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal; raw?: string } = {},
): Promise<Answer> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { ...(init.headers ?? fake.headers), "content-type": "application/json" },
    body: init.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    signal: init.signal,
  });
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch { /* gateway errors are HTML */ }
  return { status: res.status, text, body: parsed, headers: res.headers };
}

async function withFake(
  opts: FakeAlpacaOptions,
  fn: (fake: FakeAlpaca) => Promise<void>,
): Promise<void> {
  const fake = await startFakeAlpaca(opts);
  try {
    await fn(fake);
  } finally {
    await fake.close();
  }
}

/** Waits for `cond` (checked every few ms) instead of a fixed time; throws after `ms`. */
async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NS_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;
const buy = (symbol: string, qty: string | number, extra: Record<string, unknown> = {}) => ({
  symbol,
  qty,
  side: "buy",
  type: "market",
  time_in_force: "day",
  ...extra,
});

const ORDER_FIELDS = [
  "id",
  "client_order_id",
  "created_at",
  "updated_at",
  "submitted_at",
  "filled_at",
  "expired_at",
  "canceled_at",
  "failed_at",
  "replaced_at",
  "replaced_by",
  "replaces",
  "asset_id",
  "symbol",
  "asset_class",
  "notional",
  "qty",
  "filled_qty",
  "filled_avg_price",
  "order_class",
  "order_type",
  "type",
  "side",
  "position_intent",
  "time_in_force",
  "limit_price",
  "stop_price",
  "status",
  "extended_hours",
  "legs",
  "trail_percent",
  "trail_price",
  "hwm",
];

Deno.test("auth: missing or wrong keys answer 401 with the contract body; names are case-insensitive", async () => {
  await withFake({}, async (fake) => {
    const none = await call(fake, "GET", "/v2/account", undefined, { headers: {} });
    assert.equal(none.status, 401);
    assert.deepEqual(none.body, { code: 40110000, message: "request is not authorized" });
    assert.equal(none.headers.get("x-ratelimit-limit"), "200");

    const wrong = await call(fake, "GET", "/v2/account", undefined, {
      headers: { "APCA-API-KEY-ID": fake.keyId, "APCA-API-SECRET-KEY": "nope" },
    });
    assert.equal(wrong.status, 401);

    const lower = await call(fake, "GET", "/v2/account", undefined, {
      headers: { "apca-api-key-id": fake.keyId, "Apca-Api-Secret-Key": fake.secretKey },
    });
    assert.equal(lower.status, 200);
    assert.deepEqual(fake.requests.map((r) => r.authorized), [false, false, true]);
  });
});

Deno.test("account: decimals are strings, integers are numbers, starting cash is an option", async () => {
  await withFake({ cash: 25_000.5, shortingEnabled: true }, async (fake) => {
    const { status, body } = await call(fake, "GET", "/v2/account");
    assert.equal(status, 200);
    assert.equal(body.cash, "25000.5");
    assert.equal(body.equity, "25000.5");
    assert.equal(body.buying_power, "25000.5");
    assert.equal(body.last_equity, "25000.5");
    assert.equal(body.long_market_value, "0");
    assert.equal(body.multiplier, "1");
    assert.equal(body.shorting_enabled, true);
    assert.equal(body.daytrade_count, 0);
    assert.equal(body.status, "ACTIVE");
    assert.match(body.id, UUID);
    assert.match(body.account_number, /^P/);
    assert.match(body.created_at, NS_TIME);
  });
});

Deno.test("POST /v2/orders: the validation matrix answers 422 and stores nothing", async () => {
  await withFake({}, async (fake) => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["qty and notional", buy("AAPL", "1", { notional: "100" }), /only one of qty or notional/],
      ["neither qty nor notional", { ...buy("AAPL", "1"), qty: undefined }, /qty or notional/],
      ["notional limit", {
        ...buy("AAPL", "1"),
        qty: undefined,
        notional: "100",
        type: "limit",
        limit_price: "1",
      }, /notional/],
      [
        "notional gtc",
        { ...buy("AAPL", "1"), qty: undefined, notional: 50, time_in_force: "gtc" },
        /notional/,
      ],
      ["fractional limit", buy("AAPL", "1.5", { type: "limit", limit_price: "180" }), /fractional/],
      ["fractional gtc", buy("AAPL", "0.5", { time_in_force: "gtc" }), /fractional/],
      ["limit without price", buy("AAPL", "1", { type: "limit" }), /limit_price is required/],
      [
        "stop_limit without limit",
        buy("AAPL", "1", { type: "stop_limit", stop_price: "200" }),
        /limit_price/,
      ],
      ["stop without price", buy("AAPL", "1", { type: "stop" }), /stop_price is required/],
      ["market with limit", buy("AAPL", "1", { limit_price: "180" }), /not allowed/],
      [
        "trailing with both",
        buy("AAPL", "1", {
          type: "trailing_stop",
          trail_price: "1",
          trail_percent: "1",
        }),
        /exactly one/,
      ],
      ["trailing with neither", buy("AAPL", "1", { type: "trailing_stop" }), /exactly one/],
      [
        "trailing ioc",
        buy("AAPL", "1", {
          type: "trailing_stop",
          trail_price: "1",
          time_in_force: "ioc",
        }),
        /day or gtc/,
      ],
      ["bad tif", buy("AAPL", "1", { time_in_force: "week" }), /time_in_force/],
      [
        "missing tif",
        { ...buy("AAPL", "1"), time_in_force: undefined },
        /time_in_force is required/,
      ],
      ["bad side", buy("AAPL", "1", { side: "short" }), /side/],
      ["bad type", buy("AAPL", "1", { type: "moc" }), /type/],
      ["unknown symbol", buy("ZZZZ", "1"), /asset "ZZZZ" not found/],
      ["zero qty", buy("AAPL", "0"), /qty must be > 0/],
      ["negative qty", buy("AAPL", -3), /qty must be > 0/],
      ["text qty", buy("AAPL", "ten"), /invalid qty/],
      ["sub-penny", buy("AAPL", "1", { type: "limit", limit_price: "180.123" }), /sub-penny/],
      ["long client id", buy("AAPL", "1", { client_order_id: "x".repeat(129) }), /128/],
      ["unknown field", buy("AAPL", "1", { timeInForce: "day" }), /unknown field/],
      ["bracket", buy("AAPL", "1", { order_class: "bracket" }), /not supported/],
      ["extended market", buy("AAPL", "1", { extended_hours: true }), /extended hours/],
    ];
    for (const [name, body, message] of cases) {
      const res = await call(fake, "POST", "/v2/orders", body);
      assert.equal(res.status, 422, name);
      assert.equal(res.body.code, 40010001, name);
      assert.match(res.body.message, message, name);
    }
    const malformed = await call(fake, "POST", "/v2/orders", undefined, { raw: "{nope" });
    assert.equal(malformed.status, 400);
    assert.equal(fake.orders().length, 0);

    // Numbers are accepted where strings are usual, and a 128-character id is fine.
    const ok = await call(fake, "POST", "/v2/orders", {
      ...buy("AAPL", 2),
      type: "limit",
      limit_price: 150.5,
      client_order_id: "y".repeat(128),
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.qty, "2");
    assert.equal(ok.body.limit_price, "150.5");
  });
});

Deno.test("client_order_id is unique forever: reuse answers 422, even after cancel", async () => {
  await withFake({}, async (fake) => {
    const body = buy("AAPL", "1", { type: "limit", limit_price: "100", client_order_id: "dash-1" });
    const first = await call(fake, "POST", "/v2/orders", body);
    assert.equal(first.status, 200);
    assert.equal(first.body.client_order_id, "dash-1");
    const again = await call(fake, "POST", "/v2/orders", body);
    assert.equal(again.status, 422);
    assert.deepEqual(again.body, { code: 40010001, message: "client_order_id must be unique" });

    assert.equal((await call(fake, "DELETE", `/v2/orders/${first.body.id}`)).status, 204);
    const afterCancel = await call(fake, "POST", "/v2/orders", body);
    assert.equal(afterCancel.status, 422);
    assert.equal(afterCancel.body.message, "client_order_id must be unique");
    assert.equal(fake.orders().length, 1);

    const found = await call(fake, "GET", "/v2/orders:by_client_order_id?client_order_id=dash-1");
    assert.equal(found.status, 200);
    assert.equal(found.body.id, first.body.id);
    assert.equal(found.body.status, "canceled");
    const missing = await call(fake, "GET", "/v2/orders:by_client_order_id?client_order_id=nope");
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { code: 40410000, message: "order not found for nope" });

    const generated = await call(fake, "POST", "/v2/orders", buy("AAPL", "1"));
    assert.match(generated.body.client_order_id, UUID);
  });
});

Deno.test("403: insufficient buying power names both amounts; open buys reserve cash", async () => {
  await withFake({ cash: 1000, prices: { AAPL: 190 } }, async (fake) => {
    const res = await call(fake, "POST", "/v2/orders", buy("AAPL", "10"));
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      code: 40310000,
      message: "insufficient buying power",
      buying_power: "1000",
      cost_basis: "1900",
    });
    const resting = await call(fake, "POST", "/v2/orders", {
      ...buy("AAPL", "5"),
      type: "limit",
      limit_price: "150",
    });
    assert.equal(resting.body.status, "new");
    assert.equal((await call(fake, "GET", "/v2/account")).body.buying_power, "250");
    const second = await call(fake, "POST", "/v2/orders", buy("AAPL", "2"));
    assert.equal(second.status, 403);
    assert.equal(second.body.buying_power, "250");
    assert.equal(second.body.cost_basis, "380");
  });
});

Deno.test("403: selling more than held without shorting; shorting from flat when enabled", async () => {
  await withFake({ prices: { AAPL: 100 } }, async (fake) => {
    await call(fake, "POST", "/v2/orders", buy("AAPL", "3"));
    const res = await call(fake, "POST", "/v2/orders", { ...buy("AAPL", "5"), side: "sell" });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      code: 40310000,
      message: "insufficient qty available for order (requested: 5, available: 3)",
      symbol: "AAPL",
      available: "3",
      existing_qty: "3",
      held_for_orders: "0",
      related_orders: [],
    });
  });
  await withFake({ prices: { AAPL: 100 }, shortingEnabled: true }, async (fake) => {
    const res = await call(fake, "POST", "/v2/orders", { ...buy("AAPL", "2"), side: "sell" });
    assert.equal(res.status, 200);
    assert.equal(res.body.position_intent, "sell_to_open");
    const pos = await call(fake, "GET", "/v2/positions/AAPL");
    assert.equal(pos.body.qty, "-2");
    assert.equal(pos.body.side, "short");
    assert.equal(pos.body.market_value, "-200");
    fake.setPrice("AAPL", 90);
    assert.equal((await call(fake, "GET", "/v2/positions/AAPL")).body.unrealized_pl, "20");
  });
});

Deno.test("market order fills at the fake's price: order, cash, position, FILL activity", async () => {
  await withFake({}, async (fake) => {
    fake.setPrice("AAPL", 190.12, { lastday: 195 });
    const { status, body: order } = await call(fake, "POST", "/v2/orders", buy("AAPL", "10"));
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(order).filter((k) => ORDER_FIELDS.includes(k)), ORDER_FIELDS);
    assert.match(order.id, UUID);
    assert.match(order.asset_id, UUID);
    assert.match(order.created_at, NS_TIME);
    assert.match(order.filled_at, NS_TIME);
    assert.equal(order.status, "filled");
    assert.equal(order.order_class, "");
    assert.equal(order.filled_qty, "10");
    assert.equal(order.filled_avg_price, "190.12");
    assert.equal(order.canceled_at, null);
    assert.equal(order.notional, null);
    assert.equal(order.position_intent, "buy_to_open");

    const account = (await call(fake, "GET", "/v2/account")).body;
    assert.equal(account.cash, "98098.8");
    assert.equal(account.long_market_value, "1901.2");
    assert.equal(account.equity, "100000");

    fake.setPrice("AAPL", 200);
    const pos = (await call(fake, "GET", "/v2/positions/AAPL")).body;
    assert.equal(pos.qty, "10");
    assert.equal(pos.qty_available, "10");
    assert.equal(pos.side, "long");
    assert.equal(pos.avg_entry_price, "190.12");
    assert.equal(pos.market_value, "2000");
    assert.equal(pos.cost_basis, "1901.2");
    assert.equal(pos.unrealized_pl, "98.8");
    assert.equal(pos.unrealized_plpc, "0.0519672");
    assert.equal(pos.current_price, "200");
    assert.equal(pos.lastday_price, "195");
    assert.equal(pos.change_today, "0.025641");
    assert.equal(pos.unrealized_intraday_pl, "50");
    assert.equal(pos.exchange, "NASDAQ");
    assert.deepEqual((await call(fake, "GET", "/v2/positions")).body, [pos]);
    assert.equal((await call(fake, "GET", "/v2/account")).body.equity, "100098.8");

    const [fill] = (await call(fake, "GET", "/v2/account/activities/FILL")).body;
    assert.match(fill.id, /^\d{17}::[0-9a-f-]{36}$/);
    assert.deepEqual({ ...fill, id: undefined, transaction_time: undefined }, {
      id: undefined,
      transaction_time: undefined,
      activity_type: "FILL",
      type: "fill",
      price: "190.12",
      qty: "10",
      side: "buy",
      symbol: "AAPL",
      leaves_qty: "0",
      order_id: order.id,
      cum_qty: "10",
      order_status: "filled",
    });
  });
});

Deno.test("notional and fractional orders fill with fractional quantities", async () => {
  await withFake({ prices: { SPY: 400 } }, async (fake) => {
    const n = await call(fake, "POST", "/v2/orders", {
      ...buy("SPY", "1"),
      qty: undefined,
      notional: "100",
    });
    assert.equal(n.body.notional, "100");
    assert.equal(n.body.qty, null);
    assert.equal(n.body.filled_qty, "0.25");
    const f = await call(fake, "POST", "/v2/orders", buy("SPY", "0.125"));
    assert.equal(f.body.filled_qty, "0.125");
    const pos = (await call(fake, "GET", "/v2/positions/SPY")).body;
    assert.equal(pos.qty, "0.375");
    assert.equal(pos.exchange, "ARCA");
    assert.equal((await call(fake, "GET", "/v2/account")).body.cash, "99850");
  });
});

Deno.test("resting orders fill when setPrice crosses them: limit, stop, trailing stop", async () => {
  await withFake({ prices: { AAPL: 190 } }, async (fake) => {
    const limit = (await call(fake, "POST", "/v2/orders", {
      ...buy("AAPL", "2"),
      type: "limit",
      limit_price: "185",
      time_in_force: "gtc",
    })).body;
    assert.equal(limit.status, "new");
    fake.setPrice("AAPL", 186);
    assert.equal((await call(fake, "GET", `/v2/orders/${limit.id}`)).body.status, "new");
    fake.setPrice("AAPL", 184.5);
    const filled = (await call(fake, "GET", `/v2/orders/${limit.id}`)).body;
    assert.equal(filled.status, "filled");
    assert.equal(filled.filled_avg_price, "184.5");

    const stop = (await call(fake, "POST", "/v2/orders", {
      ...buy("AAPL", "1"),
      side: "sell",
      type: "stop",
      stop_price: "180",
    })).body;
    assert.equal(stop.status, "new");
    // The resting sell holds the share it would sell.
    assert.equal((await call(fake, "GET", "/v2/positions/AAPL")).body.qty_available, "1");
    fake.setPrice("AAPL", 179);
    assert.equal((await call(fake, "GET", `/v2/orders/${stop.id}`)).body.status, "filled");

    const trail = (await call(fake, "POST", "/v2/orders", {
      ...buy("AAPL", "1"),
      side: "sell",
      type: "trailing_stop",
      trail_price: "5",
    })).body;
    assert.equal(trail.hwm, "179");
    assert.equal(trail.stop_price, "174");
    fake.setPrice("AAPL", 190);
    const raised = (await call(fake, "GET", `/v2/orders/${trail.id}`)).body;
    assert.equal(raised.hwm, "190");
    assert.equal(raised.stop_price, "185");
    fake.setPrice("AAPL", 184.9);
    assert.equal((await call(fake, "GET", `/v2/orders/${trail.id}`)).body.status, "filled");
    assert.equal((await call(fake, "GET", "/v2/positions/AAPL")).status, 404);
  });
});

Deno.test("replace: new id linked both ways, old becomes replaced; filled is not replaceable", async () => {
  await withFake({ prices: { AAPL: 190 } }, async (fake) => {
    const old = (await call(fake, "POST", "/v2/orders", {
      ...buy("AAPL", "3"),
      type: "limit",
      limit_price: "150",
    })).body;
    const onlyId = await call(fake, "PATCH", `/v2/orders/${old.id}`, { client_order_id: "new-id" });
    assert.equal(onlyId.status, 422);
    const res = await call(fake, "PATCH", `/v2/orders/${old.id}`, {
      limit_price: "155",
      qty: "4",
      client_order_id: "new-id",
    });
    assert.equal(res.status, 200);
    assert.notEqual(res.body.id, old.id);
    assert.equal(res.body.replaces, old.id);
    assert.equal(res.body.client_order_id, "new-id");
    assert.equal(res.body.limit_price, "155");
    assert.equal(res.body.qty, "4");
    assert.equal(res.body.status, "new");
    const before = (await call(fake, "GET", `/v2/orders/${old.id}`)).body;
    assert.equal(before.status, "replaced");
    assert.equal(before.replaced_by, res.body.id);
    assert.match(before.replaced_at, NS_TIME);
    assert.equal(
      (await call(fake, "PATCH", `/v2/orders/${old.id}`, { limit_price: "1" })).status,
      422,
    );

    const market = (await call(fake, "POST", "/v2/orders", buy("AAPL", "1"))).body;
    const filled = await call(fake, "PATCH", `/v2/orders/${market.id}`, { qty: "2" });
    assert.equal(filled.status, 422);
    assert.equal(filled.body.code, 40010001);
  });
});

Deno.test("cancel: 204 with an empty body, then canceled; filled 422; unknown 404; bad id 422", async () => {
  await withFake({}, async (fake) => {
    const order = (await call(fake, "POST", "/v2/orders", {
      ...buy("AAPL", "1"),
      type: "limit",
      limit_price: "100",
    })).body;
    const res = await call(fake, "DELETE", `/v2/orders/${order.id}`);
    assert.equal(res.status, 204);
    assert.equal(res.text, "");
    const after = (await call(fake, "GET", `/v2/orders/${order.id}`)).body;
    assert.equal(after.status, "canceled");
    assert.match(after.canceled_at, NS_TIME);

    const filled = (await call(fake, "POST", "/v2/orders", buy("AAPL", "1"))).body;
    const again = await call(fake, "DELETE", `/v2/orders/${filled.id}`);
    assert.equal(again.status, 422);
    assert.equal(again.body.code, 40010001);

    const unknown = await call(fake, "DELETE", `/v2/orders/${crypto.randomUUID()}`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { code: 40410000, message: "order not found" });
    const bad = await call(fake, "GET", "/v2/orders/not-a-uuid");
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body, { code: 40010001, message: "order_id is missing" });
  });
});

Deno.test("cancel all answers 207 with one integer status per open order", async () => {
  await withFake({}, async (fake) => {
    const ids = [];
    for (const p of ["100", "101"]) {
      ids.push(
        (await call(fake, "POST", "/v2/orders", {
          ...buy("AAPL", "1"),
          type: "limit",
          limit_price: p,
        })).body.id,
      );
    }
    await call(fake, "POST", "/v2/orders", buy("AAPL", "1")); // filled: not open
    const res = await call(fake, "DELETE", "/v2/orders");
    assert.equal(res.status, 207);
    assert.deepEqual(
      res.body.sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)),
      ids.sort().map((id) => ({ id, status: 200 })),
    );
    assert.deepEqual((await call(fake, "DELETE", "/v2/orders")).body, []);
  });
});

Deno.test("GET /v2/orders filters by status, side, symbols, time; sorts; limits", async () => {
  await withFake({}, async (fake) => {
    const open = (await call(fake, "POST", "/v2/orders", {
      ...buy("MSFT", "1"),
      type: "limit",
      limit_price: "100",
    })).body;
    const filled = (await call(fake, "POST", "/v2/orders", buy("AAPL", "1"))).body;
    const sold =
      (await call(fake, "POST", "/v2/orders", { ...buy("AAPL", "1"), side: "sell" })).body;
    const ids = async (query: string) =>
      (await call(fake, "GET", `/v2/orders${query}`)).body.map((o: { id: string }) => o.id);
    assert.deepEqual(await ids(""), [open.id]);
    assert.deepEqual(await ids("?status=closed"), [sold.id, filled.id]);
    assert.deepEqual(await ids("?status=all&direction=asc"), [open.id, filled.id, sold.id]);
    assert.deepEqual(await ids("?status=all&limit=1"), [sold.id]);
    assert.deepEqual(await ids("?status=all&side=sell"), [sold.id]);
    assert.deepEqual(await ids("?status=all&symbols=MSFT,TSLA"), [open.id]);
    const at = encodeURIComponent(filled.submitted_at);
    assert.deepEqual(await ids(`?status=all&after=${at}`), [sold.id]);
    assert.deepEqual(await ids(`?status=all&until=${at}`), [open.id]);
    for (const q of ["?limit=501", "?status=pending", "?direction=up", "?after=yesterday"]) {
      assert.equal((await call(fake, "GET", `/v2/orders${q}`)).status, 422, q);
    }
  });
});

Deno.test("positions: 404 when flat; close by percentage or qty returns the liquidation order", async () => {
  await withFake({ prices: { AAPL: 100 } }, async (fake) => {
    const flat = await call(fake, "GET", "/v2/positions/AAPL");
    assert.equal(flat.status, 404);
    assert.deepEqual(flat.body, { code: 40410000, message: "position does not exist" });
    assert.deepEqual((await call(fake, "GET", "/v2/positions")).body, []);

    await call(fake, "POST", "/v2/orders", buy("AAPL", "10"));
    assert.equal(
      (await call(fake, "DELETE", "/v2/positions/AAPL?qty=1&percentage=50")).status,
      422,
    );
    const half = await call(fake, "DELETE", "/v2/positions/AAPL?percentage=50");
    assert.equal(half.status, 200);
    assert.equal(half.body.side, "sell");
    assert.equal(half.body.qty, "5");
    assert.equal(half.body.type, "market");
    assert.equal(half.body.position_intent, "sell_to_close");
    assert.equal((await call(fake, "GET", "/v2/positions/AAPL")).body.qty, "5");
    const two = await call(fake, "DELETE", "/v2/positions/AAPL?qty=2");
    assert.equal(two.body.qty, "2");
    const rest = await call(fake, "DELETE", "/v2/positions/AAPL");
    assert.equal(rest.body.qty, "3");
    assert.equal((await call(fake, "GET", "/v2/positions/AAPL")).status, 404);
    assert.equal((await call(fake, "GET", "/v2/account")).body.cash, "100000");
  });
});

Deno.test("close all positions answers 207 per symbol", async () => {
  await withFake({ prices: { AAPL: 100, MSFT: 50 } }, async (fake) => {
    await call(fake, "POST", "/v2/orders", buy("AAPL", "1"));
    await call(fake, "POST", "/v2/orders", buy("MSFT", "2"));
    const res = await call(fake, "DELETE", "/v2/positions?cancel_orders=true");
    assert.equal(res.status, 207);
    assert.deepEqual(
      res.body.map((r: { symbol: string; status: number; body: { qty: string } }) => [
        r.symbol,
        r.status,
        r.body.qty,
      ]),
      [["AAPL", 200, "1"], ["MSFT", 200, "2"]],
    );
    assert.deepEqual(fake.positions(), []);
  });
});

Deno.test("activities: page_size and page_token page through FILLs in both directions", async () => {
  await withFake({}, async (fake) => {
    for (let i = 0; i < 3; i++) await call(fake, "POST", "/v2/orders", buy("AAPL", String(i + 1)));
    const all = (await call(fake, "GET", "/v2/account/activities")).body;
    assert.deepEqual(all.map((a: { qty: string }) => a.qty), ["3", "2", "1"]);
    const page1 = (await call(fake, "GET", "/v2/account/activities/FILL?page_size=2")).body;
    assert.deepEqual(page1, all.slice(0, 2));
    const page2 = (await call(
      fake,
      "GET",
      `/v2/account/activities/FILL?page_size=2&page_token=${encodeURIComponent(page1[1].id)}`,
    )).body;
    assert.deepEqual(page2, all.slice(2));
    const asc = (await call(fake, "GET", "/v2/account/activities?direction=asc&page_size=1")).body;
    assert.deepEqual(asc, [all[2]]);
    assert.deepEqual((await call(fake, "GET", "/v2/account/activities/DIV")).body, []);
    assert.deepEqual(
      (await call(fake, "GET", "/v2/account/activities?activity_types=FILL,DIV")).body,
      all,
    );
    assert.equal((await call(fake, "GET", "/v2/account/activities?page_size=101")).status, 422);
    assert.equal((await call(fake, "GET", "/v2/account/activities/NOPE")).status, 422);
  });
});

Deno.test("portfolio history: JSON numbers in parallel arrays, epoch seconds", async () => {
  await withFake({ prices: { AAPL: 100 }, lastEquity: 99_000 }, async (fake) => {
    await call(fake, "POST", "/v2/orders", buy("AAPL", "10"));
    fake.setPrice("AAPL", 110);
    const { status, body } = await call(fake, "GET", "/v2/account/portfolio/history?period=1D");
    assert.equal(status, 200);
    assert.equal(body.timeframe, "1Min");
    assert.equal(body.base_value, 99_000);
    assert.equal(body.timestamp.length, body.equity.length);
    assert.equal(body.profit_loss.length, body.equity.length);
    assert.equal(body.profit_loss_pct.length, body.equity.length);
    for (const t of body.timestamp) {
      assert.ok(Number.isInteger(t) && t > 1.6e9 && t < 1e10, `seconds, not ms: ${t}`);
    }
    assert.equal(body.equity.at(-1), 100_100);
    assert.equal(body.profit_loss.at(-1), 1_100);
    assert.equal(body.profit_loss_pct.at(-1), 0.01111111);
    assert.deepEqual(body.cashflow, {});
    // A clock that ticks between two readings must not drop the present from the history.
    const realNow = Date.now;
    let t = realNow();
    Date.now = () => ++t;
    try {
      const ticking = (await call(fake, "GET", "/v2/account/portfolio/history?period=1D")).body;
      assert.equal(ticking.equity.at(-1), 100_100);
    } finally {
      Date.now = realNow;
    }
    const daily = (await call(fake, "GET", "/v2/account/portfolio/history?period=1A")).body;
    assert.equal(daily.timeframe, "1D");
    assert.equal((await call(fake, "GET", "/v2/account/portfolio/history?period=2X")).status, 422);
    assert.equal(
      (await call(fake, "GET", "/v2/account/portfolio/history?period=3M&timeframe=1Min")).status,
      422,
    );
  });
});

Deno.test("clock: open by default; while closed market orders wait in accepted", async () => {
  await withFake({}, async (fake) => {
    const clock = (await call(fake, "GET", "/v2/clock")).body;
    assert.equal(clock.is_open, true);
    assert.match(clock.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}-04:00$/);
    assert.match(clock.next_close, /T16:00:00-04:00$/);
    fake.setClock({ is_open: false, next_open: "2030-01-02T09:30:00-05:00" });
    const closed = (await call(fake, "GET", "/v2/clock")).body;
    assert.equal(closed.is_open, false);
    assert.equal(closed.next_open, "2030-01-02T09:30:00-05:00");
    const order = (await call(fake, "POST", "/v2/orders", buy("AAPL", "1"))).body;
    assert.equal(order.status, "accepted");
    fake.setClock({ is_open: true });
    assert.equal((await call(fake, "GET", `/v2/orders/${order.id}`)).body.status, "filled");
  });
});

Deno.test("fillMode accepted: orders wait for fillOrder / fillAll, and cannot be replaced", async () => {
  await withFake({ fillMode: "accepted", prices: { AAPL: 100 } }, async (fake) => {
    const a = (await call(fake, "POST", "/v2/orders", buy("AAPL", "4"))).body;
    const b = (await call(fake, "POST", "/v2/orders", buy("AAPL", "1"))).body;
    assert.equal(a.status, "accepted");
    assert.equal(a.filled_at, null);
    assert.equal((await call(fake, "PATCH", `/v2/orders/${a.id}`, { qty: "5" })).status, 422);
    const partial = fake.fillOrder(a.id, { qty: 1, price: 99 });
    assert.equal(partial.status, "partially_filled");
    assert.equal(partial.filled_qty, "1");
    const full = fake.fillOrder(a.id);
    assert.equal(full.status, "filled");
    assert.equal(full.filled_qty, "4");
    assert.equal(full.filled_avg_price, "99.75");
    const fills = (await call(fake, "GET", "/v2/account/activities")).body;
    assert.deepEqual(fills.map((f: { type: string }) => f.type), ["fill", "partial_fill"]);
    assert.equal(fake.fillAll(), 1);
    assert.equal((await call(fake, "GET", `/v2/orders/${b.id}`)).body.status, "filled");
    assert.equal((await call(fake, "GET", "/v2/positions/AAPL")).body.qty, "5");
  });
});

Deno.test("rate limit: headers on every response, then 429 with the contract body", async () => {
  await withFake({ rateLimit: 3 }, async (fake) => {
    const remaining = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(fake, "GET", "/v2/clock");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("X-Ratelimit-Limit"), "3");
      remaining.push(res.headers.get("X-Ratelimit-Remaining"));
    }
    assert.deepEqual(remaining, ["2", "1", "0"]);
    const limited = await call(fake, "GET", "/v2/account");
    assert.equal(limited.status, 429);
    assert.deepEqual(limited.body, { code: 42910000, message: "rate limit exceeded" });
    const reset = Number(limited.headers.get("X-Ratelimit-Reset"));
    assert.ok(reset > Date.now() / 1000 && reset <= Date.now() / 1000 + 61, `reset ${reset}`);
    assert.equal((await call(fake, "POST", "/v2/orders", buy("AAPL", "1"))).status, 429);
    assert.equal(fake.orders().length, 0);
  });
  await withFake({ rateLimit: 1, rateWindowMs: 50 }, async (fake) => {
    assert.equal((await call(fake, "GET", "/v2/clock")).status, 200);
    assert.equal((await call(fake, "GET", "/v2/clock")).status, 429);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal((await call(fake, "GET", "/v2/clock")).status, 200);
  });
});

Deno.test("faults before commit: 5xx, 429, hang and drop store no order", async () => {
  await withFake({}, async (fake) => {
    fake.fail(1, 500);
    fake.fail(1, 502);
    const e500 = await call(fake, "POST", "/v2/orders", buy("AAPL", "1"));
    assert.equal(e500.status, 500);
    assert.deepEqual(e500.body, { code: 50010000, message: "internal server error" });
    const e502 = await fetch(`${fake.url}/v2/account`, { headers: fake.headers });
    assert.equal(e502.status, 502);
    assert.match(await e502.text(), /Bad Gateway/);

    fake.fail(1, 429, { resetMs: 5000 });
    const limited = await call(fake, "GET", "/v2/account");
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("X-Ratelimit-Remaining"), "0");

    fake.fail(1, "hang", { method: "POST", path: "/v2/orders" });
    const started = Date.now();
    await assert.rejects(
      call(fake, "POST", "/v2/orders", buy("AAPL", "1"), { signal: AbortSignal.timeout(150) }),
    );
    assert.ok(Date.now() - started >= 140);

    fake.fail(1, "drop");
    const dropped = await fetch(`${fake.url}/v2/orders`, {
      method: "POST",
      headers: fake.headers,
      body: JSON.stringify(buy("AAPL", "1")),
    });
    await assert.rejects(dropped.json());

    assert.equal(fake.orders().length, 0);
    assert.deepEqual(fake.requests.map((r) => r.fault), [500, 502, 429, "hang", "drop"]);
  });
});

Deno.test("faults after commit: the order exists although the client saw an error", async () => {
  await withFake({}, async (fake) => {
    fake.fail(1, "500-after-commit", { method: "POST", path: "/v2/orders" });
    // The filter leaves other requests alone.
    assert.equal((await call(fake, "GET", "/v2/account")).status, 200);
    const body = buy("AAPL", "1", { client_order_id: "retry-me" });
    const first = await call(fake, "POST", "/v2/orders", body);
    assert.equal(first.status, 500);
    assert.equal(fake.orders().length, 1);
    // The safe retry: same id ⇒ 422 proves it landed; lookup finds it.
    assert.equal((await call(fake, "POST", "/v2/orders", body)).status, 422);
    const found = await call(fake, "GET", "/v2/orders:by_client_order_id?client_order_id=retry-me");
    assert.equal(found.body.status, "filled");

    fake.fail(1, "hang-after-commit", { method: "POST" });
    await assert.rejects(call(fake, "POST", "/v2/orders", buy("AAPL", "1"), {
      signal: AbortSignal.timeout(100),
    }));
    assert.equal(fake.orders().length, 2);

    fake.fail(1, "drop-after-commit", { method: "POST" });
    const dropped = await fetch(`${fake.url}/v2/orders`, {
      method: "POST",
      headers: fake.headers,
      body: JSON.stringify(buy("AAPL", "1")),
    });
    await assert.rejects(dropped.json());
    assert.equal(fake.orders().length, 3);

    fake.fail(1, "503-after-commit", { method: "DELETE" });
    const open = (await call(fake, "POST", "/v2/orders", {
      ...buy("AAPL", "1"),
      type: "limit",
      limit_price: "1",
    })).body;
    assert.equal((await call(fake, "DELETE", `/v2/orders/${open.id}`)).status, 503);
    assert.equal(fake.orders().find((o) => o.id === open.id)?.status, "canceled");
  });
});

Deno.test("late fault: the real answer arrives after delayMs, order already stored meanwhile", async () => {
  await withFake({ delayMs: 300 }, async (fake) => {
    fake.fail(1, "late", { path: "/v2/orders" });
    const started = Date.now();
    let answered = false;
    const pending = call(fake, "POST", "/v2/orders", buy("AAPL", "1")).finally(() => {
      answered = true;
    });
    await until(() => fake.orders().length === 1, "the order to be stored");
    assert.equal(answered, false, "stored before the answer");
    const res = await pending;
    assert.ok(Date.now() - started >= 290, "answered late");
    assert.equal(res.status, 200);
    assert.equal(res.body.id, fake.orders()[0].id);

    fake.fail(1, "late", { delayMs: 10_000 });
    await assert.rejects(call(fake, "GET", "/v2/account", undefined, {
      signal: AbortSignal.timeout(100),
    }));
  });
});

Deno.test("a hung request does not keep close() waiting, and fail(n) counts n requests", async () => {
  const fake = await startFakeAlpaca();
  fake.fail(2, 503);
  assert.equal((await call(fake, "GET", "/v2/clock")).status, 503);
  assert.equal((await call(fake, "GET", "/v2/clock")).status, 503);
  assert.equal((await call(fake, "GET", "/v2/clock")).status, 200);
  fake.fail(1, "hang");
  const hung = fetch(`${fake.url}/v2/clock`, { headers: fake.headers }).then(
    (r) => r.body?.cancel(),
    () => undefined,
  );
  await until(() => fake.requests.at(-1)?.fault === "hang", "the request to reach the fake");
  await fake.close();
  await hung;
});

Deno.test("requests log records method, path, query and parsed body", async () => {
  await withFake({}, async (fake) => {
    await call(fake, "GET", "/v2/orders?status=all&limit=5");
    await call(fake, "POST", "/v2/orders", buy("AAPL", "1"));
    const [list, post] = fake.requests;
    assert.equal(list.method, "GET");
    assert.equal(list.path, "/v2/orders");
    assert.deepEqual(list.query, { status: "all", limit: "5" });
    assert.equal(list.body, null);
    assert.equal(list.status, 200);
    assert.deepEqual(post.body, buy("AAPL", "1"));
    assert.ok(post.at >= list.at);
  });
});
