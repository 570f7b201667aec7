/**
 * A counter in Deno KV that says "something changed, drop what you cached": for caches that
 * must follow a change made on any instance within a second (revoked sessions, the trading
 * halt). Whoever changes the data calls `bump()` after committing it; every instance reads the
 * key every `pollMs` and calls `onChange` when it moved.
 *
 * A read rather than `kv.watch`: a local (SQLite) KV does not tell other processes about
 * writes (seen on Deno 2.9: a watcher in process B never saw process A's `set`), and one small
 * read five times a second costs nothing. `trusted()` is false while the key has not been read
 * for `trustMs` (KV down, event loop stalled): callers then ask the database instead of memory.
 */
export interface KvEpochOptions {
  pollMs?: number;
  trustMs?: number;
  now?: () => number;
}

export const EPOCH_POLL_MS = 200;
export const EPOCH_TRUST_MS = 750;

export class KvEpoch {
  readonly #kv: Deno.Kv;
  readonly #key: Deno.KvKey;
  readonly #onChange: () => void;
  readonly #pollMs: number;
  readonly #trustMs: number;
  readonly #now: () => number;
  #stamp: string | null | undefined;
  #lastRead = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started = false;
  #closed = false;

  constructor(kv: Deno.Kv, key: Deno.KvKey, onChange: () => void, options: KvEpochOptions = {}) {
    this.#kv = kv;
    this.#key = key;
    this.#onChange = onChange;
    this.#pollMs = options.pollMs ?? EPOCH_POLL_MS;
    this.#trustMs = options.trustMs ?? EPOCH_TRUST_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Starts reading (on first use, so an idle instance or test pays nothing). */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    void this.#poll();
  }

  /** Whether a change made anywhere more than `trustMs` ago has certainly been seen. */
  trusted(now = this.#now()): boolean {
    return now - this.#lastRead <= this.#trustMs;
  }

  /** Tells every instance (this one included, at its next read) that the data changed. */
  async bump(): Promise<void> {
    await this.#kv.atomic().sum(this.#key, 1n).commit();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #poll(): Promise<void> {
    if (this.#closed) return;
    try {
      const { versionstamp } = await this.#kv.get(this.#key);
      if (versionstamp !== this.#stamp) {
        if (this.#stamp !== undefined) this.#onChange();
        this.#stamp = versionstamp;
      }
      this.#lastRead = this.#now();
    } catch {
      // KV unreadable (or closed at shutdown): `trusted()` turns false after trustMs.
    }
    if (this.#closed) return;
    const timer = setTimeout(() => void this.#poll(), this.#pollMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }
}
