import assert from "node:assert/strict";
import { Cache, CACHE_TTL_MS } from "../cache.ts";
import { CachedMarketData, TIME_SALES_STALE_FOR_MS } from "./cached.ts";
import { CountingMarketData, openReplayForTest } from "./testing.ts";
import { UnknownSymbolError, UpstreamError } from "./types.ts";

/** The real replay, counted, behind a cache over an in-memory KV with a hand-driven clock. */
async function setup(
  fn: (
    t: { counting: CountingMarketData; market: CachedMarketData; clock: { now: number } },
  ) => Promise<void>,
) {
  const kv = await Deno.openKv(":memory:");
  const clock = { now: Date.UTC(2026, 10, 4, 15, 30) };
  const counting = new CountingMarketData(openReplayForTest());
  const market = new CachedMarketData(
    counting,
    new Cache(kv, { now: () => clock.now }),
    "replay:test",
  );
  try {
    await fn({ counting, market, clock });
  } finally {
    await market.close();
    kv.close();
  }
}

Deno.test("cached market: 1,000 concurrent requests for one cold key make one upstream call", async () => {
  await setup(async ({ counting, market }) => {
    counting.delayMs = 20;
    const results = await Promise.all(
      Array.from({ length: 1_000 }, () => market.quotes(["AAPL"])),
    );
    assert.equal(counting.calls.quotes, 1);
    assert.equal(results.length, 1_000);
    for (const [q] of results) {
      assert.equal(q.symbol, "AAPL");
      assert.equal(q.source, "replay");
      assert.equal(q.stale, undefined);
      assert.equal(q.last, results[0][0].last);
    }
  });
});

Deno.test("cached market: entries live for their kind's TTL, then the source is asked again", async () => {
  await setup(async ({ counting, market, clock }) => {
    await market.quotes(["MSFT"]);
    clock.now += CACHE_TTL_MS.quote - 1;
    await market.quotes(["MSFT"]);
    assert.equal(counting.calls.quotes, 1, "fresh within 5 s");
    clock.now += 2;
    await market.quotes(["MSFT"]);
    assert.equal(counting.calls.quotes, 2, "refetched after 5 s");

    await market.company("MSFT");
    clock.now += CACHE_TTL_MS.quote * 10;
    const info = await market.company("MSFT");
    assert.equal(counting.calls.company, 1, "company info is kept for a day");
    assert.equal(info.symbol, "MSFT");
    clock.now += CACHE_TTL_MS.company;
    await market.company("MSFT");
    assert.equal(counting.calls.company, 2);

    await market.bars("MSFT", { interval: "daily", start: "2019-12-01", end: "2019-12-31" });
    clock.now += CACHE_TTL_MS.chain + 1;
    await market.bars("MSFT", { interval: "daily", start: "2019-12-01", end: "2019-12-31" });
    assert.equal(counting.calls.bars, 1, "daily bars are kept for an hour");
  });
});

Deno.test("cached market: the key holds the arguments, so different calls do not collide", async () => {
  await setup(async ({ counting, market }) => {
    const a = await market.bars("AAPL", {
      interval: "daily",
      start: "2019-12-02",
      end: "2019-12-06",
    });
    const b = await market.bars("AAPL", {
      interval: "daily",
      start: "2019-11-04",
      end: "2019-11-08",
    });
    assert.equal(counting.calls.bars, 2);
    assert.notDeepEqual(a.bars, b.bars);
    const [x] = await market.quotes(["AAPL"]);
    const [y] = await market.quotes(["KO"]);
    assert.equal(counting.calls.quotes, 2);
    assert.equal(x.symbol, "AAPL");
    assert.equal(y.symbol, "KO");
  });
});

Deno.test("cached market: a failing source serves the expired value marked stale", async () => {
  await setup(async ({ counting, market, clock }) => {
    const fresh = await market.clock();
    assert.equal(fresh.stale, undefined);
    const [quote] = await market.quotes(["AAPL"]);
    clock.now += CACHE_TTL_MS.quote + 1;
    counting.failWith = "Tradier is down";
    const stale = await market.clock();
    assert.equal(stale.stale, true);
    assert.equal(stale.date, fresh.date);
    assert.equal(stale.source, "replay");
    const [staleQuote] = await market.quotes(["AAPL"]);
    assert.equal(staleQuote.stale, true);
    assert.equal(staleQuote.last, quote.last);
    // Served stale, not cached as stale: once the source recovers the next read is fresh.
    counting.failWith = null;
    const again = await market.clock();
    assert.equal(again.stale, undefined);
  });
});

Deno.test("cached market: a failing source with nothing cached is an error", async () => {
  await setup(async ({ counting, market }) => {
    counting.failWith = "no route to host";
    await assert.rejects(() => market.quotes(["AAPL"]), UpstreamError);
    await assert.rejects(() => market.chain("AAPL", "2020-01-17"), /no route to host/);
    counting.failWith = null;
    await assert.rejects(() => market.quotes(["NOPE"]), UnknownSymbolError);
  });
});

Deno.test("cached market: time & sales keys are canonical and kept only briefly past their TTL", async () => {
  await setup(async ({ counting, market, clock }) => {
    const a = await market.timeSales("AAPL", { interval: "1min", start: "2026-11-03" });
    await market.timeSales("AAPL", { interval: "1min", start: " 2026-11-03 00:00 " });
    await market.timeSales("AAPL", { interval: "1min", start: "2026-11-03T00:00" });
    assert.equal(counting.calls.timeSales, 1, "three spellings of one window share an entry");
    await market.timeSales("AAPL", { interval: "1min", start: "2026-11-03 00:01" });
    assert.equal(counting.calls.timeSales, 2);

    counting.failWith = "Tradier is down";
    clock.now += CACHE_TTL_MS.quote + TIME_SALES_STALE_FOR_MS - 1;
    const stale = await market.timeSales("AAPL", { interval: "1min", start: "2026-11-03" });
    assert.equal(stale.stale, true);
    assert.equal(stale.sales.length, a.sales.length);
    clock.now += 1;
    await assert.rejects(
      () => market.timeSales("AAPL", { interval: "1min", start: "2026-11-03" }),
      UpstreamError,
    );
    // Other kinds keep the cache's default fallback window.
    counting.failWith = null;
    await market.clock();
    counting.failWith = "Tradier is down";
    clock.now += CACHE_TTL_MS.quote + TIME_SALES_STALE_FOR_MS;
    assert.equal((await market.clock()).stale, true);
  });
});
