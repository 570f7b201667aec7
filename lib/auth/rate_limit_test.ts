import assert from "node:assert/strict";
import {
  clearLoginFailures,
  deleteFinishedWindows,
  hitRateLimit,
  IP_FREE_FAILURES,
  loginWaitSeconds,
  MAX_WAIT_MS,
  PAIR_FREE_FAILURES,
  RateLimiter,
  rateLimitHeaders,
  recordLoginFailure,
  waitAfter,
} from "./rate_limit.ts";

Deno.test("rate limit: counts per key and window, in KV", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = 1_700_000_000_000;
    for (let i = 1; i <= 3; i++) {
      const r = await hitRateLimit(kv, "t", "a", 3, now);
      assert.equal(r.allowed, true);
      assert.equal(r.remaining, 3 - i);
    }
    const refused = await hitRateLimit(kv, "t", "a", 3, now + 1000);
    assert.equal(refused.allowed, false);
    assert.equal(refused.resetSeconds, 39, "20 s into the window, 1 s later");
    assert.equal(rateLimitHeaders(refused)["Retry-After"], String(refused.resetSeconds));
    assert.equal((await hitRateLimit(kv, "t", "b", 3, now)).allowed, true, "other key");
    assert.equal((await hitRateLimit(kv, "t", "a", 3, now + 60_000)).allowed, true, "next window");
  } finally {
    kv.close();
  }
});

Deno.test("login slowdown: one IP on one account waits longer after each failure", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let now = 1_700_000_000_000;
    for (let i = 0; i < PAIR_FREE_FAILURES; i++) {
      assert.equal(await loginWaitSeconds(kv, "Alice", "1.1.1.1", now), 0, `free failure ${i}`);
      await recordLoginFailure(kv, "Alice", "1.1.1.1", now);
    }
    // Each failure made once the previous wait is over starts a longer one.
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      assert.equal(await loginWaitSeconds(kv, "alice", "1.1.1.1", now), 0, "the wait is over");
      await recordLoginFailure(kv, "alice", "1.1.1.1", now);
      const wait = await loginWaitSeconds(kv, "ALICE", "1.1.1.1", now);
      waits.push(wait);
      now += wait * 1000;
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 16, 32], "any case, doubling");
    assert.equal(waitAfter(1_000, PAIR_FREE_FAILURES), MAX_WAIT_MS, "capped");
    await recordLoginFailure(kv, "alice", "1.1.1.1", now);
    assert.equal(await loginWaitSeconds(kv, "alice", "1.1.1.1", now), 64);
    // Nobody else is slowed down by it: not the account from another address, not another
    // account from this one (its own per-IP budget is far from spent).
    assert.equal(await loginWaitSeconds(kv, "alice", "9.9.9.9", now), 0);
    assert.equal(await loginWaitSeconds(kv, "bob", "1.1.1.1", now), 0);
    await clearLoginFailures(kv, "alice", "1.1.1.1");
    assert.equal(await loginWaitSeconds(kv, "alice", "1.1.1.1", now), 0);
  } finally {
    kv.close();
  }
});

Deno.test("login slowdown: failures from many IPs never make the account wait elsewhere", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = 1_700_000_000_000;
    for (let ip = 0; ip < 50; ip++) {
      for (let i = 0; i < PAIR_FREE_FAILURES + 3; i++) {
        await recordLoginFailure(kv, "alice", `10.0.0.${ip}`, now);
      }
      assert.equal(await loginWaitSeconds(kv, "alice", `10.0.0.${ip}`, now), 4);
    }
    assert.equal(await loginWaitSeconds(kv, "alice", "192.0.2.1", now), 0);
  } finally {
    kv.close();
  }
});

Deno.test("login slowdown: one IP failing on many accounts is slowed on all of them", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = 1_700_000_000_000;
    for (let i = 0; i < IP_FREE_FAILURES; i++) {
      assert.equal(await loginWaitSeconds(kv, `user${i}`, "10.0.0.1", now), 0);
      await recordLoginFailure(kv, `user${i}`, "10.0.0.1", now);
    }
    await recordLoginFailure(kv, "one-more", "10.0.0.1", now);
    assert.equal(await loginWaitSeconds(kv, "never-tried", "10.0.0.1", now), 1);
    assert.equal(await loginWaitSeconds(kv, "never-tried", "10.0.0.2", now), 0);
  } finally {
    kv.close();
  }
});

