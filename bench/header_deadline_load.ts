/**
 * Throughput of a small static response with and without the header-deadline TCP front
 * (lib/http/header_deadline.ts). Serves one or the other and prints its URL; load it with wrk:
 *
 *   deno run -A bench/header_deadline_load.ts front &   # or: plain
 *   wrk -t1 -c32 -d5s http://127.0.0.1:PORT/
 */
import { serveWithHeaderDeadline } from "../lib/http/header_deadline.ts";

const body = new TextEncoder().encode("x".repeat(1024));
const handler = () => new Response(body, { headers: { "content-type": "text/plain" } });
const mode = Deno.args[0] ?? "front";
const onListen = (addr: Deno.NetAddr) => console.log(`${mode}: http://127.0.0.1:${addr.port}/`);
if (mode === "plain") Deno.serve({ hostname: "127.0.0.1", port: 0, onListen }, handler);
else {serveWithHeaderDeadline(
    { hostname: "127.0.0.1", port: 0, headerTimeoutMs: 10_000, onListen },
    handler,
  );}
