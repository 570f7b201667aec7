import { deepEqual, equal, notEqual } from "node:assert/strict";
import { Hono } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { CachedRouter, MAX_PATH } from "./cached_router.ts";

function app(router = new CachedRouter<never>()) {
  // deno-lint-ignore no-explicit-any
  const a = new Hono({ router: router as any });
  a.use("/api/*", async (c, next) => {
    await next();
    c.header("X-Mw", "1");
  });
  a.get("/api/quote/:symbol", (c) => c.json({ symbol: c.req.param("symbol") }));
  a.get("/api/quote/SPY", (c) => c.json({ special: true }));
  a.get("/api/orders/:id/fills/:n", (c) => c.json(c.req.param()));
  return a;
}

Deno.test("cached router: the same answers as a fresh trie search, asked twice or more", async () => {
  const cached = app();
  const plain = app(new TrieRouter() as never);
  for (const path of ["/api/quote/AAPL", "/api/quote/SPY", "/api/orders/7/fills/2", "/nope"]) {
    for (let i = 0; i < 3; i++) {
      const [a, b] = [await cached.request(path), await plain.request(path)];
      equal(a.status, b.status, path);
      equal(a.headers.get("X-Mw"), b.headers.get("X-Mw"), path);
      deepEqual(await a.text(), await b.text(), path);
    }
  }
  // Parameters are per path, never carried over from another path's match.
  deepEqual(await (await cached.request("/api/quote/MSFT")).json(), { symbol: "MSFT" });
  deepEqual(await (await cached.request("/api/quote/AAPL")).json(), { symbol: "AAPL" });
});

Deno.test("cached router: a route added later is seen, and the memory is bounded", () => {
  const inner = new TrieRouter<string>();
  const r = new CachedRouter<string>(inner, 3);
  r.add("GET", "/a/:x", "a");
  const first = r.match("GET", "/a/1");
  equal(r.match("GET", "/a/1"), first, "the second match is the remembered one");
  r.add("GET", "/a/1", "a1");
  notEqual(r.match("GET", "/a/1"), first, "adding a route forgets what was remembered");
  deepEqual(r.match("GET", "/a/1")[0].map(([h]) => h), ["a", "a1"]);
  r.match("GET", `/a/${"x".repeat(MAX_PATH)}`);
  equal(r.size, 1, "a long path is searched, not remembered");
  for (let i = 0; i < 10; i++) {
    r.match("GET", `/a/${i}`);
    equal(r.size <= 3, true, "never more than max remembered");
  }
  deepEqual(r.match("GET", "/a/9")[0].map(([h, p]) => [h, p]), [["a", { x: "9" }]]);
});
