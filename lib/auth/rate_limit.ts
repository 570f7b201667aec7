/**
 * Rate limits and sign-in slowdown kept in Deno KV, so every instance sharing the KV (Deno
 * Deploy, or one KV file) enforces the same counts.
 *
 * Limits use fixed one-minute windows counted with KV's atomic sum. Failed sign-ins are
 * counted per (account, IP) pair and per IP; past a threshold each further failure doubles a
 * wait.
 */

export const WINDOW_MS = 60_000;

/** The outcome of one counted request, for the `RateLimit-*` headers. */
export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Adds one to a window's counter and reads it back. KV's `sum` mutation never conflicts, so
 * any number of concurrent requests (and instances) count without retries. The value read may
 * include other requests that landed meanwhile: that can only over-count, never let an extra
 * request through. `sum` takes no expiry, so finished windows are deleted by
 * `deleteFinishedWindows` (the job in jobs/rate_limit_cleanup.ts).
 */
async function increment(kv: Deno.Kv, key: Deno.KvKey): Promise<number> {
  await kv.atomic().sum(key, 1n).commit();
  const current = await kv.get<Deno.KvU64>(key);
  return Number(current.value?.value ?? 1n);
}

/** Deletes the counters of windows that have ended; returns how many were deleted. */
export async function deleteFinishedWindows(kv: Deno.Kv, now = Date.now()): Promise<number> {
  const current = Math.floor(now / WINDOW_MS);
  let deleted = 0;
  for await (const entry of kv.list({ prefix: ["ratelimit"] })) {
    const window = entry.key[entry.key.length - 1];
    if (typeof window === "number" && window < current) {
      await kv.delete(entry.key);
      deleted++;
    }
  }
  return deleted;
}

/** Counts one request of `key` in `bucket` against `limit` per minute. */
export async function hitRateLimit(
  kv: Deno.Kv,
  bucket: string,
  key: string,
  limit: number,
  now = Date.now(),
): Promise<RateLimitResult> {
  const window = Math.floor(now / WINDOW_MS);
  const count = await increment(kv, ["ratelimit", bucket, key, window]);
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000)),
  };
}

/** How often an instance writes its counts to KV and reads the others' back. */
export const SYNC_MS = 1_000;

interface WindowCount {
  bucket: string;
  key: string;
  window: number;
  /** The KV total last read back: every instance's flushed hits, ours included. */
  shared: number;
  /** Hits being summed into KV right now (not yet in `shared`). */
  inflight: number;
  /** Hits counted here and not yet sent to KV. */
  pending: number;
  /** In a sync (its sum or its read-back) right now: no second sync may take it. */
  syncing: boolean;
}

/**
 * Most sums sent in one atomic commit. Deno KV takes up to 1,000 mutations and 81,920 bytes of
 * keys in one; a key here is at most about 90 bytes (an IPv6 address is the longest part), so
 * 200 keys stay well inside both, and a commit that fails holds back no more than 200 keys.
 */
const SUMS_PER_COMMIT = 200;
/** Most keys `getMany` reads at once. */
const READS_PER_GET = 10;

const kvKeyOf = (c: WindowCount): Deno.KvKey => ["ratelimit", c.bucket, c.key, c.window];

/**
 * The request-path limiter: counts in memory and decides synchronously, so a request neither
 * writes KV nor waits for it, and reconciles with the shared KV counters in the background. Any
 * burst on one instance lets exactly `limit` through per window. A key's first hit in a window
 * starts a sync of that key (keys new in the same tick go together), and the first hit after
 * `syncMs` starts a sweep: every window's unsent hits added to KV in one atomic commit (per 200
 * keys) and the totals read back ten keys at a time, which is how an instance learns what the
 * others counted. A key is never in two syncs at once (a sweep leaves one that is still being
 * sent to the next sweep): two overlapping syncs could each count the other's batch. A request
 * used to await its sync; on a busy disk a sweep of a few dozen keys, one commit each, held that
 * request for a second (bench/orders_load.ts, PGlite).
 *
 * Error bound with N instances sharing one KV: an instance never admits more than `limit` per
 * window by itself, so a client gets at most N × `limit` per window in the worst case (all N
 * instances hit at once, before any sync). Once the instances have synced, the overshoot is at
 * most what the other N − 1 instances admitted in the last `syncMs` (plus the time a sync takes)
 * before they saw the total. A failed sync keeps its hits for the next one; the limiter keeps
 * enforcing locally meanwhile.
 */
