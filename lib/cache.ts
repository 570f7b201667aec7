/**
 * Read-through cache for upstream data in Deno KV (DESIGN.md "Cache TTLs").
 *
 * ```ts
 * const cache = new Cache(await Deno.openKv());
 * const { value, stale } = await cache.get("quote", ["tradier", "AAPL"], () => fetchQuote("AAPL"));
 * ```
 *
 * - Freshness comes from each entry's own `expiresAt`, because KV's `expireIn` deletes late.
 *   `expireIn` only bounds how long an expired entry is kept as a fallback (`staleForMs`).
 * - Hot kinds (`quote` by default: quotes, clock, time and sales) are also kept in a small
 *   in-process L1 (LRU, `l1Size` entries), so a fresh hit costs no I/O. An L1 entry expires at the
 *   `expiresAt` of the KV entry it came from, never later, so KV stays the shared truth: another
 *   instance's refresh or `delete` is seen here at most one TTL late. Stale answers never go in.
 * - Concurrent `get`s for one key in this process share one KV read and at most one fetch.
 * - When the fetch fails and an expired entry is still kept, it is returned with `stale: true`.
 * - Each read is counted in `paiid_cache_requests_total` (lib/metrics/): hit, miss, stale or
 *   error, once per lookup (callers that joined an in-flight lookup are not counted again).
 * - Values are stored as JSON, so what comes back is `JSON.parse(JSON.stringify(value))` on a
 *   hit and on a miss alike (a `Date` becomes a string). Values above KV's 64 KiB limit are
 *   gzipped and split across several entries.
 *
 * @module
 */
import { metrics } from "./metrics/mod.ts";
import { concatBytes } from "./shared/bytes.ts";

/** The kinds of upstream data that are cached, each with its own TTL. */
export type CacheKind = "quote" | "chain" | "bars" | "news" | "company";

/** How long a fetched value counts as fresh, per kind. */
export const CACHE_TTL_MS = {
  quote: 5_000,
  chain: 60_000,
  bars: 60 * 60_000,
  news: 5 * 60_000,
  company: 24 * 60 * 60_000,
} as const satisfies Record<CacheKind, number>;

/** Default for `CacheOptions.staleForMs`. */
export const DEFAULT_STALE_FOR_MS = 24 * 60 * 60_000;

/** Per-call options for `Cache.get`. */
export interface GetOptions {
  /** Overrides the cache's `staleForMs` for this entry (e.g. short for bulky, rarely reread data). */
  staleForMs?: number;
}

/** A value from the cache. Shared between coalesced callers: treat it as read-only. */
export interface Cached<T> {
  value: T;
  /** True when the upstream failed and this is an expired entry served as a fallback. */
  stale: boolean;
  /** When the value was fetched from upstream. */
  fetchedAt: Date;
}

/** Options for `Cache`. */
export interface CacheOptions {
  /** Clock in epoch milliseconds; tests inject one instead of sleeping. */
  now?: () => number;
  /** How long after expiry an entry stays available as a stale fallback. Default 24 h. */
  staleForMs?: number;
  /** Kinds also kept in the in-process L1. Default `["quote"]`; `[]` turns the L1 off. */
  l1Kinds?: readonly CacheKind[];
  /** Most entries the L1 keeps; the least recently used goes first. Default 1,000. */
  l1Size?: number;
}

/** Default for `CacheOptions.l1Size`. */
export const DEFAULT_L1_SIZE = 1_000;

interface L1Entry {
  cached: Cached<unknown>;
  expiresAt: number;
}

/** Stored at `["cache", kind, ...key]`. */
interface Entry {
  v: 1;
  fetchedAt: number;
  expiresAt: number;
  staleUntil: number;
  /** UTF-8 JSON, when it fits in one KV value. */
  json?: Uint8Array;
  /** Otherwise gzipped JSON in `count` chunks under `[...CHUNKS, id, i]`. */
  chunks?: { id: string; count: number; bytes: number };
}

/**
 * Chunks live outside `["cache", kind, ...]` so no caller's key can collide with them, and under
 * a fresh id per write so a reader never mixes chunks of two versions.
 */
const CHUNKS = ["cache", "~chunks"] as const;
// KV rejects values over 64 KiB including their encoding overhead.
const MAX_INLINE_BYTES = 60_000;
const CHUNK_BYTES = 60_000;
// KV also caps one atomic commit at 800 KiB, so chunks go out in batches.
const CHUNKS_PER_COMMIT = 10;
// Chunks must outlive the entry pointing at them; KV's expiry is not exact.
const CHUNK_EXPIRY_MARGIN_MS = 60 * 60_000;

