/**
 * What the HTTP metrics middleware (lib/metrics/http.ts) costs a request: the same small Hono
 * app with and without it, on a parameterised API route, and the registry's series lookup alone.
 * `deno bench -A bench/metrics_bench.ts`.
 */
import { Hono } from "hono";
import { httpMetrics } from "../lib/metrics/http.ts";
import { Registry } from "../lib/metrics/registry.ts";

function app(withMetrics: boolean): Hono {
  const registry = new Registry();
  const metrics = {
    httpRequests: registry.counter("b_total", "x", ["route", "method", "status"]),
    httpDuration: registry.histogram("b_seconds", "x", ["route", "method", "status"]),
  };
  const a = new Hono();
  if (withMetrics) a.use("*", httpMetrics(metrics as never));
  // A few middleware layers and routes, as the real app has.
  a.use("*", async (_c, next) => await next());
  a.use("/api/*", async (_c, next) => await next());
  const orders = new Hono();
  orders.get("/:id", (c) => c.json({ id: c.req.param("id") }));
  orders.get("/", (c) => c.json([]));
  a.route("/api/orders", orders);
  a.get("/api/health", (c) => c.json({ ok: true }));
  return a;
}

const plain = app(false);
const measured = app(true);

Deno.bench("GET /api/orders/:id without metrics", { group: "http", baseline: true }, async () => {
  await (await plain.request("/api/orders/42")).arrayBuffer();
});

Deno.bench("GET /api/orders/:id with metrics", { group: "http" }, async () => {
  await (await measured.request("/api/orders/42")).arrayBuffer();
});

const registry = new Registry();
const counter = registry.counter("c_total", "x", ["route", "method", "status"]);
const histogram = registry.histogram("c_seconds", "x", ["route", "method", "status"]);

Deno.bench("counter + histogram update of a known series", { group: "series" }, () => {
  counter.labels("/api/orders/:id", "GET", "2xx").inc();
  histogram.labels("/api/orders/:id", "GET", "2xx").observe(0.004);
});

// The admin page and /api/monitoring/metrics write everything out; with a realistic number of
// series (60 routes × 2 methods × 2 classes) this is what one scrape costs.
for (let r = 0; r < 60; r++) {
  for (const m of ["GET", "POST"]) {
    for (const s of ["2xx", "4xx"]) {
      counter.labels(`/api/route${r}/:id`, m, s).inc();
      histogram.labels(`/api/route${r}/:id`, m, s).observe(0.01);
    }
  }
}
Deno.bench("expose 240 counter and 240 histogram series", { group: "scrape" }, () => {
  registry.expose();
});
