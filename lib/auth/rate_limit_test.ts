import assert from "node:assert/strict";
import {
  ACCOUNT_FREE_FAILURES,
  clearLoginFailures,
  deleteFinishedWindows,
  hitRateLimit,
  loginWaitSeconds,
  rateLimitHeaders,
  recordLoginFailure,
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

Deno.test("login slowdown: lockout grows per account after the free failures", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = 1_700_000_000_000;
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
      assert.equal(await loginWaitSeconds(kv, "Alice", "1.1.1.1", now), 0);
      await recordLoginFailure(kv, "Alice", "1.1.1.1", now);
    }
    assert.equal(await loginWaitSeconds(kv, "alice", "9.9.9.9", now), 0, "still free");
    await recordLoginFailure(kv, "alice", "2.2.2.2", now);
    assert.equal(await loginWaitSeconds(kv, "ALICE", "9.9.9.9", now), 1, "any IP, any case");
    await recordLoginFailure(kv, "alice", "2.2.2.2", now);
    assert.equal(await loginWaitSeconds(kv, "alice", "9.9.9.9", now), 2, "doubles");
    assert.equal(await loginWaitSeconds(kv, "bob", "9.9.9.9", now), 0);
    await clearLoginFailures(kv, "alice");
    assert.equal(await loginWaitSeconds(kv, "alice", "9.9.9.9", now), 0);
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
