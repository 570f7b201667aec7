/**
 * A streamed response body that can also be pushed: its producer writes each chunk straight to
 * whoever sends the answer, with no `ReadableStream` read (a promise and a result object per
 * chunk and client) in between. The header-deadline front does this for the event streams it
 * answers itself (lib/http/direct_response.ts); `Deno.serve` reads the same body as an ordinary
 * stream.
 *
 * The producer must not start before it knows which of the two it feeds: a stream built with
 * `pushable` starts on its first read (a `highWaterMark` of 0), or on `push`.
 *
 * @module
 */

/** Where a pushed body goes. */
export interface PushSink {
  /** Nothing waits to be written: bytes sent now go out at once. */
  readonly idle: boolean;
  /** Writes `bytes` after whatever is still being written. */
  send(bytes: Uint8Array): void;
  /** The body is complete. */
  end(): void;
}

/** A producer that can feed a `PushSink` instead of its stream. */
export interface PushSource {
  /**
   * Starts sending to `sink`, once and instead of the stream. Returns what the sender calls each
   * time the sink becomes idle again (for updates held back while it was busy).
   */
  push(sink: PushSink): () => void;
}

const sources = new WeakMap<ReadableStream<Uint8Array>, PushSource>();

/** Marks `stream` as one `source` can feed directly; returns the stream. */
export function pushable(
  stream: ReadableStream<Uint8Array>,
  source: PushSource,
): ReadableStream<Uint8Array> {
  sources.set(stream, source);
  return stream;
}

/** The push source of a response body, when it has one and nothing has read it yet. */
export function pushSourceOf(body: ReadableStream<Uint8Array> | null): PushSource | undefined {
  if (body === null || body.locked) return undefined;
  return sources.get(body);
}
