/**
 * The CPU the app's middleware chain and handler spend on one authenticated, cached
 * `GET /api/market/quote/AAPL`, measured in-process (`app.fetch`, no sockets), so the figure is
 * the chain's own and not the network's or the header-deadline front's.
 *
 *     deno run -A bench/request_chain.ts [requests per round=20000] [rounds=6] [path]
 *
 * - The test harness's app (tests/_harness.ts): real routes, a fresh PGlite, a KV file, request
 *   logs off (LOG_LEVEL=warn, as the load benchmarks run) and the rate limit raised.
 * - One user signs up; every request carries its bearer token and the headers wrk sends.
 * - CPU time is `process.cpuUsage()` (user + system) over a round, divided by its requests: other
 *   work on a shared machine slows the wall clock far more than it inflates this. The median of
 *   the rounds after a warm-up round is reported.
 * - Every 500 requests the loop lets the event loop turn (a timer, not a resolved promise): the
 *   identity cache trusts its KV epoch only when it has been checked lately, as in the server,
 *   where the event loop turns between requests anyway.
 *
 * Printed on the 2-core development machine, shared with other helpers' work (load average 5.2
 * to 5.6), 2026-12-04, `deno run -A bench/request_chain.ts 20000 6`, alternating the tree before
 * the one-layer front (lib/app.ts) and after it and the changes that followed:
 *
 *     before: median 30.19, 30.64, 30.32 µs/request CPU
 *     after:  median 25.72, 24.95, 24.27 µs/request CPU
 *
 * On the machine of 2026-12-05's third session, quiet, same command, alternating Hono's trie
 * search on every request and the route cache (lib/http/cached_router.ts):
 *
 *     trie search:  median 45.97, 43.03 µs/request CPU
 *     route cache:  median 39.50, 38.86 µs/request CPU (38.10 in a later run)
 *
 * About 7 µs of each figure is the loop itself (a Request with these headers, a Response of the
 * same bytes, reading it). Of the rest, the twelve security headers are about 3 µs however they
 * are set: `Headers.set` checks every character of the two long policies on every call.
 */
import process from "node:process";
import { signUp } from "../tests/_auth.ts";
import { closeTestPglitePool, openTestApp } from "../tests/_harness.ts";

const N = Math.max(100, Number(Deno.args[0] ?? 20_000));
const ROUNDS = Math.max(1, Number(Deno.args[1] ?? 6));
const path = Deno.args[2] ?? "/api/market/quote/AAPL";

const t = await openTestApp({ LOG_LEVEL: "warn", RATE_LIMIT_PER_MINUTE: "100000000" });
try {
  const me = await signUp(t.app);
  const info = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 5555 } };
  const url = `http://127.0.0.1:8000${path}`;
  const headers = { ...me.bearer, "user-agent": "wrk", host: "127.0.0.1:8000" };
  const first = await t.app.fetch(new Request(url, { headers }), info);
  const body = await first.arrayBuffer();
  if (first.status !== 200) throw new Error(`${path} answered ${first.status}`);

  const round = async () => {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (let i = 0; i < N; i++) {
      const res = await t.app.fetch(new Request(url, { headers }), info);
      await res.arrayBuffer();
      if (i % 500 === 499) await new Promise((r) => setTimeout(r, 0));
    }
    const c = process.cpuUsage(c0);
    return { cpu: (c.user + c.system) / N, wall: (performance.now() - w0) * 1000 / N };
  };

  await round();
  const cpus: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const { cpu, wall } = await round();
    cpus.push(cpu);
    console.log(`round ${r}: ${cpu.toFixed(2)} µs/request CPU, ${wall.toFixed(2)} µs wall`);
  }
  const sorted = cpus.toSorted((a, b) => a - b);
  const median = sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const load = Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  console.log(
    `GET ${path} (${body.byteLength} bytes): median ${median.toFixed(2)} µs/request CPU ` +
      `over ${ROUNDS} rounds of ${N}; load average ${load}`,
  );
} finally {
  await t.close();
  await closeTestPglitePool();
}
