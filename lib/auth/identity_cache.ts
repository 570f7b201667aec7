/**
 * Who a live session or API token belongs to, kept in memory so that a signed-in request costs
 * no database round trip.
 *
 * Revocation (sign-out, session revoke, sign out everywhere, password change, refresh-token
 * reuse, API-token revoke) must still take effect on every instance within a second. Whoever
 * revokes calls `revoked()` after the database change: this instance drops its cache at once and
 * bumps an epoch in KV. Every instance reads the epoch every POLL_MS and drops its cache when it
 * moved. A read rather than `kv.watch`: a local (SQLite) KV does not notify other processes of
 * writes (seen on Deno 2.9: a watcher in process B never saw process A's `set`), and one small
 * read four times a second costs nothing next to a read per request.
 *
 * Two rules keep the cache honest when the epoch cannot be read (KV down, event loop stalled):
 * an entry is only used while the last successful read is at most TRUST_MS old, otherwise the
 * database answers; and a lookup that raced with a flush is not stored. So a revoked credential
 * is refused everywhere within TRUST_MS (+ one KV read), and without KV the app is as before.
 * Changes made outside the app (SQL by hand) are picked up after MAX_AGE_MS.
 */
import type { AuthUser } from "../state.ts";

export const EPOCH_KEY: Deno.KvKey = ["auth", "revocation_epoch"];
export const POLL_MS = 200;
export const TRUST_MS = 750;
export const MAX_AGE_MS = 60_000;
export const MAX_ENTRIES = 10_000;

/** A live session family: its user and when the family ends at the latest. */
export interface LiveSession {
  user: AuthUser;
  absoluteExpiresAt: Date;
}

/** A live API token: its user, id and expiry. */
export interface LiveApiToken {
  user: AuthUser;
  tokenId: number;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

interface Entry<T> {
  value: T;
  storedAt: number;
}

export interface IdentityCacheOptions {
  now?: () => number;
  pollMs?: number;
}

export class IdentityCache {
  readonly #kv: Deno.Kv;
  readonly #now: () => number;
  readonly #pollMs: number;
  readonly #sessions = new Map<string, Entry<LiveSession>>();
  readonly #tokens = new Map<string, Entry<LiveApiToken>>();
  /** Bumped on every flush; a lookup stores its answer only if no flush happened meanwhile. */
  #generation = 0;
  #epoch: string | null | undefined;
  #lastRead = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started = false;
  #closed = false;

  constructor(kv: Deno.Kv, options: IdentityCacheOptions = {}) {
    this.#kv = kv;
    this.#now = options.now ?? Date.now;
    this.#pollMs = options.pollMs ?? POLL_MS;
  }

  /** The session `sessionId` of `userId`, from memory or from `load` (the database). */
  session(
    userId: number,
    sessionId: string,
    load: () => Promise<LiveSession | undefined>,
  ): Promise<LiveSession | undefined> {
    return this.#lookup(
      this.#sessions,
      `${userId}:${sessionId}`,
      load,
      (s, now) => s.absoluteExpiresAt.getTime() > now,
    );
  }

  /** The API token with SHA-256 `hash`, from memory or from `load` (the database). */
  apiToken(
    hash: string,
    load: () => Promise<LiveApiToken | undefined>,
  ): Promise<LiveApiToken | undefined> {
    return this.#lookup(
      this.#tokens,
      hash,
      load,
      (t, now) => t.expiresAt === null || t.expiresAt.getTime() > now,
    );
  }

  /**
   * Call after a revocation is committed: drops this instance's cache now and tells the others
   * through KV. A failed KV write is thrown (the caller's request fails loudly rather than
   * leaving other instances trusting a revoked credential).
   */
  async revoked(): Promise<void> {
    this.#flush();
    await this.#kv.atomic().sum(EPOCH_KEY, 1n).commit();
  }

  /** Stops reading the epoch; the cache then always asks the database. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#flush();
  }

  /** How many credentials are held (for tests and metrics). */
  get size(): number {
    return this.#sessions.size + this.#tokens.size;
  }

  async #lookup<T>(
    map: Map<string, Entry<T>>,
    key: string,
    load: () => Promise<T | undefined>,
    live: (value: T, now: number) => boolean,
  ): Promise<T | undefined> {
    this.#start();
    const now = this.#now();
    const trusted = now - this.#lastRead <= TRUST_MS;
    const hit = map.get(key);
    if (hit && trusted && now - hit.storedAt <= MAX_AGE_MS && live(hit.value, now)) {
      return hit.value;
    }
    if (hit) map.delete(key);
    const generation = this.#generation;
    const value = await load();
    if (value !== undefined && trusted && generation === this.#generation && !this.#closed) {
      if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
      map.set(key, { value, storedAt: now });
    }
    return value;
  }

  #flush(): void {
    this.#generation++;
    this.#sessions.clear();
    this.#tokens.clear();
  }

  #start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    void this.#poll();
  }

  async #poll(): Promise<void> {
    if (this.#closed) return;
    try {
      const { versionstamp } = await this.#kv.get(EPOCH_KEY);
      if (versionstamp !== this.#epoch) {
        if (this.#epoch !== undefined) this.#flush();
        this.#epoch = versionstamp;
      }
      this.#lastRead = this.#now();
    } catch {
      // KV unreadable (or closed at shutdown): entries stop being trusted after TRUST_MS.
    }
    if (this.#closed) return;
    const timer = setTimeout(() => void this.#poll(), this.#pollMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }
}