/** Read-through cache over one `Deno.Kv`. */
export class Cache {
  readonly #kv: Deno.Kv;
  readonly #now: () => number;
  readonly #staleForMs: number;
  readonly #inFlight = new Map<string, Promise<Cached<unknown>>>();
  readonly #l1 = new Map<string, L1Entry>();
  readonly #l1Kinds: ReadonlySet<CacheKind>;
  readonly #l1Size: number;

  constructor(kv: Deno.Kv, options: CacheOptions = {}) {
    this.#kv = kv;
    this.#now = options.now ?? Date.now;
    this.#staleForMs = options.staleForMs ?? DEFAULT_STALE_FOR_MS;
    this.#l1Kinds = new Set(options.l1Kinds ?? ["quote"]);
    this.#l1Size = options.l1Size ?? DEFAULT_L1_SIZE;
  }

  /**
   * Returns the fresh cached value for `key` (put the provider name in it, e.g.
   * `["tradier", "AAPL"]`), or calls `fetch`, stores its result for the kind's TTL and returns
   * it. When `fetch` throws, returns the expired entry marked `stale` if one is kept, otherwise
   * rethrows. Throws `TypeError` when the fetched value does not serialize to JSON.
   * `options.staleForMs` sets how long this entry is kept past its TTL as a fallback.
   */
  get<T>(
    kind: CacheKind,
    key: Deno.KvKey,
    fetch: () => Promise<T>,
    options: GetOptions = {},
  ): Promise<Cached<T>> {
    const id = `${kind}\u0000${keyId(key)}`;
    const hot = this.#l1.get(id);
    if (hot) {
      if (this.#now() < hot.expiresAt) {
        metrics.cache.labels(kind, "hit").inc();
        // Re-inserting moves the key to the young end of the Map's order (LRU).
        this.#l1.delete(id);
        this.#l1.set(id, hot);
        return Promise.resolve(hot.cached as Cached<T>);
      }
      this.#l1.delete(id);
    }
    let pending = this.#inFlight.get(id);
    if (!pending) {
      const staleForMs = options.staleForMs ?? this.#staleForMs;
      pending = this.#load(id, kind, key, fetch, staleForMs).finally(() =>
        this.#inFlight.delete(id)
      );
      this.#inFlight.set(id, pending);
    }
    return pending as Promise<Cached<T>>;
  }

  /** Forgets `key`, so the next `get` fetches. Its large-value chunks expire on their own. */
  async delete(kind: CacheKind, key: Deno.KvKey): Promise<void> {
    this.#l1.delete(`${kind}\u0000${keyId(key)}`);
    await this.#kv.delete(["cache", kind, ...key]);
  }

  #remember(id: string, kind: CacheKind, cached: Cached<unknown>, expiresAt: number): void {
    if (!this.#l1Kinds.has(kind) || this.#l1Size < 1) return;
    this.#l1.delete(id);
    this.#l1.set(id, { cached, expiresAt });
    if (this.#l1.size > this.#l1Size) this.#l1.delete(this.#l1.keys().next().value!);
  }

  async #load<T>(
    id: string,
    kind: CacheKind,
    key: Deno.KvKey,
    fetch: () => Promise<T>,
    staleForMs: number,
  ): Promise<Cached<T>> {
    const entryKey: Deno.KvKey = ["cache", kind, ...key];
    const found = await this.#kv.get<Entry>(entryKey);
    const entry = found.value?.v === 1 ? found.value : undefined;
    const now = this.#now();
    if (entry && now < entry.expiresAt) {
      const value = await this.#readValue(entry);
      if (value !== undefined) {
        const cached = {
          value: value.parsed as T,
          stale: false,
          fetchedAt: new Date(entry.fetchedAt),
        };
        this.#remember(id, kind, cached, entry.expiresAt);
        metrics.cache.labels(kind, "hit").inc();
        return cached;
      }
    }

    let fetched: T;
    try {
      fetched = await fetch();
    } catch (error) {
      if (entry && this.#now() < entry.staleUntil) {
        const value = await this.#readValue(entry);
        if (value !== undefined) {
          metrics.cache.labels(kind, "stale").inc();
          return { value: value.parsed as T, stale: true, fetchedAt: new Date(entry.fetchedAt) };
        }
      }
      metrics.cache.labels(kind, "error").inc();
      throw error;
    }
    metrics.cache.labels(kind, "miss").inc();

    const json = JSON.stringify(fetched);
    if (json === undefined) {
      throw new TypeError(`cannot cache a ${typeof fetched} for ${kind}: it has no JSON form`);
    }
    const fetchedAt = this.#now();
    const expiresAt = fetchedAt + CACHE_TTL_MS[kind];
    await this.#write(entryKey, entry, json, {
      fetchedAt,
      expiresAt,
      staleUntil: expiresAt + staleForMs,
    });
    const cached = { value: JSON.parse(json) as T, stale: false, fetchedAt: new Date(fetchedAt) };
    this.#remember(id, kind, cached, expiresAt);
    return cached;
  }

  async #write(
    entryKey: Deno.KvKey,
    previous: Entry | undefined,
    json: string,
    times: Pick<Entry, "fetchedAt" | "expiresAt" | "staleUntil">,
  ): Promise<void> {
    const expireIn = times.staleUntil - times.fetchedAt;
    const bytes = new TextEncoder().encode(json);
    const entry: Entry = { v: 1, ...times };
    if (bytes.length <= MAX_INLINE_BYTES) {
      entry.json = bytes;
    } else {
      const packed = await gzip(bytes);
      const id = crypto.randomUUID();
      const count = Math.ceil(packed.length / CHUNK_BYTES);
      // All chunks are in place before the entry that points at them is written.
      for (let first = 0; first < count; first += CHUNKS_PER_COMMIT) {
        const op = this.#kv.atomic();
        for (let i = first; i < Math.min(first + CHUNKS_PER_COMMIT, count); i++) {
          op.set([...CHUNKS, id, i], packed.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES), {
            expireIn: expireIn + CHUNK_EXPIRY_MARGIN_MS,
          });
        }
        await commit(op);
      }
      entry.chunks = { id, count, bytes: packed.length };
    }
    await commit(this.#kv.atomic().set(entryKey, entry, { expireIn }));
    // Without this a value refreshed hourly would leave a day of megabyte-sized copies behind.
    if (previous?.chunks) await this.#deleteChunks(previous.chunks);
  }

  async #deleteChunks(chunks: NonNullable<Entry["chunks"]>): Promise<void> {
    for (let first = 0; first < chunks.count; first += CHUNKS_PER_COMMIT) {
      const op = this.#kv.atomic();
      for (let i = first; i < Math.min(first + CHUNKS_PER_COMMIT, chunks.count); i++) {
        op.delete([...CHUNKS, chunks.id, i]);
      }
      await commit(op);
    }
  }

  /** The entry's value, or undefined when its chunks are gone (expired or replaced). */
  async #readValue(entry: Entry): Promise<{ parsed: unknown } | undefined> {
    if (entry.json) return { parsed: JSON.parse(new TextDecoder().decode(entry.json)) };
    if (!entry.chunks) return undefined;
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const part of this.#kv.list<Uint8Array>({ prefix: [...CHUNKS, entry.chunks.id] })) {
      parts.push(part.value);
      size += part.value.length;
    }
    if (parts.length !== entry.chunks.count || size !== entry.chunks.bytes) return undefined;
    return { parsed: JSON.parse(new TextDecoder().decode(await gunzip(concatBytes(parts)))) };
  }
}

