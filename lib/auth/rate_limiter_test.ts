/**
 * RateLimiter (lib/auth/rate_limit.ts): the request-path limiter that counts in memory and syncs
 * with KV in the background. The exact KV counters and the sign-in throttle are in
 * rate_limit_test.ts.
 */
import assert from "node:assert/strict";
import { RateLimiter } from "./rate_limit.ts";

const T0 = 1_700_000_000_000;
const windowKey = (bucket: string, key: string, at: number): Deno.KvKey => [
  "ratelimit",
  bucket,
  key,
  Math.floor(at / 60_000),
];

Deno.test("rate limiter: 500 concurrent hits on one key let exactly `limit` through", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const limiter = new RateLimiter(kv);
    const results = Array.from({ length: 500 }, () => limiter.hit("t", "busy", 100, T0));
    const passed = results.filter((r) => r.allowed);
    assert.equal(passed.length, 100);
    assert.deepEqual(
      passed.map((r) => r.remaining).sort((a, b) => a - b),
      Array.from({ length: 100 }, (_, i) => i),
      "each admitted hit sees its own place in the count",
    );
    assert.ok(results.filter((r) => !r.allowed).every((r) => r.remaining === 0));
    await limiter.sweep(T0 + 1_000);
    await limiter.idle();
    const counted = await kv.get<Deno.KvU64>(windowKey("t", "busy", T0));
    assert.equal(counted.value?.value, 500n, "every hit reaches KV after a sweep");
  } finally {
    kv.close();
  }
});

Deno.test("rate limiter: a request costs no KV write until a sync is due", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const limiter = new RateLimiter(kv, { syncMs: 1_000 });
    limiter.hit("t", "k", 10, T0);
    await limiter.idle();
    const afterFirst = await kv.get<Deno.KvU64>(windowKey("t", "k", T0));
    assert.equal(afterFirst.value?.value, 1n, "a key's first hit in a window syncs");
    for (let i = 0; i < 5; i++) limiter.hit("t", "k", 10, T0 + 100 + i);
    await limiter.idle();
    const between = await kv.get<Deno.KvU64>(windowKey("t", "k", T0));
    assert.equal(between.versionstamp, afterFirst.versionstamp, "no write between syncs");
    limiter.hit("t", "k", 10, T0 + 1_000);
    await limiter.idle();
    const synced = await kv.get<Deno.KvU64>(windowKey("t", "k", T0));
    assert.equal(synced.value?.value, 7n, "the due sync sends every unsent hit");
  } finally {
    kv.close();
  }
});

Deno.test("rate limiter: instances sharing KV see each other's counts after a sync", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const a = new RateLimiter(kv);
    const b = new RateLimiter(kv);
    for (let i = 0; i < 5; i++) assert.ok(a.hit("t", "k", 5, T0).allowed);
    assert.equal(a.hit("t", "k", 5, T0).allowed, false);
    await a.sweep(T0 + 1_000);
    await a.idle();
    // B's first hit is decided before B has read anything (the bound's one-sync overshoot)...
    const first = b.hit("t", "k", 5, T0 + 1_000);
    assert.equal(first.allowed, true);
    // ...and once it has read A's six, B refuses too.
    await b.idle();
    const second = b.hit("t", "k", 5, T0 + 1_001);
    assert.equal(second.allowed, false);
    assert.equal(second.remaining, 0);
  } finally {
    kv.close();
  }
});

Deno.test("rate limiter: with KV gone it keeps limiting in memory", async () => {
  const kv = await Deno.openKv(":memory:");
  const limiter = new RateLimiter(kv);
  kv.close();
  const results = [];
  for (let i = 0; i < 4; i++) results.push(limiter.hit("t", "k", 3, T0 + i * 1_000));
  await limiter.idle();
  assert.deepEqual(results.map((r) => r.allowed), [true, true, true, false]);
});

Deno.test("rate limiter: a new window starts afresh and the ended one is forgotten", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const limiter = new RateLimiter(kv);
    for (let i = 0; i < 3; i++) limiter.hit("t", "k", 2, T0);
    const next = T0 + 60_000;
    const fresh = limiter.hit("t", "k", 2, next);
    assert.equal(fresh.allowed, true);
    assert.equal(fresh.remaining, 1);
    await limiter.sweep(next + 1_000);
    await limiter.idle();
    assert.equal((await kv.get<Deno.KvU64>(windowKey("t", "k", T0))).value?.value, 3n);
  } finally {
    kv.close();
  }
});

Deno.test("rate limiter: a request never waits for KV; a sweep sends every key in one commit", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const limiter = new RateLimiter(kv, { syncMs: 1_000 });
    // The decision is a plain value: nothing for the request to await.
    const first = limiter.hit("t", "user:0", 10, T0);
    assert.equal(first instanceof Promise, false);
    for (let i = 1; i < 30; i++) limiter.hit("t", `user:${i}`, 10, T0);
    await limiter.idle();
    for (let i = 0; i < 30; i++) limiter.hit("t", `user:${i}`, 10, T0 + 10 + i);
    // The first hit past `syncMs` starts the sweep without waiting for it.
    const due = limiter.hit("t", "user:0", 10, T0 + 1_000);
    assert.equal(due.remaining, 7);
    await limiter.idle();
    const entries = await Promise.all(
      Array.from({ length: 30 }, (_, i) => kv.get<Deno.KvU64>(windowKey("t", `user:${i}`, T0))),
    );
    assert.deepEqual(
      entries.map((e) => e.value?.value),
      Array.from({ length: 30 }, (_, i) => i === 0 ? 3n : 2n),
    );
    // Keys first seen in one tick were synced together, and the sweep was one atomic commit.
    assert.equal(new Set(entries.map((e) => e.versionstamp)).size, 1);
  } finally {
    kv.close();
  }
});

