/**
 * Quote latency to many connected SSE clients: from the moment the upstream stream yields a
 * quote (a tick) to the moment each client reads it, through the whole app on 127.0.0.1.
 * The clients run in a Worker; times are wall-clock (timeOrigin + now) on both sides.
 *
 *     deno run -A bench/stream_load.ts [clients=1000] [seconds=10] [--no-front | --bare]
 *
 * The app is served as `deno task start` serves it: behind the header-deadline front
 * (lib/http/header_deadline.ts, HEADER_TIMEOUT_MS=10000), which relays every frame through a
 * loopback hop. `--no-front` serves it with a plain Deno.serve, as HEADER_TIMEOUT_MS=0 (behind
 * a reverse proxy that enforces header timeouts) or Deno Deploy do. The figures quoted below
 * up to the dated line on the front were taken without it.
 *
 * Source: the real replay at speed 30 in an open session, one new AAPL quote every 100 ms.
 * Bounded by `clients` (≤ 2,000) and `seconds` (≤ 60).
 *
 * The clients are raw TCP sockets (bench/_load_worker.ts): the fetch-based client this file
 * used before could not keep up with 10,000 frames a second and measured its own backlog.
 * Besides the latencies it prints the server's main-thread CPU per tick (Linux schedstat of the
 * thread Deno.serve, the app and the hub share), the figure to drive down on a shared machine.
 *
 * Printed by `deno run -A bench/stream_load.ts 1000 5` on the 2-core development machine while
 * other benchmarks ran on it (load average 7.6–8.8), 2026-12-04, three runs alternating with
 * the previous SSE body (HubClient.next() awaited per update, sync pull):
 *
 *     before: server main thread: 17.8 / 13.9 / 14.7 ms CPU per tick
 *             p50 46.2 / 35.6 / 36.8 ms, p99 199.2 / 120.5 / 112.8 ms
 *     after:  server main thread: 12.6 / 11.8 / 11.2 ms CPU per tick
 *             (third run) 1000 clients (0 failed to connect), 48150 deliveries of 58 ticks:
 *             p50 29.2 / 24.0 / 28.6 ms, p99 115.5 / 124.5 / 99.1 ms
 *
 * At that load the latencies mostly measure the other processes (the client thread misses its
 * core; 48,150 of ~49,000 possible deliveries means slow clients were skipped to the newest).
 * What remains per client and tick, 11–13 µs of main-thread CPU, is mostly the runtime's:
 * Deno's JS pump per streamed chunk, hyper, and one loopback sendto each (much of it
 * kernel time in a perf profile); the route's and the hub's share is under 1 µs.
 * bench/stream_fanout.ts measures the route's and the hub's side alone.
 *
 * On a quiet machine (load average about 1.4), 2026-12-05, `deno run -A bench/stream_load.ts
 * 1000 5` behind the front, then with `--no-front`:
 *
 *     front:    49084 deliveries of 56 ticks: p50 24.8 ms, p99 44.2 ms, max 214.7 ms;
 *               server main thread 28.4 ms CPU per tick
 *     no front: 49023 deliveries of 54 ticks: p50 10.7 ms, p99 25.5 ms, max 115.3 ms;
 *               server main thread 10.9 ms CPU per tick
 *
 * The front relayed every frame (the inner server's write, the front's read and its write),
 * about 17 µs per client and tick on top of the 11 µs the runtime itself costs. Since then the
 * front answers the quote stream itself (lib/http/direct_response.ts). Same command, three runs,
 * load average 1.4–1.5, 2026-12-05:
 *
 *     front:    p50 12.1 / 13.0 / 10.7 ms, p99 27.9 / 29.9 / 19.5 ms;
 *               server main thread 11.6 / 11.9 / 10.1 ms CPU per tick
 *
 * On the slower VM of 2026-12-05's second session (the in-process request chain of
 * bench/request_chain.ts 90 µs there against 25 µs on the machine above), quiet, `deno run -A
 * bench/stream_load.ts 1000 10`: 99041 deliveries of 110 ticks: p50 18.7 ms, p99 47.4 ms, max
 * 123.8 ms; server main thread 20.2 ms CPU per tick (20.2 µs per client write).
 *
 * On the machine of 2026-12-05's third session, quiet, after the front started pushing each
 * frame straight to the socket (lib/http/push_body.ts), `deno run -A bench/stream_load.ts 1000
 * 10` alternated with `--bare` (no app: a loop writing the same size of frame to each socket):
 *
 *     app:  p50 12.8 / 12.8 ms, p99 24.5 / 29.1 ms; 11.0 / 11.2 µs CPU per client write
 *     bare: p50 10.7 / 11.5 ms, p99 27.0 / 30.0 ms;  9.5 / 10.0 µs CPU per client write
 *
 * The app is at the floor of this machine: one thread writing 1,000 loopback sockets takes
 * 10-20 ms of wall time per tick whatever writes, and the client thread reads them as they
 * come. The push path against reading the body as a stream, alternated three times with
 * `1000 8`: 12.5 / 12.4 / 11.6 against 13.7 / 12.9 / 13.6 µs CPU per client write.
 *
 * On the machine of 2026-12-05's twelfth session (a Firecracker VM), quiet, `1000 10` alternated
 * with `--bare`, twice:
 *
 *     app:  p50 14.1 / 16.5 ms, p99 35.3 / 40.2 ms; 12.7 µs CPU per client write (first run)
 *     bare: p50 14.6 / 15.4 ms, p99 37.9 / 48.6 ms; 13.9 µs CPU per client write (first run)
 *
 * The floor itself, no app, is twice the goal of 20 ms here.
 */
