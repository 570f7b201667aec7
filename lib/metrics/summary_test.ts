import { deepEqual, equal, ok } from "node:assert/strict";
import { defineMetrics } from "./mod.ts";
import { Registry } from "./registry.ts";
import { histogramQuantile, summarizeMetrics } from "./summary.ts";

const near = (a: number | null, b: number) =>
  ok(a !== null && Math.abs(a - b) < 1e-12, `${a} ≉ ${b}`);

Deno.test("quantiles interpolate inside the bucket, as histogram_quantile does", () => {
  const bounds = [0.1, 0.5, 1];
  // 10 observations in (0, 0.1], 10 in (0.1, 0.5].
  equal(histogramQuantile(0.5, bounds, [10, 10, 0, 0]), 0.1);
  near(histogramQuantile(0.75, bounds, [10, 10, 0, 0]), 0.3);
  near(histogramQuantile(0.25, bounds, [10, 10, 0, 0]), 0.05);
  // Beyond the last bound: the last bound is all that can be said.
  equal(histogramQuantile(0.99, bounds, [0, 0, 0, 5]), 1);
  equal(histogramQuantile(0.5, bounds, [0, 0, 0, 0]), null);
});

Deno.test("the summary adds up a route's status classes and sorts by requests", () => {
  const m = defineMetrics(new Registry());
  for (let i = 0; i < 8; i++) m.httpDuration.labels("/api/a", "GET", "2xx").observe(0.004);
  m.httpDuration.labels("/api/a", "GET", "4xx").observe(0.004);
  m.httpDuration.labels("/api/a", "GET", "5xx").observe(2);
  m.httpDuration.labels("/api/b", "POST", "2xx").observe(0.2);
  m.cache.labels("quote", "hit").inc(9);
  m.cache.labels("quote", "miss").inc();
  m.upstreamRequests.labels("tradier").inc(4);
  m.upstreamErrors.labels("tradier").inc();
  m.ordersRefused.labels("insufficient_buying_power").inc(2);
  const s = summarizeMetrics(m);
  deepEqual(s.routes.map((r) => [r.method, r.route, r.requests, r.clientErrors, r.serverErrors]), [
    ["GET", "/api/a", 10, 1, 1],
    ["POST", "/api/b", 1, 0, 0],
  ]);
  // Nine of ten observations fall in the first bucket (up to 5 ms): the median is 5/9 into it.
  near(s.routes[0].p50, 0.005 * 5 / 9);
  deepEqual(s.cache, [{ kind: "quote", hit: 9, miss: 1, stale: 0, error: 0 }]);
  deepEqual(s.upstream, [{ seam: "tradier", calls: 4, errors: 1, p95: null }]);
  deepEqual(s.orders.refused, [{ reason: "insufficient_buying_power", count: 2 }]);
});
