import assert from "node:assert/strict";
import { Cache, CACHE_TTL_MS, type CacheKind, DEFAULT_STALE_FOR_MS } from "./cache.ts";

/** A cache over a fresh in-memory KV with a hand-driven clock. */
async function setup(
  fn: (t: {
    kv: Deno.Kv;
    cache: Cache;
    clock: { now: number };
  }) => Promise<void>,
): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  const clock = { now: Date.UTC(2024, 0, 2, 15, 30) };
  try {
    await fn({ kv, cache: new Cache(kv, { now: () => clock.now }), clock });
  } finally {
    kv.close();
  }
}

/** A fetch that counts its calls and returns `${label}#${call}`. */
function counter(label = "v") {
  const fetch = () => {
    fetch.calls++;
    return Promise.resolve(`${label}#${fetch.calls}`);
  };
  fetch.calls = 0;
  return fetch;
}

Deno.test("cache: TTLs follow DESIGN.md", () => {
  assert.deepEqual(CACHE_TTL_MS, {
    quote: 5_000,
    chain: 60_000,
    bars: 3_600_000,
    news: 300_000,
    company: 86_400_000,
  });
});

Deno.test("cache: each kind is fresh until its TTL, then refetched", async () => {
  for (const kind of Object.keys(CACHE_TTL_MS) as CacheKind[]) {
    await setup(async ({ cache, clock }) => {
      const ttl = CACHE_TTL_MS[kind];
      const fetch = counter(kind);
      const start = clock.now;

      assert.deepEqual(await cache.get(kind, ["p", "X"], fetch), {
        value: `${kind}#1`,
        stale: false,
        fetchedAt: new Date(start),
      });
      clock.now = start + ttl - 1;
      assert.deepEqual(await cache.get(kind, ["p", "X"], fetch), {
        value: `${kind}#1`,
        stale: false,
        fetchedAt: new Date(start),
      });
      assert.equal(fetch.calls, 1, `${kind}: hit before the TTL`);

      clock.now = start + ttl;
      assert.deepEqual(await cache.get(kind, ["p", "X"], fetch), {
        value: `${kind}#2`,
        stale: false,
        fetchedAt: new Date(start + ttl),
      });
      assert.equal(fetch.calls, 2, `${kind}: miss at the TTL`);
    });
  }
});

Deno.test("cache: entries live at ['cache', kind, ...key] with their own expiry", async () => {
  await setup(async ({ kv, cache, clock }) => {
    await cache.get("news", ["alpaca", "SPY", 20], () => Promise.resolve(["headline"]));
    const entry = await kv.get<{ fetchedAt: number; expiresAt: number }>(
      ["cache", "news", "alpaca", "SPY", 20],
    );
    assert.equal(entry.value?.fetchedAt, clock.now);
    assert.equal(entry.value?.expiresAt, clock.now + CACHE_TTL_MS.news);
  });
});

Deno.test("cache: 1000 concurrent misses make one upstream call", async () => {
  await setup(async ({ cache, clock }) => {
    let calls = 0;
    let release!: () => void;
    let upstreamCalled!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    const called = new Promise<void>((resolve) => upstreamCalled = resolve);
    const fetch = async () => {
      calls++;
      if (calls === 1) {
        upstreamCalled();
        await gate;
      }
      return { price: "189.12" };
    };
    const all = Promise.all(
      Array.from({ length: 1000 }, () => cache.get("quote", ["t", "A"], fetch)),
    );
    // All 1000 are waiting while the one upstream call is still open.
    await called;
    release();
    const results = await all;
    assert.equal(calls, 1);
    for (const result of results) assert.deepEqual(result.value, { price: "189.12" });

    // The shared call is over: after expiry, the next miss fetches again.
    clock.now += CACHE_TTL_MS.quote;
    await cache.get("quote", ["t", "A"], fetch);
    assert.equal(calls, 2);
  });
});