export class RateLimiter {
  readonly #kv: Deno.Kv;
  readonly #syncMs: number;
  readonly #counts = new Map<string, WindowCount>();
  #lastSweep = -Infinity;
  #sweeping: Promise<void> | null = null;
  /** Keys new in their window since the last microtask: synced together. */
  #fresh: WindowCount[] = [];
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(kv: Deno.Kv, { syncMs = SYNC_MS }: { syncMs?: number } = {}) {
    this.#kv = kv;
    this.#syncMs = syncMs;
  }

  /** Counts one request of `key` in `bucket` against `limit` per minute. */
  hit(bucket: string, key: string, limit: number, now = Date.now()): RateLimitResult {
    // The first hit syncs its own key, so the sweep clock starts there.
    if (this.#lastSweep === -Infinity) this.#lastSweep = now;
    const window = Math.floor(now / WINDOW_MS);
    const id = JSON.stringify([bucket, key, window]);
    let count = this.#counts.get(id);
    const fresh = !count;
    if (!count) {
      count = { bucket, key, window, shared: 0, inflight: 0, pending: 0, syncing: false };
      this.#counts.set(id, count);
    }
    count.pending++;
    const seen = count.shared + count.inflight + count.pending;
    if (fresh) this.#syncSoon(count);
    else if (now - this.#lastSweep >= this.#syncMs) void this.sweep(now);
    return {
      allowed: seen <= limit,
      limit,
      remaining: Math.max(0, limit - seen),
      resetSeconds: Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000)),
    };
  }

  /**
   * Sends every window's unsent hits to KV and reads the live windows' totals back (unless
   * `readBack` is false); forgets an ended window once all its hits are in KV.
   */
  sweep(now = Date.now(), { readBack = true }: { readBack?: boolean } = {}): Promise<void> {
    if (this.#sweeping) return this.#sweeping;
    this.#lastSweep = now;
    const current = Math.floor(now / WINDOW_MS);
    const live: WindowCount[] = [];
    const ended: WindowCount[] = [];
    for (const [id, count] of this.#counts) {
      // In another sync: its unsent hits wait for the next sweep.
      if (count.syncing) continue;
      if (count.window >= current) live.push(count);
      else if (count.pending > 0) ended.push(count);
      else this.#counts.delete(id);
    }
    const sweeping = this.#track(async () => {
      await this.#syncAll(ended, false);
      await this.#syncAll(live, readBack);
    });
    this.#sweeping = sweeping.finally(() => this.#sweeping = null);
    return this.#sweeping;
  }

  /** Resolves once no sync is under way (tests, shutdown). */
  async idle(): Promise<void> {
    // Let a tick's new keys start their sync first.
    await Promise.resolve();
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  /** Sends what is unsent and waits for it; later hits still count, in memory only. */
  async close(): Promise<void> {
    if (this.#closed) return;
    // A sweep under way took only the hits unsent when it started: let it (and any first-hit
    // sync) finish, then sweep what is left, until nothing is or KV refuses.
    const unsent = () => [...this.#counts.values()].reduce((n, c) => n + c.pending, 0);
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.idle();
      const before = unsent();
      if (before === 0) break;
      await this.sweep(Date.now(), { readBack: false });
      await this.idle();
      if (unsent() >= before) break;
    }
    this.#closed = true;
  }

  #syncSoon(count: WindowCount): void {
    this.#fresh.push(count);
    if (this.#fresh.length > 1) return;
    queueMicrotask(() => {
      const batch = this.#fresh;
      this.#fresh = [];
      void this.#track(() => this.#syncAll(batch, true));
    });
  }

  /** Runs `work` unless closed, remembered until it ends so `idle` can wait for it. */
  #track(work: () => Promise<void>): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const running = work().catch(() => {
      // #syncAll keeps failed hits for the next sync itself; nothing else can fail here.
    });
    this.#running.add(running);
    running.finally(() => this.#running.delete(running));
    return running;
  }

  async #syncAll(all: WindowCount[], readBack: boolean): Promise<void> {
    // A read-back that saw another sync's sum before that sync's commit returned would count the
    // same hits twice (`shared` only ever rises), so one key is in one sync at a time.
    const counts = all.filter((count) => !count.syncing);
    for (const count of counts) count.syncing = true;
    try {
      await this.#send(counts, readBack);
    } finally {
      for (const count of counts) count.syncing = false;
    }
  }

  async #send(counts: WindowCount[], readBack: boolean): Promise<void> {
    for (let i = 0; i < counts.length; i += SUMS_PER_COMMIT) {
      const batch = counts.slice(i, i + SUMS_PER_COMMIT);
      const sent = batch.map((count) => {
        const n = count.pending;
        count.pending = 0;
        count.inflight += n;
        return n;
      });
      let committed = true;
      if (sent.some((n) => n > 0)) {
        try {
          const op = this.#kv.atomic();
          batch.forEach((count, j) => {
            if (sent[j] > 0) op.sum(kvKeyOf(count), BigInt(sent[j]));
          });
          await op.commit();
        } catch {
          // KV unavailable (or closed at shutdown): keep the hits for the next sync.
          committed = false;
        }
      }
      batch.forEach((count, j) => {
        count.inflight -= sent[j];
        if (committed) count.shared += sent[j];
        else count.pending += sent[j];
      });
      if (!committed || !readBack) continue;
      for (let k = 0; k < batch.length; k += READS_PER_GET) {
        const group = batch.slice(k, k + READS_PER_GET);
        try {
          const entries = await this.#kv.getMany<Deno.KvU64[]>(group.map(kvKeyOf));
          group.forEach((count, j) => {
            // Another sync of the same window may have read a newer total meanwhile.
            count.shared = Math.max(count.shared, Number(entries[j].value?.value ?? 0n));
          });
        } catch {
          // The next sync reads them again.
        }
      }
    }
  }
}

