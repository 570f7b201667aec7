import assert from "node:assert/strict";
import { pushSourceOf } from "../http/push_body.ts";
import { sseFrame, sseStream } from "./sse_stream.ts";
import { StreamHub } from "./stream_hub.ts";
import { ScriptedMarketData } from "./testing.ts";
import type { Quote } from "./types.ts";

const decoder = new TextDecoder();

/** A hub over prices the test sets by hand. */
async function setup(
  fn: (t: { hub: StreamHub; market: ScriptedMarketData }) => Promise<void>,
  heartbeatMs = 60_000,
) {
  const market = new ScriptedMarketData();
  market.setQuote("AAPL", { last: 100 });
  market.setQuote("MSFT", { last: 300 });
  const hub = new StreamHub(market, { heartbeatMs });
  try {
    await fn({ hub, market });
  } finally {
    await hub.close();
    await market.close();
  }
}

/** One SSE connection's reader: chunks as they come, parsed events of a chunk. */
function open(hub: StreamHub, symbols: string[], heartbeatMs = 60_000) {
  const client = hub.subscribe(symbols);
  const stream = sseStream(client, { preamble: "event: ready\ndata: {}\n\n", heartbeatMs });
  return { client, reader: stream.getReader() };
}

async function read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array> {
  const r = await reader.read();
  if (r.done) throw new Error("stream ended");
  return r.value;
}

/** The quote of a `quote` frame. */
function quoteOf(chunk: Uint8Array): Quote {
  const text = decoder.decode(chunk);
  const m = text.match(/^event: quote\ndata: (.*)\nid: [0-9a-z]+-\d+\n\n$/);
  assert.ok(m, `not one quote frame: ${JSON.stringify(text)}`);
  return JSON.parse(m[1]);
}

Deno.test("SSE frames: every client enqueues the same bytes, serialised once per event", async () => {
  await setup(async ({ hub, market }) => {
    const conns = Array.from({ length: 50 }, () => open(hub, ["AAPL"]));
    for (const { reader } of conns) {
      assert.equal(decoder.decode(await read(reader)), "event: ready\ndata: {}\n\n");
      assert.equal(quoteOf(await read(reader)).last, 100, "the seeded price first");
    }
    const sent = market.setQuote("AAPL", { last: 101.25 });
    const frames = await Promise.all(conns.map(({ reader }) => read(reader)));
    // The very same Uint8Array object: encoded once, not once per client.
    for (const frame of frames) assert.equal(frame, frames[0]);
    assert.deepEqual(quoteOf(frames[0]), sent);
    for (const { reader } of conns) await reader.cancel();
  });
});

Deno.test("sseFrame: the event, its payload on one data line, and the id the hub gave it", () => {
  const quote = { symbol: "KO", last: 61.5, note: "two\nlines" } as unknown as Quote;
  const e = { id: "abc-7", seq: 7, symbol: "KO", event: { type: "quote" as const, quote } };
  const text = decoder.decode(sseFrame(e));
  assert.equal(text, `event: quote\ndata: ${JSON.stringify(quote)}\nid: abc-7\n\n`);
  assert.equal(text.split("\n").length, 5, "a line break in the data stays escaped");
  assert.equal(sseFrame(e), sseFrame(e));
});

