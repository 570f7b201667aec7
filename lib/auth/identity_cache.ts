/**
 * Who a live session or API token belongs to, kept in memory so that a signed-in request costs
 * no database round trip.
 *
 * Revocation (sign-out, session revoke, sign out everywhere, password change, refresh-token
 * reuse, API-token revoke) must still take effect on every instance within a second. Whoever
 * revokes calls `revoked()` after the database change: this instance drops its cache at once and
 * bumps an epoch in KV (lib/kv_epoch.ts) that every instance reads five times a second, dropping
 * its cache when it moved.
 *
 * Two rules keep the cache honest when the epoch cannot be read (KV down, event loop stalled):
 * an entry is only used while the epoch was read within the last 750 ms, otherwise the database
 * answers; and a lookup that raced with a flush is not stored. So a revoked credential is
 * refused everywhere within 750 ms (+ one KV read), and without KV the app is as before.
 * Changes made outside the app (SQL by hand) are picked up after MAX_AGE_MS.
 */
import type { AuthUser } from "../state.ts";
import { EPOCH_TRUST_MS, KvEpoch } from "../kv_epoch.ts";

export const EPOCH_KEY: Deno.KvKey = ["auth", "revocation_epoch"];
export const TRUST_MS = EPOCH_TRUST_MS;
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
  readonly #epoch: KvEpoch;
  readonly #now: () => number;
  readonly #sessions = new Map<string, Entry<LiveSession>>();
  readonly #tokens = new Map<string, Entry<LiveApiToken>>();
  /** Bumped on every flush; a lookup stores its answer only if no flush happened meanwhile. */
  #generation = 0;
  #closed = false;

  constructor(kv: Deno.Kv, options: IdentityCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#epoch = new KvEpoch(kv, EPOCH_KEY, () => this.#flush(), {
      pollMs: options.pollMs,
      now: this.#now,
    });
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
    await this.#epoch.bump();
  }

  /** Stops reading the epoch; the cache then always asks the database. */
  close(): void {
    this.#closed = true;
    this.#epoch.close();
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
    this.#epoch.start();
    const now = this.#now();
    const trusted = this.#epoch.trusted(now);
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
}
