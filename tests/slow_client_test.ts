/** The started app closes connections that never finish their request headers. */
import { equal, match } from "node:assert/strict";
import { startApp } from "./_app_process.ts";

Deno.test("main.ts: a client that stops mid-request-line is answered 408 and closed; others are served", async () => {
  const app = await startApp({
    env: { HEADER_TIMEOUT_MS: "500", DATABASE_URL: "" },
    timeoutMs: 180_000,
  });
  try {
    const { hostname, port } = new URL(app.url);
    const conn = await Deno.connect({ hostname, port: Number(port) });
    await conn.write(new TextEncoder().encode("GET /api/health HT"));
    // Read until the server closes the socket: the close itself is the event waited for.
    const buf = new Uint8Array(1024);
    let answer = "";
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      answer += new TextDecoder().decode(buf.subarray(0, n));
    }
    conn.close();
    match(answer, /^HTTP\/1\.1 408 /);

    const res = await fetch(`${app.url}/api/health`);
    equal(res.status, 200);
    await res.body?.cancel();
  } finally {
    await app.stop();
  }
  equal((await app.exited).code, 0, `clean shutdown\n${app.logs()}`);
});
