/**
 * Fans live market updates out to every connected client (SSE and WebSocket alike) over one
 * upstream subscription per symbol.
 *
 * - The first client of a symbol opens `market.stream([symbol])`; the last one leaving closes
 *   it. A failing upstream is reopened with backoff while anyone still listens.
 * - Every update gets an id `<hub epoch>-<sequence>`, increasing across all symbols of the hub.
 *   Each symbol keeps its last few updates in a ring, so a client reconnecting with
 *   `Last-Event-ID` gets what it missed (or, after a restart or a long gap, the latest value).
 * - A client never queues: it holds one latest-value slot per symbol and update type, so a slow
 *   reader skips intermediate prices instead of growing a backlog.
 *
 * In-process only: with several instances each runs its own hub (and upstream subscriptions).
 *
 * @module
 */
import type { Logger } from "../log.ts";
import { metrics } from "../metrics/mod.ts";
import { backoffDelay, type BackoffOptions } from "../shared/backoff.ts";
import type { MarketData, Quote, QuoteStream, StreamEvent } from "./types.ts";

/** One update as sent to clients. */
export interface HubEvent {
  /** `<epoch>-<seq>`: increasing within one hub, unique across restarts. */
  id: string;
  seq: number;
  symbol: string;
  event: StreamEvent;
}

export interface StreamHubOptions {
  /** Updates kept per symbol for `Last-Event-ID` resume. Default 64. */
  ringSize?: number;
  /** First delay before reopening a failed upstream; doubles to `maxBackoffMs`. Default 500. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How often connections send a heartbeat so proxies keep them open. Default 15 s. */
  heartbeatMs?: number;
  /** Seed a new symbol's latest value from `market.quotes` so clients see a price at once. */
  seedFromQuotes?: boolean;
  log?: Logger;
}

export interface SubscribeOptions {
  /** The `Last-Event-ID` of a reconnecting client. */
  lastEventId?: string | null;
}

/** How a client reaches us; the app's own listeners (alerts, the matcher) have none. */
export type Transport = "sse" | "ws";

export interface ClientOptions extends SubscribeOptions {
  /** Counts the client in `paiid_stream_clients` (lib/metrics/) until it closes. */
  transport?: Transport;
}

interface Channel {
  symbol: string;
  clients: Set<HubClient>;
  ring: HubEvent[];
  /**
   * The ring holds every update of this symbol after this sequence number: the channel's
   * creation, or the last update pushed out of the ring.
   */
  completeAfter: number;
  /** Latest update per type ("quote"/"trade"), for new clients and lost resumes. */
  latest: Map<string, HubEvent>;
  abort: AbortController;
  upstream: QuoteStream | null;
}

/**
 * A consumer that takes updates the moment they are published (the SSE body), instead of
 * awaiting `next()`: no promise per update and client. See `HubClient.deliverTo`.
 */
export interface HubSink {
  /**
   * Offered each update as it is published, when nothing older is pending. True when taken;
   * false when the consumer cannot take more now: the update is then held in its slot.
   */
  offer(e: HubEvent): boolean;
  /** Updates are held (refused, or replayed on resume) or the client closed: see `take()`. */
  wake(): void;
}

/** What a client receives for one update: the quote itself, or the trade event. */
export function eventPayload(e: HubEvent): unknown {
  return e.event.type === "quote" ? e.event.quote : e.event;
}

/**
 * A client's slot for an update: its symbol and type. Kept per event, since every client
 * holding the event would otherwise build the same string.
 */
const slots = new WeakMap<HubEvent, string>();
function slotOf(e: HubEvent): string {
  let slot = slots.get(e);
  if (slot === undefined) {
    slot = `${e.symbol}\u0000${e.event.type}`;
    slots.set(e, slot);
  }
  return slot;
}

/** The symbol an upstream event is about. */
function symbolOf(e: StreamEvent): string {
  return e.type === "quote" ? e.quote.symbol : e.symbol;
}

