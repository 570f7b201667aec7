/**
 * The analyst as the app hands it out: the configured one (Claude or offline), with every turn
 * and structured task counted by result and its tokens added up (`paiid_analyst_requests_total`,
 * `paiid_analyst_tokens_total`) and traced as an `analyst.<task>` span. Still an `Analyst`, so
 * callers never know it is measured (like lib/market/cached.ts for market data).
 */
import { metrics } from "../metrics/mod.ts";
import { inSpan } from "../trace/span.ts";
import { type Analyst, AnalystError, type StructuredRequest, type Usage } from "./types.ts";

function countTokens(analyst: string, usage: Usage): void {
  const t = metrics.analystTokens;
  t.labels(analyst, "input").inc(usage.inputTokens);
  t.labels(analyst, "output").inc(usage.outputTokens);
  t.labels(analyst, "cache_read").inc(usage.cacheReadTokens);
  t.labels(analyst, "cache_creation").inc(usage.cacheCreationTokens);
}

async function observe<R extends { usage: Usage }>(
  analyst: Analyst,
  task: "turn" | "structured",
  attributes: Record<string, string>,
  run: () => Promise<R>,
): Promise<R> {
  try {
    const result = await inSpan(`analyst.${task}`, {
      "paiid.analyst": analyst.kind,
      "gen_ai.request.model": analyst.model,
      ...attributes,
    }, run);
    metrics.analystRequests.labels(analyst.kind, task, "ok").inc();
    countTokens(analyst.kind, result.usage);
    return result;
  } catch (err) {
    const code = err instanceof AnalystError ? err.code : "error";
    metrics.analystRequests.labels(analyst.kind, task, code).inc();
    throw err;
  }
}

export function observedAnalyst(inner: Analyst): Analyst {
  return {
    get kind() {
      return inner.kind;
    },
    get model() {
      return inner.model;
    },
    turn(request, onEvent) {
      return observe(inner, "turn", {}, () => inner.turn(request, onEvent));
    },
    structured<T>(request: StructuredRequest<T>) {
      const attributes = { "paiid.analyst.task": request.task };
      return observe(inner, "structured", attributes, () => inner.structured(request));
    },
    ping() {
      return inner.ping();
    },
  };
}