Deno.test("cache: a failed shared fetch reaches every waiter once and is not remembered", async () => {
  await setup(async ({ cache }) => {
    let calls = 0;
    const boom = new Error("upstream down");
    const failing = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw boom;
    };
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => cache.get("chain", ["t", "SPY"], failing)),
    );
    assert.equal(calls, 1);
    for (const r of results) assert.ok(r.status === "rejected" && r.reason === boom);

    const fetch = counter();
    assert.equal((await cache.get("chain", ["t", "SPY"], fetch)).value, "v#1");
    assert.equal(fetch.calls, 1);
  });
});

Deno.test("cache: an expired entry is served stale when the upstream fails", async () => {
  await setup(async ({ cache, clock }) => {
    const start = clock.now;
    await cache.get("bars", ["t", "AAPL", "1d"], () => Promise.resolve([1, 2, 3]));
    clock.now = start + CACHE_TTL_MS.bars + 60_000;
    const failing = () => Promise.reject(new Error("503"));
    assert.deepEqual(await cache.get("bars", ["t", "AAPL", "1d"], failing), {
      value: [1, 2, 3],
      stale: true,
      fetchedAt: new Date(start),
    });

    // Recovery replaces it with a fresh value.
    const fresh = await cache.get("bars", ["t", "AAPL", "1d"], () => Promise.resolve([4]));
    assert.deepEqual(fresh, { value: [4], stale: false, fetchedAt: new Date(clock.now) });
  });
});

Deno.test("cache: the upstream error surfaces when nothing usable is cached", async () => {
  await setup(async ({ cache, clock }) => {
    const boom = new Error("no upstream");
    await assert.rejects(
      cache.get("company", ["t", "NEW"], () => Promise.reject(boom)),
      (e) => e === boom,
    );

    // Past the stale window the old entry no longer counts, even if KV has not deleted it yet.
    await cache.get("quote", ["t", "OLD"], () => Promise.resolve(1));
    clock.now += CACHE_TTL_MS.quote + DEFAULT_STALE_FOR_MS;
    await assert.rejects(
      cache.get("quote", ["t", "OLD"], () => Promise.reject(boom)),
      (e) => e === boom,
    );
  });
});

Deno.test("cache: staleForMs bounds the fallback window", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let now = 0;
    const cache = new Cache(kv, { now: () => now, staleForMs: 1_000 });
    await cache.get("quote", ["k"], () => Promise.resolve("old"));
    now = CACHE_TTL_MS.quote + 999;
    assert.equal((await cache.get("quote", ["k"], () => Promise.reject(new Error()))).stale, true);
    now = CACHE_TTL_MS.quote + 1_000;
    await assert.rejects(
      cache.get("quote", ["k"], () => Promise.reject(new Error("gone"))),
      /gone/,
    );
  } finally {
    kv.close();
  }
});

Deno.test("cache: a get's own staleForMs sets that entry's fallback window and KV expiry", async () => {
  await setup(async ({ kv, cache, clock }) => {
    const start = clock.now;
    await cache.get("quote", ["short"], () => Promise.resolve("s"), { staleForMs: 2_000 });
    await cache.get("quote", ["long"], () => Promise.resolve("l"));
    const fail = () => Promise.reject(new Error("down"));
    clock.now = start + CACHE_TTL_MS.quote + 1_999;
    assert.equal((await cache.get("quote", ["short"], fail, { staleForMs: 2_000 })).stale, true);
    clock.now = start + CACHE_TTL_MS.quote + 2_000;
    await assert.rejects(cache.get("quote", ["short"], fail), /down/);
    assert.equal((await cache.get("quote", ["long"], fail)).stale, true, "others keep the default");
    const entry = await kv.get<{ staleUntil: number; fetchedAt: number }>([
      "cache",
      "quote",
      "short",
    ]);
    assert.equal(entry.value!.staleUntil - entry.value!.fetchedAt, CACHE_TTL_MS.quote + 2_000);
    const other = await kv.get<{ staleUntil: number; fetchedAt: number }>([
      "cache",
      "quote",
      "long",
    ]);
    assert.equal(
      other.value!.staleUntil - other.value!.fetchedAt,
      CACHE_TTL_MS.quote + DEFAULT_STALE_FOR_MS,
    );
  });
});