Deno.test("a backed-up SSE client gets the newest quote per symbol, not a queue", async () => {
  await setup(async ({ hub, market }) => {
    const slow = open(hub, ["AAPL", "MSFT"]);
    await read(slow.reader); // ready
    const seeded = [quoteOf(await read(slow.reader)), quoteOf(await read(slow.reader))];
    assert.deepEqual(seeded.map((q) => q.symbol).sort(), ["AAPL", "MSFT"]);
    // A fast reader shows when the hub has fanned every update out.
    const fast = open(hub, ["AAPL"]);
    await read(fast.reader);
    await read(fast.reader);

    // The slow client reads nothing while 200 updates go out.
    for (let n = 1; n <= 200; n++) {
      market.setQuote("AAPL", { last: 100 + n });
      if (n % 50 === 0) market.setQuote("MSFT", { last: 300 + n });
      while (quoteOf(await read(fast.reader)).last !== 100 + n) {
        // an earlier frame of the fast reader; keep reading
      }
    }
    assert.ok(slow.client.skipped >= 190, `only ${slow.client.skipped} updates conflated`);

    // What it holds: at most the frame its stream had already taken, then the newest per symbol.
    const got: Quote[] = [];
    const newest = () =>
      got.some((q) => q.symbol === "AAPL" && q.last === 300) &&
      got.some((q) => q.symbol === "MSFT" && q.last === 500);
    while (!newest()) got.push(quoteOf(await read(slow.reader)));
    assert.ok(got.length <= 3, `a backlog of ${got.length}: ${got.map((q) => q.last)}`);
    // And nothing else is queued behind them: the next frame is the next update.
    market.setQuote("AAPL", { last: 301 });
    assert.equal(quoteOf(await read(slow.reader)).last, 301);
    await slow.reader.cancel();
    await fast.reader.cancel();
  });
});

Deno.test("SSE stream: heartbeats while idle, cancel leaves the hub, hub close ends the stream", async () => {
  await setup(async ({ hub }) => {
    const a = open(hub, ["AAPL"], 20);
    await read(a.reader);
    await read(a.reader);
    assert.match(decoder.decode(await read(a.reader)), /^: heartbeat \d{4}-\d\d-\d\dT.*\n\n$/);
    const b = open(hub, ["MSFT"]);
    assert.deepEqual(hub.stats(), { AAPL: 1, MSFT: 1 });
    await a.reader.cancel();
    assert.ok(a.client.closed);
    assert.deepEqual(hub.stats(), { MSFT: 1 });
    await read(b.reader);
    await read(b.reader);
    const end = b.reader.read();
    await hub.close();
    assert.equal((await end).done, true);
  });
});

Deno.test("SSE heartbeats: streams of one period share one timer and the same comment bytes", async () => {
  await setup(async ({ hub }) => {
    const conns = [open(hub, ["AAPL"], 15), open(hub, ["AAPL"], 15)];
    for (const { reader } of conns) {
      await read(reader); // ready
      await read(reader); // the seeded quote
    }
    const beats = await Promise.all(conns.map(({ reader }) => read(reader)));
    assert.match(decoder.decode(beats[0]), /^: heartbeat \d{4}-\d\d-\d\dT.*\n\n$/);
    assert.equal(beats[1], beats[0], "encoded once per beat, not once per stream");
    for (const { reader } of conns) await reader.cancel();
  });
});

Deno.test("SSE stream: an update held behind a waiting notification follows it once read", async () => {
  await setup(async ({ hub, market }) => {
    let notify: (frame: string) => void = () => {};
    const client = hub.subscribe(["AAPL"]);
    const stream = sseStream(client, {
      preamble: "event: ready\ndata: {}\n\n",
      heartbeatMs: 60_000,
      side: (send) => {
        notify = send;
        return () => notify = () => {};
      },
    });
    const reader = stream.getReader();
    await read(reader); // ready
    assert.equal(quoteOf(await read(reader)).last, 100);
    // Not reading: the notification waits in the stream, so the updates after it are held in
    // the hub client's slot (the newest only) until the connection takes the notification.
    notify("event: notification\ndata: {}\n\n");
    // Taps see an update just before the clients do, in the same call.
    const published = new Promise<void>((resolve) => {
      const stop = hub.tap((e) => {
        if (e.event.type === "quote" && e.event.quote.last === 102) resolve(stop());
      });
    });
    market.setQuote("AAPL", { last: 101 });
    market.setQuote("AAPL", { last: 102 });
    await published;
    assert.equal(client.skipped, 1, "101 was replaced by 102 while held");
    assert.equal(decoder.decode(await read(reader)), "event: notification\ndata: {}\n\n");
    assert.equal(quoteOf(await read(reader)).last, 102);
    await reader.cancel();
  });
});

/** Waits (by timer turns, up to 5 s) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  for (const end = Date.now() + 5_000; !cond();) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** A push target that records what it is sent and is busy until the test says it is done. */
function recordingSink() {
  const sent: Uint8Array[] = [];
  const sink = {
    busy: false,
    ended: false,
    get idle() {
      return !this.busy && !this.ended;
    },
    send(bytes: Uint8Array) {
      sent.push(bytes);
    },
    end() {
      this.ended = true;
    },
  };
  return { sink, sent };
}