/** IETF draft `RateLimit-*` headers (and `Retry-After` when refused). */
export function rateLimitHeaders(
  r: RateLimitResult,
  policyName = "default",
): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(r.limit),
    "RateLimit-Remaining": String(r.remaining),
    "RateLimit-Reset": String(r.resetSeconds),
    "RateLimit-Policy": `${r.limit};w=${WINDOW_MS / 1000};name="${policyName}"`,
  };
  if (!r.allowed) headers["Retry-After"] = String(r.resetSeconds);
  return headers;
}

/**
 * Failed sign-ins are throttled per (account, IP) pair and per IP, never per account alone: a
 * lock on the account would be a lock any stranger could set on anyone (six wrong passwords
 * from six addresses), while a pair's wait only ever slows the address that failed. Past the
 * free failures each further failure doubles the pair's (or the IP's) wait, up to MAX_WAIT_MS;
 * the per-minute credentials limit in the middleware still caps how fast any one IP tries.
 */
export const PAIR_FREE_FAILURES = 5;
export const IP_FREE_FAILURES = 20;
const FAILURE_MEMORY_MS = 15 * 60_000;
export const MAX_WAIT_MS = 15 * 60_000;

interface FailureState {
  failures: number;
  lockedUntil: number;
}

const pairKey = (account: string, ip: string): Deno.KvKey => [
  "login_fail",
  "pair",
  account.toLowerCase(),
  ip,
];
const failureKeys = (account: string, ip: string): [Deno.KvKey, number][] => [
  [pairKey(account, ip), PAIR_FREE_FAILURES],
  [["login_fail", "ip", ip], IP_FREE_FAILURES],
];

/** The wait after `failures` failures when the first `free` cost nothing: 1 s, 2 s, 4 s, … */
export function waitAfter(failures: number, free: number): number {
  const over = failures - free;
  return over > 0 ? Math.min(1000 * 2 ** (over - 1), MAX_WAIT_MS) : 0;
}

/** Seconds to wait before `account` may try again from `ip` (0: go ahead). */
export async function loginWaitSeconds(
  kv: Deno.Kv,
  account: string,
  ip: string,
  now = Date.now(),
): Promise<number> {
  let wait = 0;
  for (const [key] of failureKeys(account, ip)) {
    const state = (await kv.get<FailureState>(key)).value;
    if (state && state.lockedUntil > now) wait = Math.max(wait, state.lockedUntil - now);
  }
  return Math.ceil(wait / 1000);
}

/** Records a failed sign-in for `account` from `ip`. */
export async function recordLoginFailure(
  kv: Deno.Kv,
  account: string,
  ip: string,
  now = Date.now(),
): Promise<void> {
  for (const [key, free] of failureKeys(account, ip)) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await kv.get<FailureState>(key);
      const failures = (current.value?.failures ?? 0) + 1;
      const wait = waitAfter(failures, free);
      const lockedUntil = wait > 0 ? now + wait : 0;
      const res = await kv.atomic().check(current).set(key, { failures, lockedUntil }, {
        // Remembered past the longest wait, so the next failure after it still counts double.
        expireIn: FAILURE_MEMORY_MS + wait,
      }).commit();
      if (res.ok) break;
    }
  }
}

/** Forgets the failures of `account` from `ip` after it signed in there (the IP's count stays). */
export async function clearLoginFailures(kv: Deno.Kv, account: string, ip: string): Promise<void> {
  await kv.delete(pairKey(account, ip));
}