Deno.test("rate limit: one after another, exactly the first `limit` hits pass", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = 1_700_000_000_000;
    const results = [];
    for (let i = 0; i < 150; i++) results.push(await hitRateLimit(kv, "t", "steady", 100, now));
    assert.deepEqual(
      results.map((r) => r.allowed),
      [...Array(100).fill(true), ...Array(50).fill(false)],
    );
    assert.deepEqual(
      results.slice(0, 100).map((r) => r.remaining),
      Array.from({ length: 100 }, (_, i) => 99 - i),
    );
  } finally {
    kv.close();
  }
});

// Under a burst the count read back may include hits that landed meanwhile, so a burst can be
// refused beyond what it needed (with local KV, a burst of 500 is refused entirely); what must
// hold is that every hit is counted and no more than `limit` ever pass.
Deno.test("rate limit: 500 concurrent hits on one key all count, none fails, never more than `limit` pass", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = 1_700_000_000_000;
    const results = await Promise.all(
      Array.from({ length: 500 }, () => hitRateLimit(kv, "t", "busy", 100, now)),
    );
    assert.equal(results.length, 500);
    const passed = results.filter((r) => r.allowed);
    assert.ok(passed.length <= 100, `${passed.length} passed`);
    assert.ok(passed.every((r) => r.remaining >= 0 && r.remaining < 100));
    const counted = await kv.get<Deno.KvU64>(["ratelimit", "t", "busy", Math.floor(now / 60_000)]);
    assert.equal(counted.value?.value, 500n, "every hit counted");
    const next = await hitRateLimit(kv, "t", "busy", 100, now);
    assert.equal(next.remaining, 0);
    assert.equal(next.allowed, false);
  } finally {
    kv.close();
  }
});

Deno.test("rate limit: the cleanup job deletes finished windows and keeps the current one", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = 1_700_000_000_000;
    await hitRateLimit(kv, "t", "a", 10, now - 120_000);
    await hitRateLimit(kv, "t", "a", 10, now - 60_000);
    await hitRateLimit(kv, "t", "a", 10, now);
    assert.equal(await deleteFinishedWindows(kv, now), 2);
    const left = [];
    for await (const e of kv.list({ prefix: ["ratelimit"] })) left.push(e.key);
    assert.deepEqual(left, [["ratelimit", "t", "a", Math.floor(now / 60_000)]]);
    assert.equal((await hitRateLimit(kv, "t", "a", 10, now)).remaining, 8);
  } finally {
    kv.close();
  }
});

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
  const wrapped = {
    atomic() {
      const op = kv.atomic();
      const atomic = {
        sum(key: Deno.KvKey, n: bigint) {
          op.sum(key, n);
          return atomic;
        },
        async commit() {
          const result = await op.commit();
          if (!gate.open) {
            await new Promise<void>((resolve) => {
              waiting.push(resolve);
              onCall?.();
              onCall = null;
            });
          }
          return result;
        },
      };
      return atomic;
    },
    getMany: (keys: Deno.KvKey[]) => kv.getMany(keys),
  } as unknown as Deno.Kv;
  return { kv: wrapped, gate };
}

Deno.test("rate limiter: close sends hits counted while a sweep was under way", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { kv: slow, gate } = gatedKv(kv);
    const limiter = new RateLimiter(slow, { syncMs: 1_000 });
    const now = Date.now();
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
  const flaky = {
    atomic() {
      const op = kv.atomic();
      const atomic = {
        sum(key: Deno.KvKey, n: bigint) {
          op.sum(key, n);
          return atomic;
        },
        commit: () => failing ? Promise.reject(new Error("KV is down")) : op.commit(),
      };
      return atomic;
    },
    getMany: (keys: Deno.KvKey[]) => kv.getMany(keys),
  } as unknown as Deno.Kv;
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
