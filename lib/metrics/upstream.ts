/**
 * One call to an outside service (Tradier, Alpaca, Anthropic), counted, timed and traced in one
 * place: `paiid_upstream_requests_total`, `_errors_total` and `_request_duration_seconds` by
 * seam, inside an `upstream.<seam>` span (the `fetch` spans of its attempts nest under it).
 * A call the caller itself aborted is not the upstream's error and is not counted as one.
 */
import type { Attributes } from "@opentelemetry/api";
import { inSpan } from "../trace/span.ts";
import { metrics, type Seam } from "./mod.ts";

export async function upstreamCall<T>(
  seam: Seam,
  attributes: Attributes,
  call: () => Promise<T>,
  /** Whether a throw is the service failing; default every throw but an abort. */
  failed: (err: unknown) => boolean = () => true,
): Promise<T> {
  metrics.upstreamRequests.labels(seam).inc();
  const started = performance.now();
  try {
    return await inSpan(`upstream.${seam}`, { "paiid.seam": seam, ...attributes }, call);
  } catch (err) {
    if (!(err instanceof Error && err.name === "AbortError") && failed(err)) {
      metrics.upstreamErrors.labels(seam).inc();
    }
    throw err;
  } finally {
    metrics.upstreamDuration.labels(seam).observe((performance.now() - started) / 1000);
  }
}
