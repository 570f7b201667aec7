/**
 * The spans reach Deno's built-in OpenTelemetry export: a child process with `OTEL_DENO=true`
 * runs an upstream call through lib/metrics/upstream.ts and a broker-style span through
 * lib/trace/span.ts, and the OTLP receiver here (a real HTTP server) gets both span names,
 * with the `fetch` the call made exported beside them. Without Deno's provider registered with
 * `@opentelemetry/api`, nothing would arrive.
 */
import { equal, ok } from "node:assert/strict";

Deno.test("OTEL_DENO=true exports PaiiD's spans over OTLP", async () => {
  const bodies: { path: string; text: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const bytes = new Uint8Array(await req.arrayBuffer());
    // Protobuf keeps strings as UTF-8 bytes: the span names are readable in the body.
    bodies.push({ path: new URL(req.url).pathname, text: new TextDecoder().decode(bytes) });
    return new Response("{}", { headers: { "Content-Type": "application/json" } });
  });
  try {
    const endpoint = `http://127.0.0.1:${server.addr.port}`;
    const root = new URL("../", import.meta.url);
    const script = `
      import { upstreamCall } from ${JSON.stringify(new URL("lib/metrics/upstream.ts", root).href)};
      import { inSpan } from ${JSON.stringify(new URL("lib/trace/span.ts", root).href)};
      await upstreamCall("tradier", { "paiid.upstream.path": "/markets/quotes" }, async () => {
        await (await fetch(${JSON.stringify(`${endpoint}/upstream`)})).text();
      });
      await inSpan("broker.submit", { "paiid.order.type": "market" }, () => Promise.resolve());
    `;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--config", new URL("deno.json", root).pathname, script],
      env: {
        OTEL_DENO: "true",
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_SERVICE_NAME: "paiid-test",
        OTEL_DENO_CONSOLE: "ignore",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    equal(out.code, 0, new TextDecoder().decode(out.stderr));
    // The child flushes its spans before it exits, so they are here by now.
    const traces = bodies.filter((b) => b.path === "/v1/traces").map((b) => b.text).join("");
    for (const name of ["upstream.tradier", "broker.submit", "paiid-test", "/markets/quotes"]) {
      ok(traces.includes(name), `${name} not exported`);
    }
    ok(bodies.some((b) => b.path === "/upstream"), "the call inside the span ran");
  } finally {
    await server.shutdown();
  }
});