async function commit(op: Deno.AtomicOperation): Promise<void> {
  const result = await op.commit();
  if (!result.ok) throw new Error("Deno KV refused a cache write");
}

function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream) {
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Response(body).bytes();
}

function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream("gzip"));
}

function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new DecompressionStream("gzip"));
}

/**
 * A string that differs whenever KV would treat two keys as different: KV keys are typed, so
 * "1" and 1 are distinct keys and must not share an in-flight fetch.
 */
function keyId(key: Deno.KvKey): string {
  // The usual key is all strings (provider, kind, symbols), and it is built per cache read: its
  // parts joined with NUL behind a leading \u0001, which no JSON below starts with. Where a part
  // holds a NUL, its plain JSON array, which cannot collide with the typed form, whose elements
  // are arrays.
  let joined = "\u0001";
  let nul = false;
  for (let i = 0; i < key.length; i++) {
    const part = key[i];
    if (typeof part !== "string") return typedKeyId(key);
    nul ||= part.includes("\u0000");
    joined += i === 0 ? part : `\u0000${part}`;
  }
  return nul ? JSON.stringify(key) : joined;
}

function typedKeyId(key: Deno.KvKey): string {
  return JSON.stringify(key.map((part) => {
    if (part instanceof Uint8Array) return ["u8", Array.from(part)];
    if (typeof part === "bigint") return ["bigint", part.toString()];
    // JSON writes NaN and ±Infinity as null; String keeps them apart.
    if (typeof part === "number") return ["number", String(part)];
    return [typeof part, part];
  }));
}