Deno.test("cache: a 2 MB value round-trips through KV in chunks", async () => {
  await setup(async ({ kv, cache, clock }) => {
    // Random hex compresses only to half, so this still spans many chunks and commits.
    const random = new Uint8Array(1_100_000);
    for (let i = 0; i < random.length; i += 65_536) {
      crypto.getRandomValues(random.subarray(i, i + 65_536));
    }
    const big = { hex: Array.from(random, (b) => b.toString(16).padStart(2, "0")).join(""), n: 1 };
    assert.ok(JSON.stringify(big).length > 2_000_000);

    const first = await cache.get("bars", ["t", "BIG"], () => Promise.resolve(big));
    assert.deepEqual(first.value, big);

    // A second cache (another instance, say) reads it back from KV alone.
    const other = new Cache(kv, { now: () => clock.now });
    const fetch = counter();
    const second = await other.get("bars", ["t", "BIG"], fetch);
    assert.equal(fetch.calls, 0);
    assert.deepEqual(second.value, big);

    const chunkKeys = async () => {
      const keys = [];
      for await (const e of kv.list({ prefix: ["cache", "~chunks"] })) keys.push(e.key);
      return keys;
    };
    // More chunks than fit in one commit (10), so the batching is exercised too.
    assert.ok((await chunkKeys()).length > 10);

    // Replacing the value removes the old chunks instead of leaving them for a day.
    clock.now += CACHE_TTL_MS.bars;
    await other.get("bars", ["t", "BIG"], () => Promise.resolve({ small: true }));
    assert.deepEqual(await chunkKeys(), []);
  });
});

