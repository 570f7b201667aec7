/**
 * The app's metrics, one registry per process (each instance exposes its own numbers, as
 * Prometheus expects; a scraper adds them up). Every metric PaiiD records is declared here, so
 * `GET /api/monitoring/metrics` and the admin page list them all and their names are in one file.
 *
 * Labels take values from bounded sets only: route patterns (never raw paths), status classes,
 * cache kinds, seam names, job names, refusal codes. Nothing about a user ever becomes a label.
 *
 * @module
 */
import { LATENCY_BUCKETS, Registry } from "./registry.ts";
import { VERSION } from "../version.ts";

export { EXPOSITION_CONTENT_TYPE, Registry } from "./registry.ts";

export const registry = new Registry();

/** Cron jobs run from seconds to minutes: buckets up to ten minutes. */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600];

/** Where upstream services are called from: one value per seam client. */
export type Seam = "tradier" | "alpaca" | "alpaca_news" | "anthropic";

export const metrics = {
  info: registry.gauge(
    "paiid_build_info",
    "Always 1; the version label says which release this instance runs.",
    ["version"],
    (g) => g.labels(VERSION).set(1),
  ),
  memory: registry.gauge(
    "paiid_process_memory_bytes",
    "Memory of this process, from Deno.memoryUsage(), by kind.",
    ["kind"],
    (g) => {
      const m = Deno.memoryUsage();
      g.labels("rss").set(m.rss);
      g.labels("heap_used").set(m.heapUsed);
      g.labels("heap_total").set(m.heapTotal);
      g.labels("external").set(m.external);
    },
  ),
  httpRequests: registry.counter(
    "paiid_http_requests_total",
    "HTTP requests answered, by route pattern, method and status class.",
    ["route", "method", "status"],
  ),
  httpDuration: registry.histogram(
    "paiid_http_request_duration_seconds",
    "Time from the request to its response headers (a stream's life is not counted), seconds.",
    ["route", "method", "status"],
    LATENCY_BUCKETS,
  ),
  cache: registry.counter(
    "paiid_cache_requests_total",
    "Reads of the KV cache by kind and result: hit (fresh, in memory or KV), miss (fetched), " +
      "stale (expired entry served because the upstream failed), error (failed, nothing kept).",
    ["kind", "result"],
  ),
  upstreamRequests: registry.counter(
    "paiid_upstream_requests_total",
    "Calls to an outside service by seam (retries inside one call are not counted again).",
    ["seam"],
  ),
  upstreamErrors: registry.counter(
    "paiid_upstream_errors_total",
    "Calls to an outside service that failed, by seam.",
    ["seam"],
  ),
  upstreamDuration: registry.histogram(
    "paiid_upstream_request_duration_seconds",
    "Duration of calls to outside services (with their retries), by seam, seconds.",
    ["seam"],
    LATENCY_BUCKETS,
  ),
  streamClients: registry.gauge(
    "paiid_stream_clients",
    "Live quote clients connected to this instance, by transport (sse, ws).",
    ["transport"],
  ),
  cronRuns: registry.counter(
    "paiid_cron_runs_total",
    "Cron job runs on this instance by job and result (ok, failed).",
    ["job", "result"],
  ),
  cronSkipped: registry.counter(
    "paiid_cron_skipped_total",
    "Cron ticks skipped because the job was still running (here or on another instance).",
    ["job"],
  ),
  cronDuration: registry.histogram(
    "paiid_cron_run_duration_seconds",
    "Duration of cron job runs, seconds.",
    ["job"],
    JOB_BUCKETS,
  ),
  ordersPlaced: registry.counter(
    "paiid_orders_placed_total",
    "New orders placed through the checked-submit pipeline.",
  ),
  ordersDuplicate: registry.counter(
    "paiid_orders_duplicate_total",
    "Submissions answered with the order their idempotency key already made.",
  ),
  ordersRefused: registry.counter(
    "paiid_orders_refused_total",
    "Orders refused before placement, by reason (the pre-trade rule's code, trading_halted).",
    ["reason"],
  ),
  analystRequests: registry.counter(
    "paiid_analyst_requests_total",
    "Analyst requests by analyst (claude, offline), task (turn, structured) and result " +
      "(ok or the error code).",
    ["analyst", "task", "result"],
  ),
  analystTokens: registry.counter(
    "paiid_analyst_tokens_total",
    "Model tokens used by the analyst, by analyst and type (input, output, cache_read, " +
      "cache_creation).",
    ["analyst", "type"],
  ),
  telemetryEvents: registry.counter(
    "paiid_telemetry_events_total",
    "Browser telemetry events received, by result (stored, dropped because the user's setting " +
      "is off).",
    ["result"],
  ),
};

/** HTTP methods kept as label values; anything else is `OTHER`, so the label stays bounded. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : "OTHER";
}

const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/** `404` → `4xx`; anything outside 100–599 is `other`. */
export function statusClass(status: number): string {
  return STATUS_CLASSES[Math.floor(status / 100) - 1] ?? "other";
}
