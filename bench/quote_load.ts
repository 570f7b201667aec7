/**
 * Cached `GET /api/market/quote/AAPL` through the whole app (auth, rate limit, KV cache, JSON)
 * against a bare `Deno.serve` answering a constant JSON body of the same size, both on
 * 127.0.0.1, driven by the same load generator in a Worker. The ratio is the figure.
 *
 *     deno run -A bench/quote_load.ts [seconds=5] [connections=32]
 *
 * Bounded: each run stops after `seconds` or 200,000 requests. One signed-up user per
 * connection, as many traders would be (one user's requests share one rate-limit counter).
 */
import { openTestApp } from "../tests/_harness.ts";
import { signUp } from "../tests/_auth.ts";

const seconds = Math.min(30, Number(Deno.args[0] ?? 5));
const connections = Math.min(256, Number(Deno.args[1] ?? 32));
const MAX_REQUESTS = 200_000;

const t = await openTestApp({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MINUTE: "100000000" });
const users: Record<string, string>[] = [];
for (let i = 0; i < connections; i++) users.push((await signUp(t.app)).bearer);
const app = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, t.app.fetch);
const appUrl = `http://127.0.0.1:${app.addr.port}/api/market/quote/AAPL`;

const sample = await fetch(appUrl, { headers: users[0] });
const body = await sample.arrayBuffer();
if (sample.status !== 200) throw new Error(`quote answered ${sample.status}`);
const bare = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  () => new Response(body, { headers: { "Content-Type": "application/json" } }),
);
const bareUrl = `http://127.0.0.1:${bare.addr.port}/`;

const worker = new Worker(new URL("./_load_worker.ts", import.meta.url), { type: "module" });
function run(url: string) {
  return new Promise<{ ok: number; failed: number; statuses: object; seconds: number }>(
    (resolve) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.postMessage({ kind: "http", url, headers: users, seconds, maxRequests: MAX_REQUESTS });
    },
  );
}

// Warm-up, then alternate so drift (JIT, other load on the machine) hits both alike.
await run(bareUrl);
await run(appUrl);
const rows: { target: string; rps: number; failed: number }[] = [];
for (let round = 0; round < 2; round++) {
  for (const [target, url] of [["bare Deno.serve", bareUrl], ["app quote (cached)", appUrl]]) {
    const r = await run(url);
    rows.push({ target, rps: r.ok / r.seconds, failed: r.failed });
  }
}
const best = (target: string) =>
  Math.max(...rows.filter((r) => r.target === target).map((r) => r.rps));
const bareRps = best("bare Deno.serve");
const appRps = best("app quote (cached)");
console.log(`body ${body.byteLength} bytes, ${connections} connections, ${seconds} s per run`);
console.table(rows.map((r) => ({ ...r, rps: Math.round(r.rps) })));
console.log(
  `best: bare ${Math.round(bareRps)} req/s, app ${Math.round(appRps)} req/s, ` +
    `app/bare = ${(appRps / bareRps).toFixed(3)}`,
);

worker.terminate();
await app.shutdown();
await bare.shutdown();
await t.close();
