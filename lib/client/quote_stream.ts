/**
 * The browser's side of `GET /api/stream/quotes`: one EventSource for a set of symbols that
 * delivers each quote to a callback and comes back by itself after the server goes away.
 * EventSource retries a dropped connection on its own, but gives up for good when an answer is
 * not a stream (a 5xx during a restart, say); this reopens it then, with a growing delay.
 */
import type { Quote, StreamEvent } from "../market/types.ts";
import { backoffDelay } from "../shared/backoff.ts";

/** A quote as the stream or the API carries it; `stale` marks a cached value served on error. */
export type LiveQuote = Quote & { stale?: boolean };

export type StreamStatus = "connecting" | "open" | "reconnecting";

/** More events on the same connection: a query flag that asks for them, and who listens. */
export interface SideEvents {
  /** Appended to the URL, e.g. `notifications=1`. */
  query: string;
  /** Called with each EventSource opened, to add its own listeners. */
  attach(source: EventSource): void;
}

export interface QuoteStreamOptions {
  symbols: readonly string[];
  onQuote(quote: LiveQuote): void;
  /** Other events the same connection carries (the signed-in user's notifications). */
  side?: SideEvents;
  onStatus?(status: StreamStatus): void;
  /** Default `/api/stream/quotes`. */
  url?: string;
  /** First reconnect delay in ms (default 1000); doubles per failure up to `maxDelayMs`. */
  minDelayMs?: number;
  /** Default 30000. */
  maxDelayMs?: number;
  /** For tests and non-browser hosts; default the global EventSource. */
  EventSource?: typeof EventSource;
}

/**
 * The quote in one event's data: either a quote itself or a `{type: "quote", quote}` stream event.
 * Anything else (heartbeats, trades, garbage) gives null.
 */
export function parseQuoteEvent(data: string): LiveQuote | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const event = value as Partial<StreamEvent> & { quote?: unknown };
  const candidate = event.type === "quote" && event.quote ? event.quote : value;
  const q = candidate as Partial<LiveQuote>;
  if (typeof q.symbol !== "string" || typeof q.timestamp !== "string") return null;
  if (q.source !== "replay" && q.source !== "tradier") return null;
  if (q.last !== null && typeof q.last !== "number") return null;
  return candidate as LiveQuote;
}

/** Opens the stream; returns a function that closes it for good. */
export function subscribeQuotes(opts: QuoteStreamOptions): () => void {
  const Source = opts.EventSource ?? globalThis.EventSource;
  const minDelay = opts.minDelayMs ?? 1_000;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  const symbols = [...new Set(opts.symbols.map((s) => s.toUpperCase()))];
  const side = opts.side;
  const url = `${opts.url ?? "/api/stream/quotes"}?symbols=${
    encodeURIComponent(symbols.join(","))
  }${side ? `&${side.query}` : ""}`;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let closed = false;

  const onData = (event: MessageEvent) => {
    const quote = parseQuoteEvent(String(event.data));
    if (quote) opts.onQuote(quote);
  };

  const open = () => {
    if (closed) return;
    opts.onStatus?.(failures === 0 ? "connecting" : "reconnecting");
    const es = new Source(url);
    source = es;
    es.addEventListener("message", onData);
    es.addEventListener("quote", onData as EventListener);
    side?.attach(es);
    es.addEventListener("open", () => {
      failures = 0;
      opts.onStatus?.("open");
    });
    es.addEventListener("error", () => {
      if (closed) return;
      if (es.readyState === es.CLOSED) {
        // The browser gave up on this one: start over after a pause.
        es.close();
        failures++;
        timer = setTimeout(open, backoffDelay(failures, { baseMs: minDelay, maxMs: maxDelay }));
      }
      opts.onStatus?.("reconnecting");
    });
  };

  if (symbols.length > 0 || side) open();
  return () => {
    closed = true;
    clearTimeout(timer);
    source?.close();
  };
}
