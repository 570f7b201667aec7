/**
 * This instance's metrics as the admin page shows them: per route the requests, errors and
 * estimated latency percentiles; cache hit ratios; upstream calls and errors per seam; stream
 * clients; orders; analyst requests and tokens. Read straight from the registry (lib/metrics/).
 */
import type { HistogramSeries } from "./registry.ts";
import { type AppMetrics, metrics as appMetrics } from "./mod.ts";

export interface RouteSummary {
  route: string;
  method: string;
  requests: number;
  clientErrors: number;
  serverErrors: number;
  /** Estimated from the histogram's buckets, in seconds; null without requests. */
  p50: number | null;
  p95: number | null;
}

export interface MetricsSummary {
  routes: RouteSummary[];
  cache: { kind: string; hit: number; miss: number; stale: number; error: number }[];
  upstream: { seam: string; calls: number; errors: number; p95: number | null }[];
  streams: { transport: string; clients: number }[];
  orders: { placed: number; duplicate: number; refused: { reason: string; count: number }[] };
  analyst: {
    requests: { analyst: string; task: string; result: string; count: number }[];
    tokens: { analyst: string; type: string; count: number }[];
  };
}

/**
 * The `q` quantile of a histogram (its bucket bounds and per-bucket counts), interpolating
 * linearly inside the bucket as Prometheus' `histogram_quantile` does; past the last bound it
 * answers the last bound. Null when there are no observations.
 */
export function histogramQuantile(
  q: number,
  bounds: readonly number[],
  counts: ArrayLike<number>,
): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return null;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < bounds.length; i++) {
    const before = cumulative;
    cumulative += counts[i];
    if (cumulative >= rank && counts[i] > 0) {
      const lower = i === 0 ? 0 : bounds[i - 1];
      return lower + (bounds[i] - lower) * ((rank - before) / counts[i]);
    }
  }
  return bounds[bounds.length - 1];
}

function addCounts(into: Float64Array, s: HistogramSeries): void {
  for (let i = 0; i < into.length; i++) into[i] += s.counts[i];
}

export function summarizeMetrics(metrics: AppMetrics = appMetrics, maxRoutes = 25): MetricsSummary {
  const routes = new Map<string, RouteSummary & { counts: Float64Array }>();
  const buckets = metrics.httpDuration.buckets;
  for (const s of metrics.httpDuration.series) {
    const [route, method, status] = s.labelValues;
    const key = `${method} ${route}`;
    let r = routes.get(key);
    if (!r) {
      r = {
        route,
        method,
        requests: 0,
        clientErrors: 0,
        serverErrors: 0,
        p50: null,
        p95: null,
        counts: new Float64Array(buckets.length + 1),
      };
      routes.set(key, r);
    }
    r.requests += s.count;
    if (status === "4xx") r.clientErrors += s.count;
    if (status === "5xx") r.serverErrors += s.count;
    addCounts(r.counts, s);
  }
  const routeList = [...routes.values()]
    .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route))
    .slice(0, maxRoutes)
    .map(({ counts, ...r }) => ({
      ...r,
      p50: histogramQuantile(0.5, buckets, counts),
      p95: histogramQuantile(0.95, buckets, counts),
    }));

  const cache = new Map<string, MetricsSummary["cache"][number]>();
  for (const s of metrics.cache.series) {
    const [kind, result] = s.labelValues;
    const c = cache.get(kind) ?? { kind, hit: 0, miss: 0, stale: 0, error: 0 };
    if (result === "hit" || result === "miss" || result === "stale" || result === "error") {
      c[result] += s.value;
    }
    cache.set(kind, c);
  }

  const upstream = new Map<string, MetricsSummary["upstream"][number]>();
  const seam = (name: string) => {
    const u = upstream.get(name) ?? { seam: name, calls: 0, errors: 0, p95: null };
    upstream.set(name, u);
    return u;
  };
  for (const s of metrics.upstreamRequests.series) seam(s.labelValues[0]).calls += s.value;
  for (const s of metrics.upstreamErrors.series) seam(s.labelValues[0]).errors += s.value;
  for (const s of metrics.upstreamDuration.series) {
    seam(s.labelValues[0]).p95 = histogramQuantile(
      0.95,
      metrics.upstreamDuration.buckets,
      s.counts,
    );
  }

  return {
    routes: routeList,
    cache: [...cache.values()].sort((a, b) => a.kind.localeCompare(b.kind)),
    upstream: [...upstream.values()].sort((a, b) => a.seam.localeCompare(b.seam)),
    streams: metrics.streamClients.series.map((s) => ({
      transport: s.labelValues[0],
      clients: s.value,
    })),
    orders: {
      placed: metrics.ordersPlaced.series[0]?.value ?? 0,
      duplicate: metrics.ordersDuplicate.series[0]?.value ?? 0,
      refused: metrics.ordersRefused.series.map((s) => ({
        reason: s.labelValues[0],
        count: s.value,
      })),
    },
    analyst: {
      requests: metrics.analystRequests.series.map((s) => ({
        analyst: s.labelValues[0],
        task: s.labelValues[1],
        result: s.labelValues[2],
        count: s.value,
      })),
      tokens: metrics.analystTokens.series.filter((s) => s.value > 0).map((s) => ({
        analyst: s.labelValues[0],
        type: s.labelValues[1],
        count: s.value,
      })),
    },
  };
}
