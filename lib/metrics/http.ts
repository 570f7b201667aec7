/**
 * Counts every HTTP request and times it, by route pattern (`/api/orders/:id`, never the raw
 * path), method and status class. Registered first, so it also sees what the auth chain and the
 * error handler answer. The time is until the handler returned its response: a server-sent
 * event stream counts its set-up, not its life.
 *
 * Cost per request: reading the matched routes, three map lookups per metric and two number
 * updates (bench/metrics_bench.ts measures it).
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { type AppMetrics, methodLabel, metrics as appMetrics, statusClass } from "./mod.ts";

/** Requests no route answered (404s, and anything the middleware refused before routing). */
export const UNMATCHED = "(unmatched)";
/** Static files and island bundles, served by the one catch-all GET handler. */
export const STATIC = "(static)";

/**
 * The pattern of the route that answered. Middleware is registered for every method (`ALL`);
 * when one of them answered (a 401 from the gate, a 429), the route the request was headed for
 * still names it, so the refusal is counted against that route.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  let route: (typeof routes)[number] | undefined = routes[c.req.routeIndex];
  if (!route || route.method === "ALL") {
    route = undefined;
    for (let i = routes.length - 1; i >= 0; i--) {
      if (routes[i].method !== "ALL") {
        route = routes[i];
        break;
      }
    }
  }
  if (!route) return UNMATCHED;
  if (route.path === "*" || route.path === "/*") {
    // The catch-all GET serves files; past it nothing matched.
    return c.res.status === 404 ? UNMATCHED : STATIC;
  }
  return route.path;
}

/** Counts and times one answered request that started at `started` (`performance.now()`). */
export function recordRequest(
  c: Context,
  started: number,
  metrics: Pick<AppMetrics, "httpRequests" | "httpDuration"> = appMetrics,
): void {
  const route = routeLabel(c);
  const method = methodLabel(c.req.method);
  const status = statusClass(c.res.status);
  metrics.httpRequests.labels(route, method, status).inc();
  metrics.httpDuration.labels(route, method, status).observe(
    (performance.now() - started) / 1000,
  );
}

export function httpMetrics(
  metrics: Pick<AppMetrics, "httpRequests" | "httpDuration"> = appMetrics,
): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      recordRequest(c, started, metrics);
    }
  };
}
