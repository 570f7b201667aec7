/**
 * Order submission end to end in the built-in paper broker — auth, validation, pre-trade checks,
 * fill, ledger, equity snapshot, JSON — over real HTTP on 127.0.0.1, as `main.ts` wires it
 * (openServices: replay market open now, KV cache, the paper matcher running), driven by a
 * Worker so the clients do not share the server's thread.
 *
 *     deno run -A bench/orders_load.ts [seconds=10] [concurrency=16] [users=8]
 *     TEST_DATABASE_URL=postgres://root@127.0.0.1:5432/test deno run -A bench/orders_load.ts
 *
 * PGlite persisted on disk in a temp DATA_DIR by default; with TEST_DATABASE_URL (or
 * DATABASE_URL) a throwaway database on that server. Each request is a one-share market buy
 * with a fresh clientOrderId, from the `users` signed-up users in turn.
 * After the run the ledger of every user is checked in SQL, so a fast but wrong run shows.
 *
 * Measured 2026-11-24 on the shared dev machine (2 cores, Deno 2.9.6, PostgreSQL on the same
 * box), 10 s per run after a 2 s warm-up, 8 users, `deno run -A bench/orders_load.ts 10 <c> 8`
 * with and without TEST_DATABASE_URL; runs vary by about ±15 %. "before" is d140149 measured
 * the same hour (the equity snapshot then revalued the account after every fill):
 *
 *   db               concurrency  orders/s  p50 ms  p90 ms  p99 ms  max ms  errors  before
 *   pglite (disk)         1          95       9.7    12.5    22.0    64.9     0     71/s, p50 12.9, p99 28.1
 *   postgres server       1          97       9.4    12.9    24.3    48.1     0     76/s, p50 11.9, p99 29.0
 *   pglite (disk)        16         117     135.7   166.1   189.4   239.3     0     97/s, p50 164, p99 266
 *   postgres server      16         182      86.9   107.2   131.0   152.4     0    128/s, p50 121, p99 188
 *
 * From concurrency 16 on the app's one JS thread is the ceiling more than the database; latency
 * past that is queueing (p50 ≈ concurrency / throughput).
 *
 * 2026-12-04, a filled order down from 15 SQL statements plus BEGIN/COMMIT to 4 plus BEGIN/COMMIT
 * (`deno run -A bench/orders_statements.ts`); f69ca55 ("before") and the change run back to back,
 * `10 16 8`, on the shared machine (load average 1.4–2.6 during the runs):
 *
 *   db               orders/s  p50 ms  p99 ms   before: orders/s  p50 ms  p99 ms
 *   postgres server     214      73     118               169       92     152
 *   pglite (disk)       147     108     155               114      141     208
 *
 * 2026-12-04, statements kept prepared (PGlite: named statements in lib/db/pglite.ts; postgres.js:
 * `prepare: true`), `5 <c> 8` and `5 1 1`, bc98301 ("before", with this file's CPU column) and
 * the change alternated twice on a busy shared machine (load average 2.6–5.8 during the runs,
 * 2 cores). "app CPU" is the main thread's CPU time per order, the steadier figure here:
 *
 *   db               conc.  orders/s   p50 ms     p99 ms      app CPU ms/order   before: orders/s
 *   pglite (disk)     16    317, 262   40, 52     184, 207    —                  84, 82
 *   pglite (disk)     16    460        31.7       58.4        2.16               208 (4.76 ms)   ← load 1.9
 *   postgres server   16    565, 506   27, 30     54, 55      0.88, 0.96         319, 406 (1.31, 1.11 ms)
 *   pglite (disk)      1    391, 306   2.2, 2.8   7.9, 10.9   2.10, 2.54         163, 163 (5.08, 5.09 ms)
 *   postgres server    1    234, 217   3.5, 3.7   12.3, 13.3  1.38, 1.84         251, 215 (1.53, 1.59 ms)
 *
 * The same code on a quiet machine (load average 1.0–1.2), 2026-12-05, `5 16 8` and `5 1 1`:
 *
 *   db               conc.  orders/s   p50 ms   p90 ms   p99 ms   max ms   app CPU ms/order
 *   pglite (disk)     16      480       29.9     37.0     50.8   1061.5   2.07
 *   postgres server   16      731       21.3     27.5     36.9    106.5   0.86
 *   pglite (disk)      1      413        2.3      2.7      6.2      9.6   2.16
 *   postgres server    1      413        2.2      2.6      6.7     10.5   1.12
 *
 * One order at a time on the server is bound by its commit's WAL flush (fdatasync, about 2.5 ms
 * here: a one-insert transaction 3.5 ms against 1.0 ms for a read-only one); PGlite runs with
 * fsync off (its `-F` start flag), so its commit costs a write to the OS page cache.
 *
 * On the machine of 2026-12-05's third session, quiet, `5 16 8`, 39eec38 ("before") and the tree
 * after the compression change (order answers over 1 KiB gzipped in one native call instead of
 * a CompressionStream; lib/http/compress.ts) and the cached New York offset alternated twice:
 *
 *   db               orders/s       app CPU ms/order     before: orders/s   app CPU ms/order
 *   postgres server  701, 670       0.85, 0.89           631, 595           1.03, 1.05
 *   pglite (disk)    417, 394       2.39, 2.52           401, 384           2.49, 2.57
 *
 * and `5 1 1` after: pglite 361 orders/s, p99 5.9 ms; postgres server 312 orders/s, p99 8.2 ms.
 * On PGlite about 60 % of an order's CPU is the WebAssembly Postgres running its five statements
 * (a CPU profile); on the server a fifth is the five socket writes to it.
 *
 * On the machine of 2026-12-05's fourth session (slower and noisier: the same code measured 232
 * to 376 orders/s on PGlite from one run to the next), every PGlite run had one order a second
 * wait about a second: the rate limiter made the request that fell due for its KV sync await it,
 * and under PGlite's disk writes a sweep of 24 keys, one KV commit each, took about 1,000 ms.
 * Since 9d1613a no request waits for KV and a sweep is one commit. `8 16 8`, c306f34 ("before")
 * and 9d1613a alternated twice, 10 s idle before each run (the previous run's disk writeback
 * otherwise lands on the next):
 *
 *   db               orders/s     p99 ms        max ms          app CPU ms/order
 *   pglite, before   232, 371     144.6, 75.6   1120.4, 1071.7  4.21, 2.65
 *   pglite, after    340, 427      83.9, 56.1     93.1, 92.6    2.92, 2.34
 *   server, before   425, 458      70.7, 61.5    248.4, 180.5   1.35, 1.26
 *   server, after    449, 543      63.9, 55.3     90.9, 92.2    1.31, 1.08
 *
 * On the machine of 2026-12-05's twelfth session (a Firecracker VM, loopback sends of 10–15 µs),
 * quiet (load average 1.1–1.7), `5 16 8`, twice each, with the database's own CPU beside the
 * app's (every `postgres` process, from /proc):
 *
 *   db               orders/s   p99 ms       app CPU ms/order   db CPU ms/order
 *   postgres server  447, 483   62.2, 63.5   1.23, 1.14         1.74, 1.66
 *   pglite (disk)    258, 295   103.8, 92.7  3.83, 3.37         (inside the app's)
 *
 * An order costs the machine about 2.9 ms of CPU on the server (app and PostgreSQL), so its 2
 * cores, which also run the load's clients, cannot pass about 690 orders a second however the
 * work is split; on PGlite everything is on the app's one thread, and `PaperBroker.submit` alone,
 * without HTTP, takes 2.1–4.3 ms there (`deno bench -A bench/orders_bench.ts`, same session).
 */
