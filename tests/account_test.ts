/**
 * The account's own data: the export holds exactly the user's rows and no secret, every table
 * with a user_id is accounted for, and deleting the account removes its rows and ends its
 * sessions while another user's stay.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { type SignedIn, signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { EXPORTED, NOT_EXPORTED } from "../lib/account/export.ts";

async function withApp(fn: (t: TestApp) => Promise<void>) {
  const t = await openTestApp({}, { market: () => openReplayForTest() });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

/** A user with something in most tables: settings, a watchlist, an alert, an order and a fill. */
async function busyUser(t: TestApp): Promise<SignedIn> {
  const me = await signUp(t.app);
  const s = { t, bearer: me.bearer };
  const ok = (r: { status: number; body: unknown }, status = 200) =>
    assert.equal(r.status, status, JSON.stringify(r.body));
  ok(await call(s, "PATCH", "/api/settings", { maxPositionPercent: 100, theme: "light" }));
  ok(await call(s, "POST", "/api/watchlists", { name: "Mine", symbols: ["AAPL"] }), 201);
  ok(
    await call(s, "POST", "/api/alerts", {
      symbol: "MSFT",
      condition: "price_above",
      threshold: 10_000,
    }),
    201,
  );
  const order = await call(s, "POST", "/api/orders", {
    symbol: "KO",
    side: "buy",
    type: "market",
    qty: 1,
    timeInForce: "day",
    clientOrderId: crypto.randomUUID(),
  });
  assert.ok(order.status === 201 || order.status === 200, JSON.stringify(order.body));
  ok(await call(s, "POST", "/api/auth/tokens", { name: "script" }), 201);
  return me;
}

Deno.test("the export holds exactly the user's data, and no secret", async () => {
  await withApp(async (t) => {
    const a = await busyUser(t);
    const b = await busyUser(t);
    const res = await t.app.request("/api/users/me/export", { headers: a.bearer });
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get("Content-Disposition") ?? "",
      /attachment; filename="paiid-export-/,
    );
    const text = await res.text();
    const data = JSON.parse(text);
    assert.equal(data.userId, a.user.id);
    assert.deepEqual(Object.keys(data.tables).sort(), Object.keys(EXPORTED).sort());
    assert.equal(data.tables.users[0].username, a.user.username);
    assert.equal(data.tables.watchlists[0].symbols[0], "AAPL");
    assert.equal(data.tables.price_alerts.length, 1);
    assert.ok(data.tables.orders.length >= 1);
    assert.equal(data.tables.api_tokens.length, 1);
    assert.equal(data.tables.user_settings[0].settings.theme, "light");
    for (const [table, rows] of Object.entries(data.tables) as [string, { user_id?: number }[]][]) {
      for (const row of rows) {
        if ("user_id" in row) assert.equal(row.user_id, a.user.id, table);
      }
    }
    assert.ok(!text.includes(b.user.username), "nothing of the other user");
    assert.ok(!text.includes(b.user.email));
    for (const secret of ["password_hash", "token_hash", "session_token", "$2a$", "$2b$"]) {
      assert.ok(!text.includes(secret), secret);
    }
  });
});

Deno.test("every table with a user_id is exported or says why not", async () => {
  await withApp(async (t) => {
    const rows = await t.services.db.query<{ table_name: string }>(
      `select table_name from information_schema.columns
        where table_schema = current_schema() and column_name = 'user_id' order by table_name`,
    );
    for (const { table_name } of rows) {
      assert.ok(
        table_name in EXPORTED || table_name in NOT_EXPORTED,
        `${table_name} has user rows but is not in the export`,
      );
    }
  });
});

Deno.test("deleting the account needs the typed username, removes its rows and ends its sessions", async () => {
  await withApp(async (t) => {
    const a = await busyUser(t);
    const b = await busyUser(t);
    const s = { t, bearer: a.bearer };
    const wrong = await call(s, "DELETE", "/api/users/me", { confirm: "someone else" });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.code, "confirmation_mismatch");
    const token = (await call(s, "POST", "/api/auth/tokens", { name: "second" })).body.token;
    const viaToken = await call(
      { t, bearer: { Authorization: `Bearer ${token}` } },
      "DELETE",
      "/api/users/me",
      {
        confirm: a.user.username,
      },
    );
    assert.equal(viaToken.status, 403);

    const done = await call(s, "DELETE", "/api/users/me", { confirm: a.user.username });
    assert.deepEqual(done.body, { deleted: true });
    assert.equal((await call(s, "GET", "/api/users/me")).status, 401);
    assert.equal(
      (await call({ t, bearer: { Authorization: `Bearer ${token}` } }, "GET", "/api/alerts"))
        .status,
      401,
    );
    for (const table of Object.keys(EXPORTED)) {
      const column = table === "users" ? "id" : "user_id";
      const [mine] = await t.services.db.query<{ n: number }>(
        `select count(*)::int as n from ${table} where ${column} = $1`,
        [a.user.id],
      );
      assert.equal(mine.n, 0, table);
    }
    const other = await call({ t, bearer: b.bearer }, "GET", "/api/alerts");
    assert.equal(other.body.alerts.length, 1, "the other user's data stays");
  });
});
