import assert from "node:assert/strict";
import type { Queryable } from "./database.ts";
import { withTestDatabases } from "./testing.ts";

async function addUser(db: Queryable, username: string, email: string): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    "insert into users (username, email, password_hash) values ($1, $2, 'x') returning id",
    [username, email],
  );
  return row.id;
}

withTestDatabases("the initial tables and the required indexes exist", async (db) => {
  const tables = await db.query<{ table_name: string }>(
    `select table_name from information_schema.tables
     where table_schema = current_schema() order by table_name`,
  );
  assert.deepEqual(tables.map((t) => t.table_name), [
    "ai_conversations",
    "ai_messages",
    "ai_recommendations",
    "ai_usage",
    "api_tokens",
    "audit_events",
    "backtest_runs",
    "cash_flows",
    "equity_snapshots",
    "job_runs",
    "journal_entries",
    "morning_briefs",
    "morning_checklist",
    "notifications",
    "order_legs",
    "order_templates",
    "orders",
    "paper_accounts",
    "paper_positions",
    "price_alerts",
    "proposal_events",
    "proposals",
    "saved_scans",
    "schema_migrations",
    "strategies",
    "strategy_deployments",
    "strategy_evaluations",
    "strategy_versions",
    "telemetry_events",
    "trades",
    "trading_halts",
    "user_profiles",
    "user_sessions",
    "user_settings",
    "users",
    "watchlist_symbols",
    "watchlists",
  ]);

  const indexes = await db.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes
     where schemaname = current_schema() and indexname in
       ('trades_user_id_symbol_idx', 'user_sessions_session_token_key',
        'users_username_lower_key', 'users_email_lower_key')
     order by indexname`,
  );
  assert.equal(indexes.length, 4);
  const def = Object.fromEntries(indexes.map((i) => [i.indexname, i.indexdef]));
  assert.match(def.trades_user_id_symbol_idx, /ON \S*trades USING btree \(user_id, symbol\)/);
  assert.match(
    def.user_sessions_session_token_key,
    /UNIQUE INDEX .* USING btree \(session_token\)/,
  );
  assert.match(def.users_username_lower_key, /UNIQUE INDEX .*\(lower\(username\)\)/);
  assert.match(def.users_email_lower_key, /UNIQUE INDEX .*\(lower\(email\)\)/);
});

withTestDatabases("usernames and emails are unique regardless of case", async (db) => {
  await addUser(db, "Alice", "Alice@Example.com");
  await assert.rejects(addUser(db, "alice", "other@example.com"), /users_username_lower_key/);
  await assert.rejects(addUser(db, "bob", "alice@EXAMPLE.com"), /users_email_lower_key/);
  await addUser(db, "bob", "bob@example.com");
});

withTestDatabases("users get the user role, and only admin or user", async (db) => {
  const id = await addUser(db, "carol", "carol@example.com");
  assert.deepEqual(
    await db.query("select role, last_login_at, created_at is not null as stamped from users"),
    [{ role: "user", last_login_at: null, stamped: true }],
  );
  assert.equal(typeof id, "number");
  await assert.rejects(db.query("update users set role = 'root' where id = $1", [id]), /check/);
});

withTestDatabases("deleting a user removes everything they own", async (db) => {
  const id = await addUser(db, "dave", "dave@example.com");
  const keep = await addUser(db, "erin", "erin@example.com");
  for (const owner of [id, keep]) {
    await db.query(
      "insert into user_sessions (user_id, session_token, expires_at) values ($1, $2, $3)",
      [owner, `hash-${owner}`, new Date(Date.now() + 60_000)],
    );
    await db.query("insert into strategies (user_id, name, config) values ($1, 'sma', $2)", [
      owner,
      { fast: 10, slow: 30 },
    ]);
    await db.query(
      "insert into trades (user_id, symbol, side, quantity, price) values ($1, 'AAPL', 'buy', $2, $3)",
      [owner, "0.5", "189.123456"],
    );
    await db.query(
      `insert into ai_recommendations (user_id, symbol, action, confidence, reasoning)
       values ($1, 'AAPL', 'buy', 87.5, 'momentum')`,
      [owner],
    );
  }
  await db.query("delete from users where id = $1", [id]);
  for (const table of ["user_sessions", "strategies", "trades", "ai_recommendations"]) {
    assert.deepEqual(
      await db.query(`select distinct user_id from ${table}`),
      [{ user_id: keep }],
      table,
    );
  }
});

withTestDatabases(
  "cash flows: a deposit is positive, a withdrawal negative, a reset either",
  async (db) => {
    const id = await addUser(db, "cash", "cash@example.com");
    const flow = (kind: string, amount: string) =>
      db.query("insert into cash_flows (user_id, kind, amount) values ($1, $2, $3)", [
        id,
        kind,
        amount,
      ]);
    await flow("deposit", "100.00");
    await flow("withdrawal", "-50.00");
    await flow("reset", "-1234.56");
    await assert.rejects(flow("deposit", "-1.00"), /check/);
    await assert.rejects(flow("withdrawal", "1.00"), /check/);
    await assert.rejects(flow("bonus", "1.00"), /check/);
    await db.query("delete from users where id = $1", [id]);
    assert.deepEqual(await db.query("select * from cash_flows"), []);
  },
);

withTestDatabases("trades keep exact fractional quantities and prices", async (db) => {
  const id = await addUser(db, "frank", "frank@example.com");
  const [trade] = await db.query(
    `insert into trades (user_id, symbol, side, quantity, price)
     values ($1, 'MSFT', 'sell', $2, $3) returning quantity, price, executed_at`,
    [id, "0.12345678", "412.5"],
  );
  assert.equal(trade.quantity, "0.12345678");
  assert.equal(trade.price, "412.500000");
  assert.ok(trade.executed_at instanceof Date);
  await assert.rejects(
    db.query(
      "insert into trades (user_id, symbol, side, quantity, price) values ($1, 'X', 'hold', 1, 1)",
      [id],
    ),
    /check/,
  );
  await assert.rejects(
    db.query(
      "insert into trades (user_id, symbol, side, quantity, price) values ($1, 'X', 'buy', 0, 1)",
      [id],
    ),
    /check/,
  );
});

withTestDatabases(
  "strategy config is jsonb and recommendations confidence is 0..100",
  async (db) => {
    const id = await addUser(db, "gina", "gina@example.com");
    const config = { kind: "sma-cross", fast: 10, slow: 30, symbols: ["SPY"], stop: null };
    await db.query("insert into strategies (user_id, name, config) values ($1, $2, $3)", [
      id,
      "cross",
      config,
    ]);
    assert.deepEqual(
      await db.query("select config, config->>'kind' as kind from strategies"),
      [{ config, kind: "sma-cross" }],
    );
    await assert.rejects(
      db.query("insert into strategies (user_id, name, config) values ($1, 'n', null)", [id]),
      /null value/,
    );
    const insertRec = (confidence: string) =>
      db.query(
        `insert into ai_recommendations (user_id, symbol, action, confidence)
       values ($1, 'SPY', 'hold', $2) returning confidence`,
        [id, confidence],
      );
    assert.deepEqual(await insertRec("100"), [{ confidence: "100.00" }]);
    assert.deepEqual(await insertRec("0"), [{ confidence: "0.00" }]);
    await assert.rejects(insertRec("100.01"), /check/);
    await assert.rejects(insertRec("-1"), /check/);
  },
);

withTestDatabases("session tokens are unique", async (db) => {
  const id = await addUser(db, "hank", "hank@example.com");
  const insert = () =>
    db.query(
      "insert into user_sessions (user_id, session_token, expires_at) values ($1, 'h', now())",
      [id],
    );
  await insert();
  await assert.rejects(insert(), /user_sessions_session_token_key/);
});

withTestDatabases(
  "an order that reaches an end becomes one notification, no other write does",
  async (db) => {
    const id = await addUser(db, "ivan", "ivan@example.com");
    const order = async (key: string, status: string) => {
      const [row] = await db.query<{ id: string }>(
        `insert into orders (user_id, broker, client_order_id, symbol, side, type, time_in_force,
         qty, status)
       values ($1, 'paper', $2, 'AAPL', 'buy', 'market', 'day', 2, $3) returning id`,
        [id, key, status],
      );
      return row.id;
    };
    const titles = async () =>
      (await db.query<{ title: string }>(
        "select title from notifications where user_id = $1 and kind = 'order' order by id",
        [id],
      )).map((n) => n.title);
    const setStatus = (orderId: string, status: string, extra = "") =>
      db.query(`update orders set status = $2${extra} where id = $1`, [orderId, status]);

    const a = await order("a", "accepted");
    await setStatus(a, "partially_filled", ", filled_qty = 1");
    assert.deepEqual(await titles(), [], "a new order and a partial fill notify nothing");
    await setStatus(a, "filled", ", filled_qty = 2, filled_avg_price = 81.5");
    await setStatus(a, "filled");
    await db.query("update orders set reason = 'x' where id = $1", [a]);
    assert.deepEqual(await titles(), ["Filled: buy 2 AAPL at 81.5 USD"]);

    const b = await order("b", "accepted");
    await setStatus(b, "canceled");
    await order("c", "rejected");
    assert.deepEqual(await titles(), [
      "Filled: buy 2 AAPL at 81.5 USD",
      "Cancelled: buy 2 AAPL",
      "Rejected: buy 2 AAPL",
    ]);
    // The function runs only for an order at an end: the triggers' own conditions skip the rest.
    const triggers = await db.query<{ tgname: string; when: boolean }>(
      `select tgname, pg_get_triggerdef(oid) like '%WHEN%' as "when" from pg_trigger
        where tgrelid = 'orders'::regclass and not tgisinternal order by tgname`,
    );
    assert.deepEqual(triggers, [
      { tgname: "orders_notify_end_insert", when: true },
      { tgname: "orders_notify_end_update", when: true },
    ]);
  },
);
