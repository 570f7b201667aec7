/**
 * The server's side of SSE fan-out alone: how long one quote takes to reach every client's
 * response body through `/api/stream/quotes`, read in process (no sockets, no client threads),
 * so the figure is the route's and the hub's own work per event.
 *
 *     deno run -A bench/stream_fanout.ts [clients=1000] [events=400]
 *
 * Prices are set by hand (ScriptedMarketData); each event waits until every client has read it.
 *
 * Printed on the 2-core development machine shared with other benchmarks (load average 8.8–9.5),
 * 2026-12-04, `deno run -A bench/stream_fanout.ts 1000 400`, two runs alternating:
 *
 *     frames serialised once, each stream awaiting HubClient.next() per update (before):
 *       1000 clients, 400 events: one event reaches every client in median 1.5 ms,
 *       p90 9.3 ms, min 0.8 ms; CPU 1.7 ms per event (1.7 µs per client)
 *       (second run: p90 10.6 ms, the rest the same)
 *     updates pushed to the stream as published (HubSink), pull held while it keeps up:
 *       1000 clients, 400 events: one event reaches every client in median 0.4 ms,
 *       p90 5.0 ms, min 0.3 ms; CPU 0.7 ms per event (0.7 µs per client)
 *       (second run: median 0.5 ms, p90 5.6 ms, CPU 0.8 ms per event)
 *
 * The readers decode each shared frame once: what a client costs here is its `read()`, as
 * Deno.serve's body pump pays per chunk.
 */
import process from "node:process";
import { closeTestPglitePool, openTestApp } from "../tests/_harness.ts";
import { signUp } from "../tests/_auth.ts";
import { ScriptedMarketData } from "../lib/market/testing.ts";

const clients = Math.max(1, Math.min(5_000, Number(Deno.args[0] ?? 1_000)));
const events = Math.max(1, Math.min(1_000, Number(Deno.args[1] ?? 400)));

const market = new ScriptedMarketData();
market.setQuote("AAPL", { last: 100 });
const t = await openTestApp({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MINUTE: "100000000" }, {
  market: () => market,
});
const user = await signUp(t.app);

/** The price every client must see next, and how many have seen it. */
let target = 100;
let reached = 0;
let allReached = (): void => {};
const everyone = () => new Promise<void>((resolve) => allReached = resolve);
let settled = everyone();

/**
 * The last price in a chunk. Clients share each event's bytes, so it is read once per event:
 * what a client costs here is its `read()`, as Deno.serve's body pump pays per chunk.
 */
const prices = new WeakMap<Uint8Array, number | null>();
const decoder = new TextDecoder();
function priceIn(chunk: Uint8Array): number | null {
  let price = prices.get(chunk);
  if (price === undefined) {
    const lasts = decoder.decode(chunk).match(/"last":[\d.]+/g);
    price = lasts ? Number(lasts.at(-1)!.slice(7)) : null;
    prices.set(chunk, price);
  }
  return price;
}

/** CPU time this process has used (all its threads, so garbage collection counts), ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
for (let i = 0; i < clients; i++) {
  const res = await t.app.request("/api/stream/quotes?symbols=AAPL", { headers: user.bearer });
  if (res.status !== 200) throw new Error(`client ${i}: HTTP ${res.status}`);
  const reader = res.body!.getReader();
  readers.push(reader);
  (async () => {
    let seen = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      if (priceIn(r.value) === target && seen !== target) {
        seen = target;
        if (++reached === clients) allReached();
      }
    }
  })().catch(() => {});
}
await settled; // every client has the seeded price

const times: number[] = [];
const cpuFrom = cpuMs();
for (let n = 1; n <= events; n++) {
  reached = 0;
  target = 100 + n;
  settled = everyone();
  const started = performance.now();
  market.setQuote("AAPL", { last: target });
  await settled;
  times.push(performance.now() - started);
}
const cpuPerEvent = (cpuMs() - cpuFrom) / events;
times.sort((a, b) => a - b);
const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
console.log(
  `${clients} clients, ${events} events: one event reaches every client in ` +
    `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, min ${
      times[0].toFixed(1)
    } ms; ` +
    `CPU ${cpuPerEvent.toFixed(1)} ms per event (${(cpuPerEvent / clients * 1000).toFixed(1)} µs ` +
    `per client)`,
);

await Promise.all(readers.map((r) => r.cancel()));
await t.services.streams.close();
await t.close();
await closeTestPglitePool();
await market.close();
