import assert from "node:assert/strict";
import { type HubClient, type HubEvent, StreamHub } from "./stream_hub.ts";
import { CountingMarketData, openLiveReplayForTest } from "./testing.ts";

/** A hub over the real replay (open session, prices moving every tick), counted. */
async function setup(
  fn: (t: { hub: StreamHub; counting: CountingMarketData }) => Promise<void>,
  opts: ConstructorParameters<typeof StreamHub>[1] = {},
) {
  const counting = new CountingMarketData(await openLiveReplayForTest());
  const hub = new StreamHub(counting, opts);
  try {
    await fn({ hub, counting });
  } finally {
    await hub.close();
    await counting.close();
  }
}

/** Reads batches until `n` updates arrived (or fails after `ms`). */
async function take(client: HubClient, n: number, ms = 30_000): Promise<HubEvent[]> {
  const out: HubEvent[] = [];
  const deadline = Date.now() + ms;
  while (out.length < n) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`got ${out.length} of ${n} updates`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const batch = await Promise.race([
      client.next(),
      new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), left)),
    ]);
    clearTimeout(timer);
    if (batch === "timeout") continue;
    if (batch === null) throw new Error("client closed");
    out.push(...batch);
  }
  return out;
}

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const seqs = (events: HubEvent[]) => events.map((e) => e.seq);

Deno.test("hub: many clients of a symbol share one upstream subscription", async () => {
  await setup(async ({ hub, counting }) => {
    const clients = Array.from({ length: 200 }, () => hub.subscribe(["AAPL"]));
    const got = await Promise.all(clients.map((c) => take(c, 3)));
    assert.equal(counting.calls.stream, 1);
    assert.deepEqual(counting.streamed, [["AAPL"]]);
    assert.equal(counting.openStreams, 1);
    assert.deepEqual(hub.stats(), { AAPL: 200 });
    for (const events of got) {
      for (const e of events) {
        assert.equal(e.symbol, "AAPL");
        assert.equal(e.event.type, "quote");
        assert.match(e.id, new RegExp(`^${hub.epoch}-\\d+$`));
      }
      // Ids only ever increase.
      assert.deepEqual(seqs(events), [...seqs(events)].sort((a, b) => a - b));
    }
    for (const c of clients) c.close();
  });
});

Deno.test("hub: the last client leaving a symbol ends its upstream subscription", async () => {
  await setup(async ({ hub, counting }) => {
    const a = hub.subscribe(["AAPL", "MSFT"]);
    const b = hub.subscribe(["AAPL"]);
    await take(a, 2);
    assert.equal(counting.calls.stream, 2);
    assert.equal(counting.openStreams, 2);

    a.unsubscribe(["MSFT"]);
    await until(() => counting.openStreams === 1);
    assert.deepEqual(hub.stats(), { AAPL: 2 });
    a.close();
    assert.equal(counting.openStreams, 1, "b still listens to AAPL");
    b.close();
    await until(() => counting.openStreams === 0);
    assert.deepEqual(hub.stats(), {});

    // A later client opens a new subscription.
    const c = hub.subscribe(["AAPL"]);
    await take(c, 1);
    assert.equal(counting.calls.stream, 3);
    c.close();
    await until(() => counting.openStreams === 0);
  });
});

Deno.test("hub: a slow client holds only the newest update per symbol, not a queue", async () => {
  await setup(async ({ hub }) => {
    const fast = hub.subscribe(["AAPL", "KO"]);
    const slow = hub.subscribe(["AAPL", "KO"]);
    const seen = await take(fast, 40);
    // The slow client did not read while 40 updates went by.
    const batch = await slow.next();
    assert.ok(batch);
    assert.ok(batch.length <= 2, `one pending update per symbol, got ${batch.length}`);
    assert.ok(slow.skipped >= 30, `skipped ${slow.skipped}`);
    const newest = (symbol: string) => seen.filter((e) => e.symbol === symbol).at(-1)!.seq;
    for (const e of batch) assert.ok(e.seq >= newest(e.symbol), "it is the latest value");
    fast.close();
    slow.close();
  });
});

Deno.test("hub: Last-Event-ID resumes with exactly the missed updates", async () => {
  await setup(async ({ hub }) => {
    const keeper = hub.subscribe(["AAPL"]); // keeps the symbol live while the other is away
    const first = hub.subscribe(["AAPL"]);
    const before = await take(first, 3);
    const lastSeen = before.at(-1)!;
    first.close();
    const during = (await take(keeper, 20)).filter((e) => e.seq > lastSeen.seq);
    const resumed = hub.subscribe(["AAPL"], { lastEventId: lastSeen.id });
    const replayed = await resumed.next();
    assert.ok(replayed);
    // Everything the keeper saw after lastSeen is replayed, in order, and nothing before it.
    assert.ok(replayed.every((e) => e.seq > lastSeen.seq));
    const replayedSeqs = new Set(seqs(replayed));
    for (const e of during) assert.ok(replayedSeqs.has(e.seq), `missed update ${e.seq} replayed`);
    keeper.close();
    resumed.close();
  }, { ringSize: 1_000 });
});

Deno.test("hub: a gap beyond the ring, or another epoch's id, resumes from the latest value", async () => {
  await setup(async ({ hub }) => {
    const keeper = hub.subscribe(["AAPL"]);
    const first = await take(keeper, 1);
    await take(keeper, 20); // more than the ring holds
    const resumed = hub.subscribe(["AAPL"], { lastEventId: first[0].id });
    const batch = await resumed.next();
    assert.equal(batch?.length, 1, "just the latest quote");
    const stranger = hub.subscribe(["AAPL"], { lastEventId: "zzzz-5" });
    assert.equal((await stranger.next())?.length, 1);
    for (const c of [keeper, resumed, stranger]) c.close();
  }, { ringSize: 4 });
});

Deno.test("hub: a failing upstream is reopened while clients remain; close() ends everything", async () => {
  await setup(async ({ hub, counting }) => {
    const client = hub.subscribe(["AAPL"]);
    await take(client, 2);
    // The next two openings fail; then the current stream ends from the outside.
    const originalStream = counting.stream.bind(counting);
    let refusals = 0;
    counting.stream = (symbols, signal) => {
      if (refusals < 2) {
        refusals++;
        throw new Error("stream refused");
      }
      return originalStream(symbols, signal);
    };
    await counting.close(); // the replay ends its streams: the hub must reopen
    await until(() => refusals === 2 && counting.openStreams === 1, 5_000);
    const after = await take(client, 2);
    assert.equal(after.length >= 2, true, "updates flow again");
    await hub.close();
    assert.equal(client.closed, true);
    assert.equal(await client.next(), null);
    assert.equal(counting.openStreams, 0);
  }, { backoffMs: 20 });
});