import { closeTestPglitePool, openTestApp } from "../tests/_harness.ts";
import { serveWithHeaderDeadline } from "../lib/http/header_deadline.ts";
import { isEventStreamRequest } from "../lib/server.ts";
import { signUp } from "../tests/_auth.ts";
import { openLiveReplayForTest } from "../lib/market/testing.ts";
import type { MarketData, QuoteStream } from "../lib/market/types.ts";

const positional = Deno.args.filter((a) => !a.startsWith("--"));
const clients = Math.min(2_000, Number(positional[0] ?? 1_000));
const seconds = Math.min(60, Number(positional[1] ?? 10));
const wallNow = () => performance.timeOrigin + performance.now();

/**
 * CPU time of the main thread (the server's: Deno.serve, the app and the hub share it; the
 * clients run on the Worker's), ms, from Linux's per-thread schedstat; null elsewhere. On a
 * shared machine this moves far less than the latencies do.
 */
function serverCpuMs(): number | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/self/task/${Deno.pid}/schedstat`);
    return Number(stat.split(" ")[0]) / 1e6;
  } catch {
    return null;
  }
}

/** When each quote left the upstream stream, by `symbol|timestamp|last`. */
const ticks = new Map<string, number>();

function timed(inner: MarketData): MarketData {
  return Object.assign(Object.create(inner), {
    stream(symbols: string[], signal?: AbortSignal): QuoteStream {
      const s = inner.stream(symbols, signal);
      return {
        close: () => s.close(),
        [Symbol.asyncIterator]() {
          const it = s[Symbol.asyncIterator]();
          return {
            async next() {
              const r = await it.next();
              if (!r.done && r.value.type === "quote") {
                const q = r.value.quote;
                const key = `${q.symbol}|${q.timestamp}|${q.last}`;
                if (!ticks.has(key)) ticks.set(key, wallNow());
              }
              return r;
            },
            return: () => it.return?.() ?? Promise.resolve({ done: true, value: undefined }),
          };
        },
      };
    },
  });
}

/**
 * `--bare`: no app, the floor under it. A plain socket server that answers every connection with
 * an event-stream head and then, every 100 ms, writes one quote frame to each client in a loop:
 * the same client, the same frame size, one write per client and tick, nothing else.
 */
function bareFanOut(): { addr: Deno.NetAddr; shutdown(): Promise<void> } {
  const encoder = new TextEncoder();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const busy = new Set<Deno.Conn>();
  const all = new Set<Deno.Conn>();
  const head = encoder.encode(
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
  );
  (async () => {
    for await (const conn of listener) {
      all.add(conn);
      (async () => {
        const buf = new Uint8Array(4096);
        let got = "";
        while (!got.includes("\r\n\r\n")) {
          const n = await conn.read(buf);
          if (n === null) return;
          got += new TextDecoder().decode(buf.subarray(0, n));
        }
        await conn.write(head);
        conns.add(conn);
      })().catch(() => {});
    }
  })().catch(() => {});
  let seq = 0;
  const timer = setInterval(() => {
    const q = {
      symbol: "AAPL",
      description: "Apple Inc.",
      last: 100 + (seq % 1000) / 100,
      bid: 99.99,
      ask: 100.01,
      timestamp: new Date().toISOString(),
      source: "bare",
    };
    ticks.set(`${q.symbol}|${q.timestamp}|${q.last}`, wallNow());
    const frame = encoder.encode(`event: quote\ndata: ${JSON.stringify(q)}\nid: ${seq++}\n\n`);
    // A connection still writing an earlier frame skips this one, as the app's newest-only
    // clients do; the rest get the whole frame.
    for (const conn of conns) {
      if (busy.has(conn)) continue;
      busy.add(conn);
      (async () => {
        for (let off = 0; off < frame.length;) off += await conn.write(frame.subarray(off));
      })().then(() => busy.delete(conn), () => conns.delete(conn));
    }
  }, 100);
  return {
    addr: listener.addr as Deno.NetAddr,
    shutdown() {
      clearInterval(timer);
      listener.close();
      for (const conn of all) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
      return Promise.resolve();
    },
  };
}

const bare = Deno.args.includes("--bare");
const front = !Deno.args.includes("--no-front");
const replay = bare ? null : await openLiveReplayForTest(30, 5, { streamIntervalMs: 100 });
const t = replay
  ? await openTestApp({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MINUTE: "100000000" }, {
    market: () => timed(replay),
  })
  : null;
const user = t ? await signUp(t.app) : { bearer: {} };
const server = !t ? bareFanOut() : front
  ? serveWithHeaderDeadline(
    {
      hostname: "127.0.0.1",
      port: 0,
      headerTimeoutMs: 10_000,
      onListen() {},
      direct: isEventStreamRequest,
    },
    t.app.fetch,
  )
  : Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, t.app.fetch);
console.log(
  !t
    ? "no app: a bare loop writing each frame to every socket (--bare)"
    : front
    ? "served behind the header-deadline front"
    : "served by a plain Deno.serve",
);
const url = `http://127.0.0.1:${server.addr.port}/api/stream/quotes?symbols=AAPL`;

