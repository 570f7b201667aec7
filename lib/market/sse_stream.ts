/**
 * Server-sent events for one hub client, as a plain `ReadableStream` of bytes.
 *
 * - Each hub event is serialised once, however many clients receive it: the first client to
 *   send it encodes its frame, every other client enqueues the very same bytes.
 * - Updates are pushed, not awaited: while the connection has taken everything sent (the
 *   stream's queue is empty), the hub hands each update to the stream as it is published and
 *   the frame is enqueued at once (`HubSink`), with no promise or batch per update and client.
 *   Fan-out to 1,000 clients is 1,000 calls of `offer`, and the runtime's own cost per
 *   streamed chunk is what remains (bench/stream_load.ts).
 * - While a slow client's connection is backed up (a frame waits in the queue), the hub client
 *   keeps one latest-value slot per symbol and type; when the connection takes the waiting
 *   frame the stream pulls them, so on catching up it gets the newest quote of each symbol,
 *   never a growing queue.
 * - A comment line every `heartbeatMs` keeps proxies from closing an idle connection (skipped
 *   while data is waiting to be read: such a connection is not idle). One timer per period
 *   serves every open stream, with the comment encoded once per beat.
 *
 * @module
 */
import { pushable } from "../http/push_body.ts";
import { eventPayload, type HubClient, type HubEvent, type HubSink } from "./stream_hub.ts";

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

/** Streams sending heartbeats, by period: one timer per period, however many streams. */
const beats = new Map<
  number,
  { timer: ReturnType<typeof setInterval>; streams: Set<(frame: Uint8Array) => void> }
>();

/** Calls `send` with a heartbeat comment every `ms`; returns what stops it. */
function onHeartbeat(ms: number, send: (frame: Uint8Array) => void): () => void {
  let beat = beats.get(ms);
  if (beat === undefined) {
    const streams = new Set<(frame: Uint8Array) => void>();
    const timer = setInterval(() => {
      const frame = encoder.encode(`: heartbeat ${new Date().toISOString()}\n\n`);
      for (const s of streams) s(frame);
    }, ms);
    beat = { timer, streams };
    beats.set(ms, beat);
  }
  const { streams, timer } = beat;
  streams.add(send);
  return () => {
    streams.delete(send);
    if (streams.size === 0 && beats.get(ms) === beat) {
      clearInterval(timer);
      beats.delete(ms);
    }
  };
}

/**
 * The hub client's updates as SSE bytes. Cancelling the stream (the HTTP client went away)
 * closes the hub client; the hub client closing (shutdown) ends the stream. The stream can also
 * be pushed (lib/http/push_body.ts): the front's direct answers then get each frame written to
 * the socket as the hub publishes it, with no stream read per frame and client.
 */
export function sseStream(
  client: HubClient,
  { preamble, heartbeatMs, side }: SseStreamOptions,
): ReadableStream<Uint8Array> {
  let ended = false;
  let started = false;
  let stopBeat: (() => void) | undefined;
  let stopSide: (() => void) | undefined;
  /** Ends the pull in progress, so that the connection's next read calls pull again. */
  let release: (() => void) | undefined;
  /** Where frames go and whether one sent now goes out at once: the stream's or the sink's. */
  let out: (frame: Uint8Array) => void = () => {};
  let canSend: () => boolean = () => false;
  let close: () => void = () => {};
  const end = () => {
    ended = true;
    stopBeat?.();
    stopSide?.();
    client.close();
  };
  const ready = () => !ended && canSend();
  const flush = () => {
    if (ended) return;
    if (client.closed) {
      end();
      close();
      return;
    }
    for (const e of client.take()) out(sseFrame(e));
  };
  const sink: HubSink = {
    offer(e) {
      if (!ready()) return false;
      out(sseFrame(e));
      return true;
    },
    wake() {
      if (ready() || client.closed) flush();
      else {
        release?.();
        release = undefined;
      }
    },
  };
  /** Sends the preamble and starts the updates, heartbeats and side events, once. */
  const begin = () => {
    started = true;
    if (ended) return close(); // cancelled before it started: nothing to subscribe
    out(encoder.encode(preamble));
    stopBeat = onHeartbeat(heartbeatMs, (frame) => {
      if (ready()) out(frame);
    });
    stopSide = side?.((frame) => {
      if (!ended) out(encoder.encode(frame));
    });
    client.deliverTo(sink);
  };
  const stream = new ReadableStream<Uint8Array>({
    // The connection took the waiting frame: send what was held meanwhile. The pull then
    // stays pending until an update has to wait again: while it is pending the connection's
    // reads do not call it, which saves a call and a promise per frame and client.
    pull(controller) {
      if (!started) {
        out = (frame) => controller.enqueue(frame);
        // With no queue of its own (highWaterMark 0), one frame may wait for the next read.
        canSend = () => (controller.desiredSize ?? -1) >= 0;
        close = () => controller.close();
        begin();
      } else if (client.pending || client.closed) flush();
      return new Promise<void>((resolve) => release = resolve);
    },
    cancel: end,
  }, { highWaterMark: 0 });
  return pushable(stream, {
    push(target) {
      if (started) throw new Error("this event stream is already being read");
      out = (frame) => target.send(frame);
      canSend = () => target.idle;
      close = () => target.end();
      begin();
      return () => {
        if (client.pending || client.closed) flush();
      };
    },
  });
}
