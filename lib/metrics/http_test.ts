import { equal } from "node:assert/strict";
import { Hono } from "hono";
import { parseExposition, sampleValue } from "../../tests/_prometheus.ts";
import { httpMetrics, STATIC, UNMATCHED } from "./http.ts";
import { Registry } from "./registry.ts";

function fixture() {
  const registry = new Registry();
  const metrics = {
    httpRequests: registry.counter("h_total", "x", ["route", "method", "status"]),
    httpDuration: registry.histogram("h_seconds", "x", ["route", "method", "status"]),
  };
  const app = new Hono();
  app.use("*", httpMetrics(metrics as never));
  // A refusal by middleware, as the sign-in gate answers.
  app.use("/api/*", async (c, next) => {
    if (c.req.header("X-Deny")) return c.json({ error: "no" }, 401);
    await next();
  });
  app.on(["GET", "HEAD"], "*", async (c, next) => {
    if (c.req.path === "/styles.css") return c.text("body{}");
    await next();
  });
  const orders = new Hono();
  orders.get("/:id", (c) => c.json({ id: c.req.param("id") }));
  orders.post("/", () => {
    throw new Error("boom");
  });
  app.route("/api/orders", orders);
  app.get("/symbol/:symbol", (c) => c.text("page"));
  app.onError((_err, c) => c.json({ error: "internal" }, 500));
  const count = (labels: Record<string, string>) =>
    sampleValue(parseExposition(registry.expose()), "h_total", labels);
  return { app, count, registry };
}

Deno.test("requests are counted by route pattern, method and status class", async () => {
  const { app, count, registry } = fixture();
  for (const id of ["1", "2", "3"]) await (await app.request(`/api/orders/${id}`)).text();
  await (await app.request("/api/orders/9", { headers: { "X-Deny": "1" } })).text();
  await (await app.request("/api/orders", { method: "POST" })).text();
  await (await app.request("/symbol/AAPL")).text();
  await (await app.request("/styles.css")).text();
  await (await app.request("/no/such/page")).text();
  await (await app.request("/api/orders/1", { method: "PURGE" })).text();

  equal(count({ route: "/api/orders/:id", method: "GET", status: "2xx" }), 3);
  // The gate's 401 is counted against the route the request was headed for.
  equal(count({ route: "/api/orders/:id", method: "GET", status: "4xx" }), 1);
  // A handler that threw: the error handler's 500.
  equal(count({ route: "/api/orders", method: "POST", status: "5xx" }), 1);
  equal(count({ route: "/symbol/:symbol", method: "GET", status: "2xx" }), 1);
  equal(count({ route: STATIC, status: "2xx" }), 1);
  equal(count({ route: UNMATCHED, method: "GET", status: "4xx" }), 1);
  equal(count({ route: UNMATCHED, method: "OTHER", status: "4xx" }), 1);
  // No raw path ever becomes a label.
  equal(registry.expose().includes("AAPL"), false);
  equal(registry.expose().includes("/api/orders/1"), false);
  const families = parseExposition(registry.expose());
  equal(sampleValue(families, "h_seconds_count", { route: "/api/orders/:id", status: "2xx" }), 3);
});