Deno.test("SSE pushed: frames go straight to the sink, held while it is busy, newest on idle", async () => {
  await setup(async ({ hub, market }) => {
    const streams = Array.from({ length: 3 }, () => {
      const client = hub.subscribe(["AAPL"]);
      const stream = sseStream(client, {
        preamble: "event: ready\ndata: {}\n\n",
        heartbeatMs: 60_000,
      });
      const { sink, sent } = recordingSink();
      const source = pushSourceOf(stream);
      assert.ok(source, "an unread event stream can be pushed");
      const onIdle = source.push(sink);
      return { client, stream, sink, sent, onIdle };
    });
    await until(() => streams.every((s) => s.sent.length >= 2));
    for (const { sent } of streams) {
      assert.equal(decoder.decode(sent[0]), "event: ready\ndata: {}\n\n");
      assert.equal(quoteOf(sent[1]).last, 100, "the seeded price next");
    }
    market.setQuote("AAPL", { last: 101 });
    await until(() => streams.every((s) => s.sent.length >= 3));
    // Same bytes for every client, sent as the hub publishes (no read in between).
    for (const { sent } of streams) assert.equal(sent[2], streams[0].sent[2]);
    assert.equal(quoteOf(streams[0].sent[2]).last, 101);

    // A busy socket: updates wait and collapse to the newest, sent once it is idle again.
    const slow = streams[0];
    slow.sink.busy = true;
    market.setQuote("AAPL", { last: 102 });
    market.setQuote("AAPL", { last: 103 });
    await until(() => quoteOf(streams[1].sent.at(-1)!).last === 103);
    assert.equal(slow.sent.length, 3, "nothing sent while busy");
    assert.equal(quoteOf(streams[1].sent.at(-1)!).last, 103);
    slow.sink.busy = false;
    slow.onIdle();
    assert.equal(slow.sent.length, 4);
    assert.equal(quoteOf(slow.sent[3]).last, 103);

    // Pushed once: neither a second push nor a read.
    assert.throws(() => pushSourceOf(slow.stream)!.push(recordingSink().sink), /already/);
    // Cancelling the body (the client left) leaves the hub.
    await slow.stream.cancel();
    assert.equal(slow.client.closed, true);
    // The hub closing ends the others' bodies.
    await hub.close();
    for (const s of streams.slice(1)) {
      s.onIdle();
      assert.equal(s.sink.ended, true, "the hub closing ends a pushed body");
    }
  });
});

Deno.test("SSE read: a stream that is read cannot also be pushed", async () => {
  await setup(async ({ hub }) => {
    const stream = sseStream(hub.subscribe(["AAPL"]), {
      preamble: ": hi\n\n",
      heartbeatMs: 60_000,
    });
    const reader = stream.getReader();
    assert.equal(decoder.decode(await read(reader)), ": hi\n\n");
    assert.equal(pushSourceOf(stream), undefined, "a locked stream offers no push");
    await reader.cancel();
  });
});

Deno.test("SSE pushed: heartbeats while idle, side events (notifications) even while busy", async () => {
  await setup(async ({ hub }) => {
    let sendSide: ((frame: string) => void) | undefined;
    const stream = sseStream(hub.subscribe(["AAPL"]), {
      preamble: ": hi\n\n",
      heartbeatMs: 10,
      side: (send) => {
        sendSide = send;
        return () => sendSide = undefined;
      },
    });
    const { sink, sent } = recordingSink();
    pushSourceOf(stream)!.push(sink);
    const texts = () => sent.map((b) => decoder.decode(b));
    await until(() => texts().some((t) => t.startsWith(": heartbeat")));
    sink.busy = true;
    sendSide!("event: notification\ndata: {}\n\n");
    assert.ok(texts().includes("event: notification\ndata: {}\n\n"));
    await stream.cancel();
    assert.equal(sendSide, undefined, "cancelling stops the side events");
  });
});
