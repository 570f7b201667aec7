import { equal } from "node:assert/strict";
import { Hono } from "hono";
import type { AppEnv } from "../state.ts";
import { privateCache } from "./private_cache.ts";

/** A tiny app: `?auth=1` plays a signed-in request, as the auth middleware would mark it. */
function app() {
  const a = new Hono<AppEnv>();
  a.use("*", async (c, next) => {
    // Only what the middleware reads; the services are never touched here.
    const state = { requestId: "r", tradingMode: "paper", splitPercent: 38 };
    c.set("state", state as unknown as AppEnv["Variables"]["state"]);
    await next();
  });
  a.use("*", privateCache());
  a.use("*", async (c, next) => {
    if (c.req.query("auth")) c.get("state").auth = { kind: "session", viaCookie: true };
    await next();
  });
  a.get("/api/data", (c) => c.json({ ok: true }));
  a.get("/api/chosen", (c) => c.json({ ok: true }, 200, { "Cache-Control": "private, max-age=5" }));
  a.get("/api/cookie", (c) => c.json({ ok: true }, 200, { "Set-Cookie": "a=b" }));
  a.get("/page", (c) => c.html("<p>hi</p>", 200, { Vary: "Accept-Encoding" }));
  a.get("/away", () => Response.redirect("http://localhost/page", 303));
  return a;
}

Deno.test("private cache: signed-in answers are no-store, anonymous public ones untouched", async () => {
  const a = app();
  equal((await a.request("/api/data?auth=1")).headers.get("Cache-Control"), "no-store");
  const anonymous = await a.request("/api/data");
  equal(anonymous.headers.get("Cache-Control"), null);
  equal(anonymous.headers.get("Vary"), null);
  equal((await a.request("/api/cookie")).headers.get("Cache-Control"), "no-store");
});

Deno.test("private cache: the handler's own policy wins", async () => {
  const res = await app().request("/api/chosen?auth=1");
  equal(res.headers.get("Cache-Control"), "private, max-age=5");
});

Deno.test("private cache: pages and their redirects vary on Cookie, added to what they vary on", async () => {
  const a = app();
  const page = await a.request("/page");
  equal(page.headers.get("Cache-Control"), "no-store");
  equal(page.headers.get("Vary"), "Accept-Encoding, Cookie");
  // Response.redirect has immutable headers: the middleware copies it.
  const away = await a.request("/away?auth=1");
  equal(away.status, 303);
  equal(away.headers.get("Location"), "http://localhost/page");
  equal(away.headers.get("Vary"), "Cookie");
  equal(away.headers.get("Cache-Control"), "no-store");
});