Deno.test("cache: values that are not JSON are an error and are not stored", async () => {
  await setup(async ({ kv, cache }) => {
    await assert.rejects(cache.get("quote", ["a"], () => Promise.resolve(1n)), TypeError);
    await assert.rejects(cache.get("quote", ["b"], () => Promise.resolve(undefined)), TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(cache.get("quote", ["c"], () => Promise.resolve(cyclic)), TypeError);
    const stored = [];
    for await (const e of kv.list({ prefix: ["cache"] })) stored.push(e.key);
    assert.deepEqual(stored, []);
  });
});

Deno.test("cache: a miss returns the same JSON form a hit would", async () => {
  await setup(async ({ cache }) => {
    const at = new Date("2024-01-02T03:04:05Z");
    const miss = await cache.get("news", ["n"], () => Promise.resolve({ at, skip: undefined }));
    const hit = await cache.get("news", ["n"], () => Promise.resolve({ at, skip: undefined }));
    assert.deepEqual(miss.value, { at: "2024-01-02T03:04:05.000Z" });
    assert.deepEqual(hit.value, miss.value);
  });
});

Deno.test("cache: distinct keys and kinds never collide", async () => {
  await setup(async ({ cache }) => {
    const keys: [CacheKind, Deno.KvKey][] = [
      ["quote", ["tradier", "AAPL"]],
      ["quote", ["alpaca", "AAPL"]],
      ["quote", ["tradier", "AAPL", "x"]],
      ["quote", ["tradier"]],
      ["quote", ["tradier", "1"]],
      ["quote", ["tradier", 1]],
      ["quote", ["tradier", 1n]],
      ["quote", ["tradier", true]],
      ["quote", ["tradier", new Uint8Array([1])]],
      // Parts that hold the separators or look like another key's encoding.
      ["quote", ["tradier\u0000AAPL"]],
      ["quote", ["tradier", ""]],
      ["quote", ["", "tradier"]],
      ["quote", ["\u0001tradier"]],
      ["quote", ["\u0001tradier", "\u0000"]],
      ["quote", ['["tradier","AAPL"]']],
      ["quote", ["tradier", '[["number","1"]]']],
      ["chain", ["tradier", "AAPL"]],
      ["bars", ["tradier", "AAPL"]],
    ];
    // Concurrently, to cover the in-flight map as well as KV.
    const first = await Promise.all(
      keys.map(([kind, key], i) => cache.get(kind, key, () => Promise.resolve(i))),
    );
    assert.deepEqual(first.map((r) => r.value), keys.map((_, i) => i));
    const second = await Promise.all(
      keys.map(([kind, key]) => cache.get(kind, key, () => Promise.resolve(-1))),
    );
    assert.deepEqual(second.map((r) => r.value), keys.map((_, i) => i));
  });
});

Deno.test("cache: delete forgets a key", async () => {
  await setup(async ({ cache }) => {
    const fetch = counter();
    await cache.get("company", ["t", "AAPL"], fetch);
    await cache.delete("company", ["t", "AAPL"]);
    assert.equal((await cache.get("company", ["t", "AAPL"], fetch)).value, "v#2");
  });
});

Deno.test("cache L1: a fresh quote is answered from memory, without reading KV", async () => {
  await setup(async ({ kv, cache, clock }) => {
    const fetch = counter("q");
    const first = await cache.get("quote", ["p", "AAPL"], fetch);
    // Removed behind the cache's back: only the L1 can still answer.
    await kv.delete(["cache", "quote", "p", "AAPL"]);
    clock.now += CACHE_TTL_MS.quote - 1;
    const hot = await cache.get("quote", ["p", "AAPL"], fetch);
    assert.equal(hot, first, "the very same answer, from memory");
    assert.equal(fetch.calls, 1);
    clock.now += 1;
    assert.equal(
      (await cache.get("quote", ["p", "AAPL"], fetch)).value,
      "q#2",
      "expired: refetched",
    );
  });
});

Deno.test("cache L1: an entry read from KV expires when the KV entry did, not a TTL later", async () => {
  await setup(async ({ kv, cache, clock }) => {
    const writer = counter("w");
    await cache.get("quote", ["p", "MSFT"], writer);
    const other = new Cache(kv, { now: () => clock.now });
    clock.now += 4_000;
    const reader = counter("r");
    assert.equal((await other.get("quote", ["p", "MSFT"], reader)).value, "w#1");
    clock.now += 999;
    assert.equal((await other.get("quote", ["p", "MSFT"], reader)).value, "w#1");
    clock.now += 1;
    assert.equal((await other.get("quote", ["p", "MSFT"], reader)).value, "r#1");
  });
});

Deno.test("cache L1: a stale fallback is never kept in memory", async () => {
  await setup(async ({ cache, clock }) => {
    await cache.get("quote", ["p", "X"], counter("old"));
    clock.now += CACHE_TTL_MS.quote;
    const failing = () => Promise.reject(new Error("upstream down"));
    assert.equal((await cache.get("quote", ["p", "X"], failing)).stale, true);
    const back = counter("new");
    const fresh = await cache.get("quote", ["p", "X"], back);
    assert.deepEqual([fresh.value, fresh.stale, back.calls], ["new#1", false, 1]);
  });
});

Deno.test("cache L1: bounded, the least recently used key goes first", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const cache = new Cache(kv, { l1Size: 2 });
    const fetch = counter();
    for (const k of ["a", "b", "a", "c"]) await cache.get("quote", ["p", k], fetch);
    for (const k of ["a", "b", "c"]) await kv.delete(["cache", "quote", "p", k]);
    const calls = fetch.calls;
    await cache.get("quote", ["p", "a"], fetch);
    await cache.get("quote", ["p", "c"], fetch);
    assert.equal(fetch.calls, calls, "a and c still in memory");
    await cache.get("quote", ["p", "b"], fetch);
    assert.equal(fetch.calls, calls + 1, "b was evicted");
  } finally {
    kv.close();
  }
});

Deno.test("cache L1: only hot kinds are kept; delete forgets the L1 copy too", async () => {
  await setup(async ({ kv, cache }) => {
    const chain = counter("c");
    await cache.get("chain", ["p", "X"], chain);
    await kv.delete(["cache", "chain", "p", "X"]);
    await cache.get("chain", ["p", "X"], chain);
    assert.equal(chain.calls, 2, "chains are read from KV every time");
    const quote = counter("q");
    await cache.get("quote", ["p", "X"], quote);
    await cache.delete("quote", ["p", "X"]);
    assert.equal((await cache.get("quote", ["p", "X"], quote)).value, "q#2");
  });
});
