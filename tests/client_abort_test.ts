/**
 * A client that closes its connection halfway through a body: a real server, a raw TCP socket.
 * The app must log an ordinary request line with status 499, and no error with a stack.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";

/** Resolves with the first log line `match` accepts, polling the captured log until `ms`. */
async function logLine(
  t: TestApp,
  match: (line: Record<string, unknown>) => boolean,
  ms = 10_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = t.logs.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error("the log line never came");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Sends the headers and half of a `Content-Length` body, then closes the socket. */
async function halfBody(port: number, path: string, contentType: string, requestId: string) {
  const body = contentType.includes("json") ? '{"login":"someone","pass' : "login=someone&pass";
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    `Content-Type: ${contentType}`,
    `Content-Length: ${body.length * 2}`,
    `X-Request-Id: ${requestId}`,
    "",
    "",
  ].join("\r\n");
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(head + body));
  conn.close();
}

Deno.test("a client that closes mid-body is logged as a 499 request, not as an error", async () => {
  const t = await openTestApp();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, t.app.fetch);
  try {
    const cases = [
      ["/api/auth/login", "application/json", "abort-api"],
      ["/login", "application/x-www-form-urlencoded", "abort-page"],
    ] as const;
    for (const [path, type, requestId] of cases) {
      await halfBody(server.addr.port, path, type, requestId);
      const line = await logLine(t, (l) => l.msg === "request" && l.request_id === requestId);
      equal(line.status, 499, path);
      equal(line.path, path);
    }
    deepEqual(t.logs.filter((l) => l.level === "error"), [], "no error entries");
    ok(!JSON.stringify(t.logs).includes("stack"), "no stack trace anywhere in the log");
    // The server still answers whole requests on fresh connections.
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/api/health`);
    await res.body?.cancel();
    equal(res.status, 200);
  } finally {
    await server.shutdown();
    await t.close();
  }
});