/// <reference lib="deno.worker" />

interface LoadJob {
  url: string;
  headers: Record<string, string>[];
  concurrency: number;
  seconds: number;
  symbols: string[];
}

interface LoadResult {
  latencies: number[];
  statuses: Record<string, number>;
  failed: number;
  seconds: number;
}

const inWorker = typeof (globalThis as Record<string, unknown>).WorkerGlobalScope !== "undefined";

if (inWorker) {
  self.onmessage = async (e: MessageEvent<LoadJob>) => self.postMessage(await load(e.data));
} else {
  await main();
}

/** Keeps `concurrency` orders in flight until the time is up; one latency per answer. */
async function load(job: LoadJob): Promise<LoadResult> {
  const until = performance.now() + job.seconds * 1000;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failed = 0;
  let n = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, async () => {
    while (performance.now() < until) {
      const i = n++;
      const headers = job.headers[i % job.headers.length];
      const body = JSON.stringify({
        symbol: job.symbols[i % job.symbols.length],
        side: "buy",
        type: "market",
        timeInForce: "day",
        qty: 1,
        clientOrderId: crypto.randomUUID(),
      });
      const t0 = performance.now();
      try {
        const res = await fetch(job.url, { method: "POST", headers, body });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 201) latencies.push(performance.now() - t0);
        else failed++;
      } catch {
        failed++;
      }
    }
  }));
  return { latencies, statuses, failed, seconds: (performance.now() - started) / 1000 };
}

