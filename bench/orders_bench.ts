/**
 * One `PaperBroker.submit` (no HTTP): the pre-trade reads, the transaction that inserts, checks
 * and fills the order, and the equity snapshot after the fill. Market one-share orders, buys
 * and sells alternating on a held position, so cash and the position move but never run out.
 *
 *     deno bench -A bench/orders_bench.ts
 *     TEST_DATABASE_URL=postgres://root@127.0.0.1:5432/test deno bench -A bench/orders_bench.ts
 *
 * Measured 2026-11-24 on the shared dev machine (2 cores, Deno 2.9.6, PostgreSQL on the same
 * box), the second command (avg per call); "before" is d140149 measured the same hour:
 *
 *   submit market order, pglite (disk)         7.7 ms   (before 11.3 ms)
 *   submit market order, pglite (memory)       5.7 ms   (before  7.5 ms)
 *   submit market order, postgres server       6.4 ms   (before  9.9 ms)
 *   submit a known clientOrderId: pglite disk 0.49 ms, memory 0.36 ms, server 0.24 ms
 *
 * One filled submit was 15 statements plus BEGIN/COMMIT; it is now 4 plus BEGIN/COMMIT
 * (bench/orders_statements.ts counts them): the key lookup before the transaction; then the
 * account lock, one statement that inserts the order and reads settings, positions, open orders
 * and the last equity, and one that books the fill with its equity point. At ~0.3–0.8 ms each
 * (PGlite) statements are the cost. Measured 2026-12-04, the commit before (f69ca55) and after
 * run one after the other on the shared machine (load average 1.8, busy: compare, do not quote):
 *
 *   submit market order, pglite (disk)         8.2 ms   (before 13.2 ms)
 *   submit market order, pglite (memory)       6.2 ms   (before 11.6 ms)
 *   submit a known clientOrderId: pglite disk 0.75 ms (before 0.69), memory 0.50 ms (0.42)
 */
import { PaperBroker } from "../lib/broker/paper/broker.ts";
import type { OrderRequest } from "../lib/broker/types.ts";
import type { Database } from "../lib/db/mod.ts";
import { openPglite } from "../lib/db/pglite.ts";
import { migrate } from "../lib/db/migrate.ts";
import { openPostgres } from "../lib/db/postgres.ts";
import { createServerDatabase, freshPglite, testServerUrl } from "../lib/db/testing.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { updateSettings } from "../lib/settings.ts";

const market = openReplayForTest();
await market.quotes(["AAPL"]); // warm: the replay day is simulated once

/** A user with room for the run, holding 100 AAPL so sells never go short. */
async function trader(db: Database): Promise<{ broker: PaperBroker; userId: number }> {
  const [{ id }] = await db.query<{ id: number }>(
    `insert into users (username, email, password_hash) values ($1, $2, 'x') returning id`,
    [`bench_${crypto.randomUUID().slice(0, 8)}`, `${crypto.randomUUID()}@example.test`],
  );
  await updateSettings(db, id, {
    startingCash: 100_000_000,
    maxOrderValue: 1_000_000,
    maxPositionPercent: 100,
  });
  const broker = new PaperBroker({ db, market });
  await broker.submit(id, order("buy", 100));
  return { broker, userId: id };
}

function order(side: "buy" | "sell", qty = 1): OrderRequest {
  return {
    symbol: "AAPL",
    side,
    type: "market",
    timeInForce: "day",
    qty,
    clientOrderId: crypto.randomUUID(),
  };
}

async function register(name: string, db: Database, baseline = false) {
  const { broker, userId } = await trader(db);
  let n = 0;
  Deno.bench(`submit market order, ${name}`, { group: "submit", baseline }, async () => {
    const r = await broker.submit(userId, order(n++ % 2 === 0 ? "buy" : "sell"));
    if (r.order.status !== "filled") throw new Error(`order ${r.order.status}`);
  });
  const dup = order("buy");
  await broker.submit(userId, dup);
  Deno.bench(`submit a known clientOrderId (duplicate), ${name}`, { group: "dup" }, async () => {
    if (!(await broker.submit(userId, dup)).duplicate) throw new Error("not a duplicate");
  });
}

const dataDir = await Deno.makeTempDir({ prefix: "paiid-orders-bench-" });
const disk = await openPglite(`${dataDir}/pg`);
await migrate(disk);
await register("pglite (disk)", disk, true);
await register("pglite (memory)", await freshPglite());
let dropServer: string | undefined;
if (testServerUrl()) {
  const server = await createServerDatabase();
  const url = new URL(server.url);
  const schema = url.searchParams.get("search_path");
  dropServer = schema
    ? `drop schema if exists ${schema} cascade`
    : `drop database if exists ${url.pathname.slice(1)} with (force)`;
  const pg = openPostgres(server.url, { poolSize: 4 });
  await migrate(pg);
  await register("postgres server", pg);
}

// Deno.bench has no teardown, and `deno bench` exits right after the unload event without
// waiting for promises: the throwaway database is dropped by a child process, synchronously.
globalThis.addEventListener("unload", () => {
  Deno.removeSync(dataDir, { recursive: true });
  if (!dropServer) return;
  const code = `import postgres from "postgres";
    const sql = postgres(${JSON.stringify(testServerUrl())}, { max: 1, onnotice: () => {} });
    await sql.unsafe(${JSON.stringify(dropServer)});
    await sql.end();`;
  new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "null",
  }).outputSync();
});