/**
 * One client's view of the hub: iterate it to receive batches of updates (oldest first), or
 * hand it a `HubSink` that takes each update as it is published (the SSE body); between reads
 * at most one update per symbol and type is held.
 */
export class HubClient implements AsyncIterable<HubEvent[]> {
  readonly #hub: StreamHub;
  readonly #slots = new Map<string, HubEvent>();
  /** Updates missed while disconnected (a `Last-Event-ID` resume), delivered before the slots. */
  #backlog: HubEvent[] = [];
  readonly #symbols = new Set<string>();
  #wake: (() => void) | null = null;
  #sink: HubSink | null = null;
  #closed = false;
  /** Updates dropped because a newer one for the same slot arrived before it was read. */
  skipped = 0;

  readonly #transport?: Transport;

  constructor(hub: StreamHub, transport?: Transport) {
    this.#hub = hub;
    this.#transport = transport;
    if (transport) metrics.streamClients.labels(transport).inc();
  }

  /** Symbols currently subscribed. */
  get symbols(): string[] {
    return [...this.#symbols];
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Adds symbols (already-subscribed ones are ignored). */
  subscribe(symbols: string[], opts: SubscribeOptions = {}): void {
    if (this.#closed) return;
    const added = symbols.filter((s) => !this.#symbols.has(s));
    for (const s of added) this.#symbols.add(s);
    this.#hub._attach(this, added, opts.lastEventId ?? null);
  }

  /** Removes symbols; the hub ends an upstream subscription nobody listens to any more. */
  unsubscribe(symbols: string[]): void {
    const removed = symbols.filter((s) => this.#symbols.delete(s));
    for (const key of [...this.#slots.keys()]) {
      if (removed.includes(this.#slots.get(key)!.symbol)) this.#slots.delete(key);
    }
    this.#backlog = this.#backlog.filter((e) => !removed.includes(e.symbol));
    this.#hub._detach(this, removed);
  }

  /** Leaves every symbol and ends the iteration. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.unsubscribe([...this.#symbols]);
    this.#closed = true;
    if (this.#transport) metrics.streamClients.labels(this.#transport).dec();
    this.#wake?.();
    this.#sink?.wake();
  }

  /**
   * Hands every later update to `sink` as it is published, while nothing is held; what it
   * refuses waits in the slots (the newest per symbol and type) for `take()`.
   */
  deliverTo(sink: HubSink): void {
    this.#sink = sink;
    if (this.pending || this.#closed) sink.wake();
  }

  /** Whether updates are held for `take()` / `next()`. */
  get pending(): boolean {
    return this.#slots.size > 0 || this.#backlog.length > 0;
  }

  /** @internal Called by the hub: replaces the slot's pending update. */
  _offer(e: HubEvent): void {
    if (this.#closed) return;
    const sink = this.#sink;
    // Held updates are older than this one and go first, through take().
    if (sink !== null && !this.pending && sink.offer(e)) return;
    const key = slotOf(e);
    if (this.#slots.has(key)) this.skipped++;
    this.#slots.set(key, e);
    this.#wake?.();
    sink?.wake();
  }

  /** @internal Called by the hub on resume: every missed update, kept in full. */
  _replay(events: HubEvent[]): void {
    if (this.#closed || events.length === 0) return;
    this.#backlog.push(...events);
    this.#wake?.();
    this.#sink?.wake();
  }

  /** The pending updates, oldest first, emptying the slots; waits until there is one. */
  async next(): Promise<HubEvent[] | null> {
    while (this.#slots.size === 0 && this.#backlog.length === 0) {
      if (this.#closed) return null;
      await new Promise<void>((resolve) => this.#wake = resolve);
      this.#wake = null;
    }
    if (this.#closed) return null;
    return this.take();
  }

  /** The held updates, oldest first, emptying the slots; none when nothing is held. */
  take(): HubEvent[] {
    if (!this.pending) return [];
    if (this.#backlog.length === 0) {
      // The usual case, once per client per update: no resume backlog to merge.
      const batch = [...this.#slots.values()];
      this.#slots.clear();
      if (batch.length > 1) batch.sort((a, b) => a.seq - b.seq);
      return batch;
    }
    const seen = new Set(this.#backlog.map((e) => e.seq));
    const batch = [...this.#backlog, ...[...this.#slots.values()].filter((e) => !seen.has(e.seq))]
      .sort((a, b) => a.seq - b.seq);
    this.#backlog = [];
    this.#slots.clear();
    return batch;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<HubEvent[]> {
    try {
      for (let batch = await this.next(); batch; batch = await this.next()) yield batch;
    } finally {
      this.close();
    }
  }
}

/** Shares upstream `MarketData.stream` subscriptions between clients. */
export class StreamHub {
  readonly #market: MarketData;
  readonly #channels = new Map<string, Channel>();
  readonly #ringSize: number;
  readonly #backoff: BackoffOptions;
  readonly #seed: boolean;
  readonly #log?: Logger;
  /** Distinguishes ids of this hub from a previous process's. */
  readonly epoch = Date.now().toString(36);
  /** Heartbeat period for the transports (SSE, WebSocket) built on this hub. */
  readonly heartbeatMs: number;
  #seq = 0;
  #closed = false;
  readonly #tasks = new Set<Promise<void>>();
  readonly #taps = new Set<(e: HubEvent) => void>();

  constructor(market: MarketData, opts: StreamHubOptions = {}) {
    this.#market = market;
    this.#ringSize = opts.ringSize ?? 64;
    this.#backoff = { baseMs: opts.backoffMs ?? 500, maxMs: opts.maxBackoffMs ?? 30_000 };
    this.#retryDelay(1); // a bad backoff option fails here, not in the first reopen
    this.#seed = opts.seedFromQuotes ?? true;
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
    this.#log = opts.log;
  }

  /** The source behind the hub. */
  get source(): MarketData["source"] {
    return this.#market.source;
  }

  /** A new client, subscribed to `symbols`. */
  subscribe(symbols: string[], opts: ClientOptions = {}): HubClient {
    const client = new HubClient(this, opts.transport);
    client.subscribe(symbols, opts);
    return client;
  }

  /**
   * Calls `fn` synchronously with every update the hub publishes, none skipped (clients may
   * skip to the newest). For consumers that must judge each quote, like alerts; it opens no
   * subscription itself, so pair it with a client for the symbols wanted.
   */
  tap(fn: (e: HubEvent) => void): () => void {
    this.#taps.add(fn);
    return () => void this.#taps.delete(fn);
  }

  /** Symbols with an open upstream subscription, and how many clients each has. */
  stats(): Record<string, number> {
    return Object.fromEntries([...this.#channels].map(([s, c]) => [s, c.clients.size]));
  }

  /** @internal */
  _attach(client: HubClient, symbols: string[], lastEventId: string | null): void {
    if (this.#closed) {
      client.close();
      return;
    }
    const resumeAfter = this.#parseId(lastEventId);
    for (const symbol of symbols) {
      let channel = this.#channels.get(symbol);
      if (!channel) {
        channel = {
          symbol,
          clients: new Set(),
          ring: [],
          completeAfter: this.#seq,
          latest: new Map(),
          abort: new AbortController(),
          upstream: null,
        };
        this.#channels.set(symbol, channel);
        this.#track(this.#pump(channel));
        if (this.#seed) this.#track(this.#seedChannel(channel));
      }
      channel.clients.add(client);
      // What this client has not seen yet: the missed updates when the ring still covers the
      // gap, otherwise the latest value of each type.
      const covered = resumeAfter !== null && resumeAfter >= channel.completeAfter;
      if (covered) client._replay(channel.ring.filter((e) => e.seq > resumeAfter));
      else {for (const e of [...channel.latest.values()].sort((a, b) => a.seq - b.seq)) {
          client._offer(e);
        }}
    }
  }

  /** @internal */
  _detach(client: HubClient, symbols: string[]): void {
    for (const symbol of symbols) {
      const channel = this.#channels.get(symbol);
      if (!channel) continue;
      channel.clients.delete(client);
      if (channel.clients.size === 0) this.#end(channel);
    }
  }

  /** Ends every upstream subscription and every client. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const channel of [...this.#channels.values()]) {
      for (const client of [...channel.clients]) client.close();
      this.#end(channel);
    }
    await Promise.allSettled([...this.#tasks]);
  }

  #track(task: Promise<void>): void {
    this.#tasks.add(task);
    task.finally(() => this.#tasks.delete(task));
  }

  #end(channel: Channel): void {
    if (this.#channels.get(channel.symbol) === channel) this.#channels.delete(channel.symbol);
    channel.abort.abort();
    channel.upstream?.close();
  }

  /** Our own ids only, and only this epoch's: another epoch's sequence means nothing here. */
  #parseId(id: string | null): number | null {
    const m = id?.match(/^([0-9a-z]+)-(\d+)$/);
    if (!m || m[1] !== this.epoch) return null;
    return Number(m[2]);
  }

  #publish(channel: Channel, event: StreamEvent): void {
    if (this.#channels.get(channel.symbol) !== channel) return;
    // Sources may repeat an unchanged quote (replay ticks faster than its prices move).
    const previous = channel.latest.get(event.type)?.event;
    if (previous?.type === "quote" && event.type === "quote" && sameQuote(previous, event)) return;
    const seq = ++this.#seq;
    const e: HubEvent = { id: `${this.epoch}-${seq}`, seq, symbol: channel.symbol, event };
    channel.ring.push(e);
    if (channel.ring.length > this.#ringSize) channel.completeAfter = channel.ring.shift()!.seq;
    channel.latest.set(event.type, e);
    for (const tap of this.#taps) {
      try {
        tap(e);
      } catch (err) {
        this.#log?.warn("stream tap failed", { error: (err as Error).message });
      }
    }
    for (const client of channel.clients) client._offer(e);
  }

  async #seedChannel(channel: Channel): Promise<void> {
    try {
      const [quote] = await this.#market.quotes([channel.symbol]);
      // Only when the stream has not spoken yet: a live update is newer than any snapshot.
      if (quote && channel.latest.size === 0) this.#publish(channel, { type: "quote", quote });
    } catch (err) {
      this.#log?.warn("stream seed quote failed", {
        symbol: channel.symbol,
        error: (err as Error).message,
      });
    }
  }

  /** Wait before reopening an upstream after `failures` failures in a row. */
  #retryDelay(failures: number): number {
    return backoffDelay(failures, this.#backoff);
  }

  /** Reads the symbol's upstream until the channel ends, reopening it after failures. */
  async #pump(channel: Channel): Promise<void> {
    const { signal } = channel.abort;
    // Consecutive failures without a single event; any event resets the backoff.
    let failures = 0;
    while (!signal.aborted) {
      try {
        channel.upstream = this.#market.stream([channel.symbol], signal);
        if (signal.aborted) break;
        for await (const event of channel.upstream) {
          if (signal.aborted) break;
          if (symbolOf(event) !== channel.symbol) continue;
          this.#publish(channel, event);
          failures = 0;
        }
      } catch (err) {
        if (signal.aborted) break;
        this.#log?.warn("market stream failed; reopening", {
          symbol: channel.symbol,
          error: (err as Error).message,
          retry_ms: this.#retryDelay(failures + 1),
        });
      } finally {
        channel.upstream?.close();
        channel.upstream = null;
      }
      if (signal.aborted) break;
      failures++;
      await sleep(this.#retryDelay(failures), signal);
    }
  }
}

function sameQuote(a: { quote: Quote }, b: { quote: Quote }): boolean {
  const x = a.quote;
  const y = b.quote;
  return x.timestamp === y.timestamp && x.last === y.last && x.bid === y.bid &&
    x.ask === y.ask && x.volume === y.volume && x.bidSize === y.bidSize &&
    x.askSize === y.askSize;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
