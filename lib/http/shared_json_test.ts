import { deepEqual, equal } from "node:assert/strict";
import { Hono } from "hono";
import { sharedJson, sharedJsonBytes } from "./shared_json.ts";
import { compress } from "./compress.ts";

Deno.test("shared JSON: the same answer as c.json, headers and body", async () => {
  const value = { symbol: "ÄPFEL", last: 81.3025, nested: { a: [1, null, "x"] }, none: null };
  const app = new Hono();
  app.get("/json", (c) => c.json(value));
  app.get("/shared", (c) => sharedJson(c, value));
  const a = await app.request("/json");
  const b = await app.request("/shared");
  equal(b.status, a.status);
  const body = await a.text();
  deepEqual(
    [...b.headers],
    [
      ...a.headers,
      ["content-length", String(new TextEncoder().encode(body).byteLength)],
    ].sort(([x], [y]) => x < y ? -1 : 1),
  );
  equal(await b.text(), body);
});

Deno.test("shared JSON: a small answer is not compressed, a large one is", async () => {
  const app = new Hono();
  app.use(compress());
  const small = { symbol: "AAPL", last: 1.5 };
  const large = { rows: Array.from({ length: 200 }, (_, i) => ({ i, symbol: "AAPL" })) };
  app.get("/small", (c) => sharedJson(c, small));
  app.get("/large", (c) => sharedJson(c, large));
  const gzip = { "Accept-Encoding": "gzip" };
  const s = await app.request("/small", { headers: gzip });
  equal(s.headers.get("content-encoding"), null);
  equal(await s.text(), JSON.stringify(small));
  const l = await app.request("/large", { headers: gzip });
  equal(l.headers.get("content-encoding"), "gzip");
  await l.body?.cancel();
});

Deno.test("shared JSON: serialised once per object, each object on its own", () => {
  const one = { n: 1 };
  const first = sharedJsonBytes(one);
  equal(sharedJsonBytes(one), first);
  const other = { n: 2 };
  equal(new TextDecoder().decode(sharedJsonBytes(other)), '{"n":2}');
});

Deno.test("shared JSON: answering with the bytes neither detaches nor changes them", async () => {
  const value = { symbol: "AAPL", last: 1.5 };
  const app = new Hono();
  app.get("/", (c) => sharedJson(c, value));
  const bytes = sharedJsonBytes(value);
  const expected = JSON.stringify(value);
  for (let i = 0; i < 3; i++) {
    const res = await app.request("/");
    const body = new Uint8Array(await res.arrayBuffer());
    body.fill(0);
    equal(new TextDecoder().decode(bytes), expected);
  }
});
