import { equal, match } from "node:assert/strict";
import { gunzipSync, inflateSync } from "node:zlib";
import { Hono } from "hono";
import { chooseEncoding, compress } from "./compress.ts";

Deno.test("chooseEncoding: the higher weight wins, gzip on a tie, q=0 refuses, * stands in", () => {
  equal(chooseEncoding(undefined), undefined);
  equal(chooseEncoding("br"), undefined);
  equal(chooseEncoding("gzip, deflate, br"), "gzip");
  equal(chooseEncoding("deflate"), "deflate");
  equal(chooseEncoding("gzip;q=0.5, deflate;q=0.8"), "deflate");
  equal(chooseEncoding("gzip;q=0, deflate;q=0"), undefined);
  equal(chooseEncoding("*"), "gzip");
  equal(chooseEncoding("gzip;q=0, *;q=0.3"), "deflate");
  equal(chooseEncoding("identity"), undefined);
});

function app(): Hono {
  const a = new Hono();
  a.use("*", compress());
  a.get("/big", (c) => c.json({ text: "x".repeat(4000) }));
  a.get(
    "/small",
    (c) => c.body("tiny", 200, { "Content-Type": "text/plain", "Content-Length": "4" }),
  );
  a.get("/not-modified", (c) => c.body(null, 304, { "Content-Type": "application/json" }));
  a.get("/no-content", (c) => c.body(null, 204, { "Content-Type": "application/json" }));
  a.get("/small-json", (c) => c.json({ text: "x".repeat(100) }));
  a.get("/big-html", (c) => c.html(`<p>${"y".repeat(4000)}</p>`));
  a.get("/png", (c) => c.body(new Uint8Array(4000), 200, { "Content-Type": "image/png" }));
  a.get(
    "/no-transform",
    (c) => c.json({ text: "x".repeat(4000) }, 200, { "Cache-Control": "no-transform" }),
  );
  a.get("/etag", (c) => c.json({ text: "x".repeat(4000) }, 200, { ETag: '"abc"' }));
  // A fetched response's headers are immutable.
  a.get("/fetched", () => fetch(`data:text/plain,${"y".repeat(2000)}`));
  return a;
}

Deno.test("compress: gzips what the client accepts, says Vary either way, leaves the rest", async () => {
  const a = app();
  const gz = await a.request("/big", { headers: { "Accept-Encoding": "gzip" } });
  equal(gz.headers.get("Content-Encoding"), "gzip");
  equal(gz.headers.get("Content-Length"), null);
  equal(gz.headers.get("Vary"), "Accept-Encoding");
  equal(gz.headers.get("Content-Type"), "application/json");
  const text = new TextDecoder().decode(gunzipSync(new Uint8Array(await gz.arrayBuffer())));
  equal(JSON.parse(text).text.length, 4000);

  const plain = await a.request("/big");
  equal(plain.headers.get("Content-Encoding"), null);
  equal(plain.headers.get("Vary"), "Accept-Encoding", "the answer still varies on the header");
  equal(JSON.parse(await plain.text()).text.length, 4000);

  for (const path of ["/small", "/png", "/no-transform"]) {
    const res = await a.request(path, { headers: { "Accept-Encoding": "gzip" } });
    await res.arrayBuffer();
    equal(res.headers.get("Content-Encoding"), null, path);
  }
  const etag = await a.request("/etag", { headers: { "Accept-Encoding": "deflate" } });
  equal(etag.headers.get("Content-Encoding"), "deflate");
  equal(JSON.parse(new TextDecoder().decode(inflateSync(await etag.bytes()))).text.length, 4000);
  equal(etag.headers.get("ETag"), 'W/"abc"');
  const head = await a.request("/big", { method: "HEAD", headers: { "Accept-Encoding": "gzip" } });
  await head.body?.cancel();
  equal(head.headers.get("Content-Encoding"), null);
});

Deno.test("compress: a JSON answer of unknown length under 1 KiB goes out as it is", async () => {
  const small = await app().request("/small-json", { headers: { "Accept-Encoding": "gzip" } });
  equal(small.headers.get("Content-Encoding"), null);
  equal(small.headers.get("Vary"), "Accept-Encoding");
  equal(small.headers.get("Content-Type"), "application/json");
  equal(JSON.parse(await small.text()).text.length, 100);

  const html = await app().request("/big-html", { headers: { "Accept-Encoding": "gzip" } });
  equal(html.headers.get("Content-Encoding"), "gzip");
  match(html.headers.get("Content-Type") ?? "", /^text\/html/);
  equal(new TextDecoder().decode(gunzipSync(await html.bytes())).length, 4007);
});

Deno.test("compress: answers without a body (204, 304, HEAD) pass untouched", async () => {
  for (const [path, status] of [["/not-modified", 304], ["/no-content", 204]] as const) {
    const res = await app().request(path, { headers: { "Accept-Encoding": "gzip" } });
    equal(res.status, status, path);
    equal(res.body, null, path);
    equal(res.headers.get("Content-Encoding"), null, path);
  }
  const head = await app().request("/small-json", {
    method: "HEAD",
    headers: { "Accept-Encoding": "gzip" },
  });
  equal(head.status, 200);
  equal(head.headers.get("Content-Encoding"), null);
  await head.body?.cancel();
});

Deno.test("compress: a response with immutable headers is copied, not failed", async () => {
  const plain = await app().request("/fetched");
  equal(await plain.text(), "y".repeat(2000));
  equal(plain.headers.get("Vary"), "Accept-Encoding");
  const gz = await app().request("/fetched", { headers: { "Accept-Encoding": "gzip" } });
  equal(gz.headers.get("Content-Encoding"), "gzip");
  equal(
    new TextDecoder().decode(gunzipSync(new Uint8Array(await gz.arrayBuffer()))),
    "y".repeat(2000),
  );
});