Deno.test("rate limiter: close sends the unsent hits and later ones stay in memory", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const limiter = new RateLimiter(kv, { syncMs: 60_000 });
    const now = Date.now();
    for (let i = 0; i < 4; i++) limiter.hit("t", "k", 10, now);
    await limiter.close();
    const key = windowKey("t", "k", now);
    assert.equal((await kv.get<Deno.KvU64>(key)).value?.value, 4n);
    assert.equal(limiter.hit("t", "k", 10, now).remaining, 5);
    await limiter.idle();
    assert.equal((await kv.get<Deno.KvU64>(key)).value?.value, 4n);
  } finally {
    kv.close();
  }
});

type CommitResult = Deno.KvCommitResult | Deno.KvCommitError;

/**
 * `kv` with each atomic commit made through `answer`, which gets the real commit to make (or
 * not) and decides when to answer: enough of a KV for RateLimiter, which sums, commits and reads
 * back.
 */
function kvAnswering(
  kv: Deno.Kv,
  answer: (commit: () => Promise<CommitResult>) => Promise<CommitResult>,
): Deno.Kv {
  return {
    atomic() {
      const op = kv.atomic();
      const atomic = {
        sum(key: Deno.KvKey, n: bigint) {
          op.sum(key, n);
          return atomic;
        },
        commit: () => answer(() => op.commit()),
      };
      return atomic;
    },
    getMany: (keys: Deno.KvKey[]) => kv.getMany(keys),
  } as unknown as Deno.Kv;
}

/**
 * A KV whose commits apply at once but answer only when the test says (as over a slow network):
 * `called` resolves when a commit is waiting, `release()` answers every waiting one and, once
 * `open` is set, later commits answer at once.
 */
function gatedKv(kv: Deno.Kv) {
  let waiting: (() => void)[] = [];
  let onCall: (() => void) | null = null;
  const gate = {
    open: false,
    called: () => new Promise<void>((resolve) => onCall = resolve),
    release() {
      for (const answer of waiting) answer();
      waiting = [];
    },
  };
  const gated = kvAnswering(kv, async (commit) => {
    const result = await commit();
    if (!gate.open) {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        onCall?.();
        onCall = null;
      });
    }
    return result;
  });
  return { kv: gated, gate };
}

Deno.test("rate limiter: close sends hits counted while a sweep was under way", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { kv: slow, gate } = gatedKv(kv);
    const limiter = new RateLimiter(slow, { syncMs: 1_000 });
    // A fixed instant 20 s into its minute: the hits below span 1.01 s, and from the clock they
    // crossed into the next minute's window about once in sixty runs (CI failed on it once).
    const now = T0;
    const called = gate.called();
    limiter.hit("t", "k", 100, now);
    await called;
    gate.release();
    await limiter.idle();
    const sweeping = gate.called();
    limiter.hit("t", "k", 100, now + 1_000);
    await sweeping;
    for (let i = 0; i < 5; i++) limiter.hit("t", "k", 100, now + 1_010);
    const closed = limiter.close();
    gate.open = true;
    gate.release();
    await closed;
    assert.equal((await kv.get<Deno.KvU64>(windowKey("t", "k", now))).value?.value, 7n);
  } finally {
    kv.close();
  }
});

Deno.test("rate limiter: a key is in one sync at a time, so no batch is counted twice", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { kv: slow, gate } = gatedKv(kv);
    const limiter = new RateLimiter(slow, { syncMs: 1_000 });
    const called = gate.called();
    limiter.hit("t", "k", 5, T0);
    // The first hit's sum is in KV; its commit has not answered yet.
    await called;
    // Due for a sweep: the key is still in its first sync, so the sweep leaves it alone. (Had it
    // sent the second hit, the first sync's read-back would see it, and the sweep's answer would
    // add it once more.)
    limiter.hit("t", "k", 5, T0 + 1_000);
    gate.open = true;
    gate.release();
    await limiter.idle();
    assert.equal((await kv.get<Deno.KvU64>(windowKey("t", "k", T0))).value?.value, 1n);
    assert.equal(limiter.hit("t", "k", 5, T0 + 1_500).remaining, 2);
    await limiter.sweep(T0 + 2_000);
    await limiter.idle();
    assert.equal((await kv.get<Deno.KvU64>(windowKey("t", "k", T0))).value?.value, 3n);
    assert.equal(limiter.hit("t", "k", 5, T0 + 2_001).remaining, 1);
  } finally {
    kv.close();
  }
});

Deno.test("rate limiter: an ended window's hits wait for the next sweep when KV fails", async () => {
  const kv = await Deno.openKv(":memory:");
  let failing = true;
  // While failing, a commit is refused before it is made.
  const flaky = kvAnswering(
    kv,
    (commit) => failing ? Promise.reject(new Error("KV is down")) : commit(),
  );
  try {
    const limiter = new RateLimiter(flaky, { syncMs: 1_000 });
    for (let i = 0; i < 3; i++) limiter.hit("t", "k", 10, T0);
    await limiter.idle();
    const next = T0 + 60_000;
    await limiter.sweep(next);
    await limiter.idle();
    failing = false;
    await limiter.sweep(next + 1_000);
    await limiter.idle();
    assert.equal((await kv.get<Deno.KvU64>(windowKey("t", "k", T0))).value?.value, 3n);
  } finally {
    kv.close();
  }
});
