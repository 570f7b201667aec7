/**
 * Spans around PaiiD's seams for Deno's built-in OpenTelemetry export. With `OTEL_DENO=true`
 * Deno registers its tracer provider with `@opentelemetry/api` and exports over OTLP (traces of
 * `Deno.serve` requests, `fetch` calls and `Deno.cron` runs come on their own); these spans sit
 * inside them: market data reads, upstream calls, broker submissions, analyst calls, job runs.
 * Without it the API hands out a no-op tracer, so a span costs one small object.
 *
 * Attributes carry kinds and names (seam, cache kind, job, order type), never a user's data.
 *
 * @module
 */
import { type Attributes, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import { VERSION } from "../version.ts";

const tracer = trace.getTracer("paiid", VERSION);

/**
 * Runs `fn` inside a span named `name` (the active span while it runs, so `fetch` spans nest
 * under it). A throw marks the span as an error with the error's name, and is rethrown.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      // The name only: messages can quote upstream answers.
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(err) });
      span.setAttribute("error.type", errorName(err));
      throw err;
    } finally {
      span.end();
    }
  });
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
