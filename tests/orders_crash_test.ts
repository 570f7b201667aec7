/**
 * A process killed (SIGKILL) while orders are being placed: after a restart on the same data,
 * no acknowledged order is lost, no order is duplicated when every key is sent again, every
 * order is filled, and the paper ledger balances to the cent.
 *
 * The real `main.ts` runs as a child (replay market open now, so market orders fill at once);
 * 32 clients send 300 one-share market buys (each with its own clientOrderId, each client its
 * next as soon as the last is answered) and the app is killed the moment the 50th answer has
 * arrived, with up to 32 requests still in flight. Variants: embedded PGlite persisted in DATA_DIR
 * (always), and a fresh database on the server in TEST_DATABASE_URL (when set).
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { openDatabase } from "../lib/db/mod.ts";
import { createServerDatabase, testServerUrl } from "../lib/db/testing.ts";
import { openReplayEnv } from "./_replay_env.ts";
import { startApp, type StartAppOptions } from "./_app_process.ts";
import { marketOrder, readLedger, signUpTrader } from "./_orders.ts";

const ORDERS = 300;
const KILL_AFTER = 50;
const CONCURRENCY = 32;
const SYMBOLS = ["AAPL", "MSFT", "KO"];

interface Outcome {
  key: string;
  symbol: string;
  /** HTTP status when a full answer arrived before the kill. */
  status?: number;
  orderId?: string;
}

async function killMidStream(dataDir: string, databaseUrl: string) {
  // Our dataDir, so the restart finds the first run's data and startApp removes nothing.
  const options: StartAppOptions = {
    dataDir,
    env: {
      ...openReplayEnv(),
      // Empty = unset: the embedded database even when this process's environment names a server.
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "warn",
      RATE_LIMIT_PER_MINUTE: "1000000",
    },
  };

  const first = await startApp(options);
  let trader;
  const outcomes: Outcome[] = Array.from({ length: ORDERS }, (_, i) => ({
    key: crypto.randomUUID(),
    symbol: SYMBOLS[i % SYMBOLS.length],
  }));
  let answered = 0;
  let inFlightAtKill = -1;
  const failedBeforeKill: string[] = [];
  try {
    trader = await signUpTrader(first.url, `crash_${crypto.randomUUID().slice(0, 8)}`);
    const headers = trader.headers;
    // CONCURRENCY clients, each sending its next order as soon as the last one is answered.
    let next = 0;
    let sent = 0;
    const client = async () => {
      while (next < ORDERS && inFlightAtKill < 0) {
        const o = outcomes[next++];
        sent++;
        let res: Response;
        let body;
        try {
          res = await fetch(`${first.url}/api/orders`, {
            method: "POST",
            headers,
            body: JSON.stringify(marketOrder(o.symbol, o.key)),
          });
          // Acknowledged only once the whole answer is in: a body cut off by the kill is not.
          body = await res.json();
        } catch (err) {
          if (inFlightAtKill < 0) failedBeforeKill.push(`${o.key}: ${err}`);
          return;
        }
        o.status = res.status;
        o.orderId = body.order?.id;
        if (++answered === KILL_AFTER) {
          inFlightAtKill = sent - answered;
          first.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const status = await first.exited;
    equal(status.signal, "SIGKILL", `the app should have been killed:\n${first.logs()}`);
  } finally {
    await first.stop();
  }
  ok(trader);

  deepEqual(failedBeforeKill, [], "no request failed before the kill");
  const acked = outcomes.filter((o) => o.status !== undefined);
  // Before the kill nothing was refused or failed: every answer placed an order.
  for (const o of acked) equal(o.status, 201, `${o.key} answered ${o.status}`);
  ok(acked.length >= KILL_AFTER && acked.length < ORDERS, `acknowledged ${acked.length}`);
  ok(inFlightAtKill > 0, "the kill came while requests were in flight");

  // A restart on the same data must come up: a crash may not leave the database unusable.
  const second = await startApp(options);
  let retried;
  try {
    const headers = trader.headers;
    retried = await Promise.all(outcomes.map(async (o) => {
      const res = await fetch(`${second.url}/api/orders`, {
        method: "POST",
        headers,
        body: JSON.stringify(marketOrder(o.symbol, o.key)),
      });
      return { status: res.status, body: await res.json() };
    }));
    outcomes.forEach((o, i) => {
      const r = retried![i];
      ok(r.status === 200 || r.status === 201, `${o.key}: ${r.status} ${JSON.stringify(r.body)}`);
      equal(r.body.order.clientOrderId, o.key);
      equal(r.body.order.status, "filled", `${o.key} is ${r.body.order.status}`);
      if (o.status !== undefined) {
        // Acknowledged before the crash: the same order, found, not placed again.
        equal(r.status, 200, `acknowledged ${o.key} was placed again`);
        equal(r.body.duplicate, true);
        equal(r.body.order.id, o.orderId);
      }
    });
    for (const o of acked) {
      const res = await fetch(`${second.url}/api/orders/${o.orderId}`, { headers });
      const body = await res.json();
      equal(res.status, 200, `GET /api/orders/${o.orderId}: ${JSON.stringify(body)}`);
      equal(body.order.id, o.orderId);
      equal(body.order.clientOrderId, o.key);
    }
    const list = await fetch(`${second.url}/api/orders?status=all&limit=500`, { headers });
    const { orders } = await list.json() as { orders: { clientOrderId: string; status: string }[] };
    equal(orders.length, ORDERS, "one order per clientOrderId, no more, no fewer");
    deepEqual(
      new Set(orders.map((o) => o.clientOrderId)),
      new Set(outcomes.map((o) => o.key)),
    );
    ok(orders.every((o) => o.status === "filled"));
  } finally {
    await second.stop();
  }
  const second201 = retried.filter((r) => r.status === 201).length;
  const committedUnacked = ORDERS - acked.length - second201;
  console.log(
    `[orders_crash] ${databaseUrl ? "server" : "pglite"}: ${acked.length} acknowledged, ` +
      `${inFlightAtKill} in flight at the kill; after restart ${committedUnacked} unacknowledged ` +
      `were already committed (200 duplicate), ${second201} placed anew (201)`,
  );

  // The books, read straight from the database with the app stopped.
  const db = await openDatabase({ url: databaseUrl || undefined, dataDir, poolSize: 1 });
  try {
    const l = await readLedger(db, trader.userId);
    equal(l.orders, ORDERS);
    equal(l.distinctKeys, ORDERS);
    equal(l.filled, ORDERS);
    equal(l.trades, ORDERS, "Σ trades = orders");
    equal(l.ordersWithoutOneTrade, 0, "every order has exactly one fill");
    equal(l.cashPlusCost, l.startingPlusRealized, "cash + Σ cost basis = starting + realized");
    equal(l.tradesRealizedPl, l.realizedPl, "Σ trades.realized_pl = account realized_pl");
    equal(l.positionsOffTrades, 0, "each position's qty = Σ its trades");
  } finally {
    await db.close();
  }
}

Deno.test("SIGKILL mid-stream of orders (embedded PGlite): nothing lost, nothing doubled, ledger exact", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "paiid-crash-" });
  try {
    await killMidStream(dataDir, "");
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

Deno.test({
  name:
    "SIGKILL mid-stream of orders (PostgreSQL server): nothing lost, nothing doubled, ledger exact",
  ignore: !testServerUrl(),
  fn: async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "paiid-crash-" });
    const database = await createServerDatabase();
    try {
      await killMidStream(dataDir, database.url);
    } finally {
      await database.drop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
