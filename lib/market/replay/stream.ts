/**
 * The replay quote stream: a timer that, while the simulated market is open, reads each
 * subscribed symbol's quote and hands it to the reader. It starts with one snapshot of every
 * symbol (whatever the market state), keeps going while the session runs, and sends one more
 * round right after the close so readers see the closing print. A reader that falls behind
 * gets the newest quote per symbol, never a growing queue.
 *
 * @module
 */
import type { Quote, QuoteStream, StreamEvent } from "../types.ts";

export interface ReplayStreamOptions {
  symbols: string[];
  intervalMs: number;
  isOpen: () => Promise<boolean>;
  quote: (symbol: string) => Promise<Quote>;
  onClose?: (stream: ReplayStream) => void;
  signal?: AbortSignal;
}

/** See the module comment. `close()` (or the signal) stops the timer and ends iteration. */
export class ReplayStream implements QuoteStream {
  readonly #o: ReplayStreamOptions;
  /** Newest undelivered event per symbol, in arrival order. */
  readonly #pending = new Map<string, StreamEvent>();
  readonly #waiters: ((r: IteratorResult<StreamEvent>) => void)[] = [];
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #onAbort = () => this.close();
  #closed = false;
  #busy = false;
  #first = true;
  #wasOpen = false;

  constructor(o: ReplayStreamOptions) {
    this.#o = o;
    this.#timer = setInterval(() => void this.#tick(), o.intervalMs);
    o.signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (o.signal?.aborted) this.close();
    else void this.#tick();
  }

  async #tick(): Promise<void> {
    // A slow round (cold data) is never overlapped by the next one.
    if (this.#busy || this.#closed) return;
    this.#busy = true;
    try {
      const open = await this.#o.isOpen();
      if (this.#first || open || this.#wasOpen) {
        const quotes = await Promise.allSettled(this.#o.symbols.map((s) => this.#o.quote(s)));
        // A symbol with no history on the replay day simply has nothing to say.
        for (const q of quotes) if (q.status === "fulfilled") this.#push(q.value);
      }
      this.#first = false;
      this.#wasOpen = open;
    } catch {
      // The next tick retries; a stream never dies of one failed read.
    } finally {
      this.#busy = false;
    }
  }

  #push(quote: Quote): void {
    if (this.#closed) return;
    const event: StreamEvent = { type: "quote", quote };
    const waiter = this.#waiters.shift();
    if (waiter) return waiter({ value: event, done: false });
    this.#pending.delete(quote.symbol);
    this.#pending.set(quote.symbol, event);
  }

  #next(): Promise<IteratorResult<StreamEvent>> {
    const first = this.#pending.entries().next();
    if (!first.done) {
      this.#pending.delete(first.value[0]);
      return Promise.resolve({ value: first.value[1], done: false });
    }
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    return {
      next: () => this.#next(),
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#o.signal?.removeEventListener("abort", this.#onAbort);
    this.#pending.clear();
    for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
    this.#o.onClose?.(this);
  }
}