/**
 * CPU time of this process's main thread, the app's (HTTP, handlers and PGlite all run on it;
 * the clients' Worker has a thread of its own), in ms: a figure that moves less than latency
 * with other load on the machine. Linux only (NaN elsewhere). A function declaration, so the
 * top-level `await main()` above may call it.
 */
function appThreadCpuMs(): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/self/task/${Deno.pid}/stat`);
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // In USER_HZ ticks, 100 a second on every common Linux build.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * CPU time of every `postgres` process on this machine (the server's backends, WAL writer,
 * checkpointer...), in ms: what the database itself spends, when it runs here, other clients'
 * work included (run it on a quiet machine). NaN when none is found (a remote server, not Linux).
 */
function postgresCpuMs(): number {
  let total = 0;
  let found = false;
  try {
    for (const entry of Deno.readDirSync("/proc")) {
      if (!/^\d+$/.test(entry.name)) continue;
      let stat: string;
      try {
        stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      } catch {
        continue; // ended meanwhile
      }
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (name !== "postgres") continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) * 10;
      found = true;
    }
  } catch {
    return NaN;
  }
  return found ? total : NaN;
}

async function main() {
  // Imported here so the Worker, which runs this same file, loads none of the app.
  const { default: manifest } = await import("../fresh.gen.ts");
  const { createApp } = await import("../lib/app.ts");
  const { loadConfig } = await import("../lib/config.ts");
  const { loadBundle } = await import("../lib/fresh/load.ts");
  const { loadStaticFiles } = await import("../lib/fresh/static.ts");
  const { createLogger } = await import("../lib/log.ts");
  const { closeServices, openServices } = await import("../lib/server.ts");
  const { createServerDatabase } = await import("../lib/db/testing.ts");
  const { openReplayEnv } = await import("../tests/_replay_env.ts");
  const { signUp } = await import("../tests/_auth.ts");
  const { readLedger } = await import("../tests/_orders.ts");

  const seconds = Math.min(60, Number(Deno.args[0] ?? 10));
  const concurrency = Math.min(256, Number(Deno.args[1] ?? 16));
  const userCount = Math.min(64, Number(Deno.args[2] ?? 8));
  const serverUrl = Deno.env.get("TEST_DATABASE_URL") || Deno.env.get("DATABASE_URL");
  if (serverUrl) Deno.env.set("TEST_DATABASE_URL", serverUrl);
  const database = serverUrl ? await createServerDatabase() : undefined;
  const dataDir = await Deno.makeTempDir({ prefix: "paiid-orders-load-" });
  try {
    await measure();
  } finally {
    await database?.drop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }

  async function measure() {
    const config = loadConfig({
      ...openReplayEnv(),
      DATA_DIR: dataDir,
      ...(database ? { DATABASE_URL: database.url } : {}),
      LOG_LEVEL: "silent",
      DENO_ENV: "test",
      AUTH_TEST_BCRYPT_COST: "4",
      RATE_LIMIT_PER_MINUTE: "100000000",
    });
    const services = await openServices(config, createLogger("silent"));
    await services.brokerService.start();
    const app = createApp({
      services,
      manifest,
      bundle: await loadBundle({ manifest }),
      staticFiles: await loadStaticFiles(new URL("../static", import.meta.url).pathname),
    });

    const users: { id: number; headers: Record<string, string> }[] = [];
    for (let i = 0; i < userCount; i++) {
      const me = await signUp(app);
      const headers = { ...me.bearer, "Content-Type": "application/json" };
      const res = await app.request("/api/settings", {
        method: "PATCH",
        headers,
        // Enough cash and room that no order of the run is refused.
        body: JSON.stringify({
          startingCash: 100_000_000,
          maxOrderValue: 1_000_000,
          maxPositionPercent: 100,
        }),
      });
      if (res.status !== 200) throw new Error(`PATCH /api/settings: ${res.status}`);
      users.push({ id: me.user.id, headers });
    }

    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    const worker = new Worker(import.meta.url, { type: "module" });
    const run = (secs: number) =>
      new Promise<LoadResult>((resolve) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.postMessage(
          {
            url: `http://127.0.0.1:${server.addr.port}/api/orders`,
            headers: users.map((u) => u.headers),
            concurrency,
            seconds: secs,
            symbols: ["AAPL", "MSFT", "KO", "JNJ", "XOM"],
          } satisfies LoadJob,
        );
      });

    await run(2); // warm-up: JIT, replay days simulated, quote cache filled
    const cpu0 = appThreadCpuMs();
    const dbCpu0 = database ? postgresCpuMs() : NaN;
    const r = await run(seconds);
    const cpu = appThreadCpuMs() - cpu0;
    const dbCpu = postgresCpuMs() - dbCpu0;
    const sorted = r.latencies.toSorted((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    const kind = database ? "postgres server" : "pglite (disk)";
    console.log(
      `${kind}: ${userCount} users, concurrency ${concurrency}, ${r.seconds.toFixed(1)} s`,
    );
    console.table({
      [kind]: {
        "orders/s": Math.round(sorted.length / r.seconds),
        "p50 ms": +pct(0.5).toFixed(1),
        "p90 ms": +pct(0.9).toFixed(1),
        "p99 ms": +pct(0.99).toFixed(1),
        "max ms": +sorted[sorted.length - 1].toFixed(1),
        errors: r.failed,
        "app CPU ms/order": Number.isNaN(cpu) ? "n/a" : +(cpu / sorted.length).toFixed(2),
        ...(database
          ? {
            "db CPU ms/order": Number.isNaN(dbCpu) ? "n/a" : +(dbCpu / sorted.length).toFixed(2),
          }
          : {}),
      },
    });
    console.log(`load average ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    if (r.failed) console.log("statuses", r.statuses);

    // Under load the books must still balance.
    let orders = 0;
    for (const u of users) {
      const l = await readLedger(services.db, u.id);
      orders += l.orders;
      const fine = l.cashPlusCost === l.startingPlusRealized && l.trades === l.orders &&
        l.filled === l.orders && l.positionsOffTrades === 0;
      if (!fine) console.error(`ledger of user ${u.id} is off`, l);
    }
    console.log(`${orders} orders in the database, every ledger checked`);

    worker.terminate();
    await server.shutdown();
    await closeServices(services);
  }
}
