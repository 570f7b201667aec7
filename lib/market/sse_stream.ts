/**
 * Server-sent events for one hub client, as a plain `ReadableStream` of bytes.
 *
 * - Each hub event is serialised once, however many clients receive it: the first client to
 *   send it encodes its frame, every other client enqueues the very same bytes.
 * - The stream pulls: it asks the hub client for updates only when its queue is empty, i.e.
 *   when the connection has taken what was sent. While a slow client's connection is backed
 *   up, its hub client keeps one latest-value slot per symbol and type, so on catching up it
 *   gets the newest quote of each symbol, never a growing queue.
 * - A comment line every `heartbeatMs` keeps proxies from closing an idle connection (skipped
 *   while data is waiting to be read: such a connection is not idle).
 *
 * @module
 */
import { eventPayload, type HubClient, type HubEvent } from "./stream_hub.ts";

const encoder = new TextEncoder();
const frames = new WeakMap<HubEvent, Uint8Array>();

/** The `event`/`data`/`id` frame of a hub event, encoded on first use and then shared. */
export function sseFrame(e: HubEvent): Uint8Array {
  let frame = frames.get(e);
  if (frame === undefined) {
    // JSON.stringify escapes line breaks, so the data fits on one `data:` line.
    const data = JSON.stringify(eventPayload(e));
    frame = encoder.encode(`event: ${e.event.type}\ndata: ${data}\nid: ${e.id}\n\n`);
    frames.set(e, frame);
  }
  return frame;
}

export interface SseStreamOptions {
  /** Frames sent before any update (the `ready` event). */
  preamble: string;
  /** Period of the keep-alive comment. */
  heartbeatMs: number;
  /**
   * Other events to interleave (the user's notifications): called once with a function that
   * sends a frame at once; returns what stops them. Meant for rare events, so they skip the
   * pull-based flow control.
   */
  side?: (send: (frame: string) => void) => () => void;
}

/**
 * The hub client's updates as SSE bytes. Cancelling the stream (the HTTP client went away)
 * closes the hub client; the hub client closing (shutdown) ends the stream.
 */
export function sseStream(
  client: HubClient,
  { preamble, heartbeatMs, side }: SseStreamOptions,
): ReadableStream<Uint8Array> {
  let beat: ReturnType<typeof setInterval> | undefined;
  let ended = false;
  let stopSide: (() => void) | undefined;
  const end = () => {
    ended = true;
    clearInterval(beat);
    stopSide?.();
    client.close();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(preamble));
      beat = setInterval(() => {
        if (!ended && (controller.desiredSize ?? 0) > 0) {
          controller.enqueue(encoder.encode(`: heartbeat ${new Date().toISOString()}\n\n`));
        }
      }, heartbeatMs);
      stopSide = side?.((frame) => {
        if (!ended) controller.enqueue(encoder.encode(frame));
      });
    },
    async pull(controller) {
      const batch = await client.next();
      if (ended) return;
      if (batch === null) {
        end();
        controller.close();
        return;
      }
      for (const e of batch) controller.enqueue(sseFrame(e));
    },
    cancel: end,
  });
}