const worker = new Worker(new URL("./_load_worker.ts", import.meta.url), { type: "module" });
/** The measuring window: wall clock and main-thread CPU at its start and end. */
const span = { from: 0, to: 0, cpuFrom: null as number | null, cpuTo: null as number | null };
const result = await new Promise<{ receipts: [string, number][]; failed: number }>((resolve) => {
  worker.onmessage = (e) => {
    if ("connected" in e.data) {
      console.log(`${e.data.connected} SSE clients connected; measuring for ${seconds} s`);
      span.from = wallNow();
      span.cpuFrom = serverCpuMs();
      // Sampled here rather than on the answer: closing 1,000 connections is not fan-out work.
      setTimeout(() => {
        span.to = wallNow();
        span.cpuTo = serverCpuMs();
      }, seconds * 1000);
      return;
    }
    resolve(e.data);
  };
  worker.postMessage({ kind: "sse", url, headers: user.bearer, clients, seconds });
});

const latencies: number[] = [];
const keys = new Map<string, string>();
for (const [data, at] of result.receipts) {
  let key = keys.get(data);
  if (key === undefined) {
    const q = JSON.parse(data);
    key = `${q.symbol}|${q.timestamp}|${q.last}`;
    keys.set(data, key);
  }
  const tick = ticks.get(key);
  if (tick !== undefined) latencies.push(at - tick);
}
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
console.log(
  `${clients} clients (${result.failed} failed to connect), ${latencies.length} deliveries ` +
    `of ${ticks.size} ticks: p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, ` +
    `max ${latencies.at(-1)!.toFixed(1)} ms`,
);
const ticksInWindow = [...ticks.values()].filter((at) => at >= span.from && at < span.to);
if (span.cpuFrom !== null && span.cpuTo !== null && ticksInWindow.length > 0) {
  const perTick = (span.cpuTo - span.cpuFrom) / ticksInWindow.length;
  console.log(
    `server main thread: ${perTick.toFixed(1)} ms CPU per tick ` +
      `(${(perTick / clients * 1000).toFixed(1)} µs per client write; ` +
      `${ticksInWindow.length} ticks in the window)`,
  );
}
if (t) console.log(`upstream subscriptions: ${JSON.stringify(t.services.streams.stats())}`);

worker.terminate();
await t?.services.streams.close();
await server.shutdown();
await t?.close();
await closeTestPglitePool();
