/**
 * Streaming tests (Tradier's streaming session, HTTP and WebSocket streams): the real client's
 * stream against the fake Tradier's session endpoint, WebSocket and HTTP stream on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { type FakeTradier, startFakeTradier } from "../../../tests/fakes/tradier.ts";
import { type StreamEvent, UnknownSymbolError, UpstreamError } from "../types.ts";
import { type TradierClientOptions, TradierMarketData } from "./client.ts";
import { splitObjects } from "./stream.ts";

async function withFake(
  fn: (market: TradierMarketData, fake: FakeTradier) => Promise<void>,
  client: Partial<TradierClientOptions> = {},
) {
  const fake = await startFakeTradier();
  const market = new TradierMarketData({
    token: fake.token,
    baseUrl: fake.url,
    wsUrl: fake.wsUrl,
    streamUrl: fake.streamUrl,
    backoffBaseMs: 5,
    stream: { backoffBaseMs: 10, backoffMaxMs: 50 },
    ...client,
  });
  try {
    await fn(market, fake);
  } finally {
    await market.close();
    await fake.close();
  }
}

/** Reads `n` events from an iterator. */
async function take(it: AsyncIterator<StreamEvent>, n: number): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

for (const transport of ["ws", "http"] as const) {
  Deno.test(`stream (${transport}): session, subscription, payloads merged into quotes`, async () => {
    await withFake(async (market, fake) => {
      const stream = market.stream(["AAPL", "SPY"]);
      const it = stream[Symbol.asyncIterator]();
      await fake.waitForStreamClients(1);
      assert.equal(fake.sessionsCreated(), 1);
      const session = fake.requests.find((r) => r.path === "/v1/markets/events/session")!;
      assert.equal(session.method, "POST");
      assert.equal(session.authorized, true);

      const { payloads } = fake;
      fake.emit(payloads.summary("AAPL", { open: 210, high: 212, low: 209, prevClose: 200 }));
      fake.emit(payloads.trade("AAPL", 210.5, 100, 5000, 1718896201417));
      fake.emit(payloads.quote("SPY", 552.3, 552.32, 1718896201000));
      // Not subscribed (the client's filter is quote, trade, summary), so never delivered.
      assert.equal(fake.emit(payloads.timesale("AAPL", 999, 50)), 0);
      fake.emit(payloads.trade("AAPL", 213, 50, 5050, 1718896202000));
      const events = await take(it, 6);

      assert.deepEqual(events.map((e) => e.type), [
        "quote",
        "trade",
        "quote",
        "quote",
        "trade",
        "quote",
      ]);
      const summary = events[0].type === "quote" ? events[0].quote : undefined;
      assert.deepEqual([summary?.open, summary?.prevClose, summary?.last], [210, 200, null]);
      assert.deepEqual(events[1], {
        type: "trade",
        symbol: "AAPL",
        price: 210.5,
        size: 100,
        timestamp: new Date(1718896201417).toISOString(),
        source: "tradier",
      });
      const afterTrade = events[2].type === "quote" ? events[2].quote : undefined;
      assert.deepEqual(
        [afterTrade?.last, afterTrade?.change, afterTrade?.changePercent, afterTrade?.volume],
        [210.5, 10.5, 5.25, 5000],
      );
      const spy = events[3].type === "quote" ? events[3].quote : undefined;
      assert.deepEqual([spy?.symbol, spy?.bid, spy?.ask, spy?.bidSize], [
        "SPY",
        552.3,
        552.32,
        600,
      ]);
      const afterSale = events[5].type === "quote" ? events[5].quote : undefined;
      assert.equal(afterSale?.high, 213, "a trade above the day's high raises it");
      assert.equal(afterSale?.volume, 5050);

      stream.close();
      await fake.waitForStreamClients(0);
      assert.deepEqual(await it.next(), { value: undefined, done: true });
    }, { streamTransport: transport });
  });
}

Deno.test("stream: close() ends the upstream connection; the signal does too", async () => {
  await withFake(async (market, fake) => {
    const a = market.stream(["AAPL"]);
    await fake.waitForStreamClients(1);
    a.close();
    await fake.waitForStreamClients(0);

    const ac = new AbortController();
    const b = market.stream(["MSFT"], ac.signal);
    const it = b[Symbol.asyncIterator]();
    await fake.waitForStreamClients(1);
    ac.abort();
    await fake.waitForStreamClients(0);
    assert.equal((await it.next()).done, true);

    // for await … break also closes it.
    const c = market.stream(["SPY"]);
    await fake.waitForStreamClients(1);
    fake.emit(fake.payloads.quote("SPY", 1, 2));
    for await (const e of c) {
      assert.equal(e.type, "quote");
      break;
    }
    await fake.waitForStreamClients(0);
  });
});

Deno.test("stream: a dropped socket reconnects with a new session", async () => {
  await withFake(async (market, fake) => {
    const it = market.stream(["AAPL"])[Symbol.asyncIterator]();
    await fake.waitForStreamClients(1);
    fake.expireSessions();
    fake.dropStreams();
    await fake.waitForStreamClients(0);
    await fake.waitForStreamClients(1);
    assert.equal(fake.sessionsCreated(), 2);
    fake.emit(fake.payloads.trade("AAPL", 215, 10));
    const [e] = await take(it, 1);
    assert.equal(e.type === "trade" && e.price, 215);
  });
});

Deno.test("stream: a refused (expired) session is renewed", async () => {
  await withFake(async (market, fake) => {
    fake.rejectSessions(1);
    const it = market.stream(["AAPL"])[Symbol.asyncIterator]();
    await fake.waitForStreamClients(1);
    assert.equal(fake.sessionsCreated(), 2);
    const subs = fake.requests.filter((r) => r.method === "WS");
    assert.deepEqual(subs.map((r) => r.authorized), [false, true]);
    fake.emit(fake.payloads.quote("AAPL", 210, 210.1));
    assert.equal((await take(it, 1))[0].type, "quote");
  });
});

Deno.test("stream: an invalid symbol ends the stream with UnknownSymbolError", async () => {
  await withFake(async (market) => {
    const it = market.stream(["AAPL", "NOPE"])[Symbol.asyncIterator]();
    await assert.rejects(
      it.next(),
      (e: unknown) => e instanceof UnknownSymbolError && e.symbol === "NOPE",
    );
  });
});

Deno.test("stream: a rejected token ends the stream with a 401 UpstreamError", async () => {
  const fake = await startFakeTradier();
  const market = new TradierMarketData({ token: "wrong", baseUrl: fake.url, wsUrl: fake.wsUrl });
  try {
    const it = market.stream(["AAPL"])[Symbol.asyncIterator]();
    await assert.rejects(it.next(), (e: unknown) => e instanceof UpstreamError && e.status === 401);
    assert.equal(fake.sessionsCreated(), 0);
  } finally {
    await market.close();
    await fake.close();
  }
});

Deno.test("stream: gives up after repeated failed reconnects", async () => {
  await withFake(async (market, fake) => {
    fake.fail(100, 500);
    const it = market.stream(["AAPL"])[Symbol.asyncIterator]();
    await assert.rejects(it.next(), (e: unknown) => {
      assert.ok(e instanceof UpstreamError);
      assert.match(e.message, /3 times in a row/);
      return true;
    });
    // 3 reconnect attempts × (1 try + 1 retry) session requests each, plus the first.
    assert.equal(fake.requests.filter((r) => r.path === "/v1/markets/events/session").length, 8);
  }, { maxRetries: 1, stream: { backoffBaseMs: 1, maxConsecutiveFailures: 3 } });
});

Deno.test("stream: an idle connection is replaced (watchdog)", async () => {
  await withFake(async (market, fake) => {
    market.stream(["AAPL"]);
    await fake.waitForStreamClients(1);
    await fake.waitForStreamClients(0);
    await fake.waitForStreamClients(1);
    assert.ok(fake.sessionsCreated() >= 2);
  }, { stream: { idleTimeoutMs: 100, backoffBaseMs: 1 } });
});

Deno.test("market.close() closes the streams it opened", async () => {
  const fake = await startFakeTradier();
  const market = new TradierMarketData({ token: fake.token, baseUrl: fake.url, wsUrl: fake.wsUrl });
  try {
    const it = market.stream(["AAPL"])[Symbol.asyncIterator]();
    market.stream(["MSFT"]);
    await fake.waitForStreamClients(1);
    assert.equal(fake.sessionsCreated(), 1);
    await market.close();
    await fake.waitForStreamClients(0);
    assert.equal((await it.next()).done, true);
  } finally {
    await fake.close();
  }
});

Deno.test("splitObjects: newline-separated, concatenated, split across chunks, braces in strings", () => {
  assert.deepEqual(splitObjects('{"a":1}\n{"b":2}\n'), {
    objects: ['{"a":1}', '{"b":2}'],
    rest: "",
  });
  assert.deepEqual(splitObjects('{"a":1}{"b":"}{"}'), {
    objects: ['{"a":1}', '{"b":"}{"}'],
    rest: "",
  });
  const first = splitObjects('{"a":1}{"b":{"c"');
  assert.deepEqual(first, { objects: ['{"a":1}'], rest: '{"b":{"c"' });
  assert.deepEqual(splitObjects(first.rest + ":2}}").objects, ['{"b":{"c":2}}']);
});

// ---- One streaming session per user: the fake enforces it, the client multiplexes. ----

/** Polls `cond` every few ms; throws after `ms`. */
async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The symbol lists of every stream subscription the fake received (WebSocket or HTTP). */
function subscriptions(fake: FakeTradier): string[] {
  return fake.requests.filter((r) => r.path === "/v1/markets/events").map((r) => r.params.symbols);
}

/** The symbol of a quote or trade event. */
function symbolOf(e: StreamEvent | undefined): string | undefined {
  if (e?.type === "quote") return e.quote.symbol;
  if (e?.type === "trade") return e.symbol;
  return undefined;
}

Deno.test("fake Tradier: a new session ends the previous one; a socket may resubscribe", async () => {
  const fake = await startFakeTradier();
  const session = async (): Promise<string> => {
    const res = await fetch(`${fake.url}/markets/events/session`, {
      method: "POST",
      headers: { Authorization: `Bearer ${fake.token}`, Accept: "application/json" },
    });
    return (await res.json()).stream.sessionid;
  };
  const socket = async () => {
    const ws = new WebSocket(fake.wsUrl);
    const messages: string[] = [];
    ws.onmessage = (e) => messages.push(String(e.data).trim());
    const closed = new Promise((r) => (ws.onclose = r));
    await new Promise((r) => (ws.onopen = r));
    const subscribe = (symbols: string[], sessionid: string) =>
      ws.send(JSON.stringify({ symbols, sessionid, filter: ["quote"], linebreak: true }));
    return { ws, messages, closed, subscribe };
  };
  try {
    const first = await session();
    const a = await socket();
    a.subscribe(["AAPL"], first);
    await fake.waitForStreamClients(1);
    // On a WebSocket, a new payload on the same socket replaces the symbol list.
    a.subscribe(["MSFT"], first);
    await until(() => subscriptions(fake).length === 2, "the resubscription");
    assert.equal(fake.emit(fake.payloads.quote("AAPL", 1, 2)), 0);
    assert.equal(fake.emit(fake.payloads.quote("MSFT", 3, 4)), 1);
    await until(() => a.messages.length === 1, "the MSFT quote");
    assert.equal(JSON.parse(a.messages[0]).symbol, "MSFT");

    // One session per user: a second session ends the first one and the socket using it.
    const second = await session();
    await a.closed;
    assert.equal(fake.streamClients(), 0);
    const b = await socket();
    b.subscribe(["AAPL"], first);
    await until(() => b.messages.length === 1, "the refusal");
    assert.deepEqual(JSON.parse(b.messages[0]), { error: "invalid session" });
    b.subscribe(["AAPL"], second);
    await fake.waitForStreamClients(1);
    b.ws.close();
    await b.closed;
    assert.equal(fake.streamConnectionsOpened(), 2);
  } finally {
    await fake.close();
  }
});

Deno.test("stream (ws): concurrent streams share one session and one socket", async () => {
  await withFake(async (market, fake) => {
    const { payloads } = fake;
    const a = market.stream(["AAPL"]);
    const itA = a[Symbol.asyncIterator]();
    await fake.waitForStreamClients(1);
    // Streams opened later join the open socket by resubscribing with the union.
    const b = market.stream(["MSFT"]);
    const itB = b[Symbol.asyncIterator]();
    const c = market.stream(["SPY", "AAPL"]);
    const itC = c[Symbol.asyncIterator]();
    await until(() => subscriptions(fake).at(-1) === "AAPL,MSFT,SPY", "the union subscription");
    assert.equal(fake.sessionsCreated(), 1);
    assert.equal(fake.streamConnectionsOpened(), 1);
    assert.equal(fake.streamClients(), 1);
    const sessionIds = new Set(
      fake.requests.filter((r) => r.method === "WS").map((r) => r.params.sessionid),
    );
    assert.equal(sessionIds.size, 1, "resubscriptions reuse the socket's session id");

    // Each stream sees only its own symbols: the first event each one gets tells.
    assert.equal(fake.emit(payloads.quote("MSFT", 400, 400.1)), 1);
    assert.equal(fake.emit(payloads.quote("SPY", 550, 550.1)), 1);
    assert.equal(fake.emit(payloads.trade("AAPL", 210, 10)), 1);
    assert.deepEqual((await take(itA, 2)).map(symbolOf), ["AAPL", "AAPL"]);
    assert.deepEqual((await take(itB, 1)).map(symbolOf), ["MSFT"]);
    assert.deepEqual((await take(itC, 3)).map(symbolOf), ["SPY", "AAPL", "AAPL"]);

    // Closing one stream resubscribes with the rest; the others keep receiving.
    b.close();
    await until(() => subscriptions(fake).at(-1) === "AAPL,SPY", "the resubscription");
    assert.equal(fake.emit(payloads.quote("MSFT", 401, 401.1)), 0);
    fake.emit(payloads.quote("AAPL", 211, 211.1));
    const [quoteA] = await take(itA, 1);
    assert.equal(quoteA.type === "quote" && quoteA.quote.last, 210, "merged state is kept");
    assert.equal(symbolOf((await take(itC, 1))[0]), "AAPL");
    assert.equal((await itB.next()).done, true);

    // Closing a stream whose symbols another still wants sends nothing new.
    const before = subscriptions(fake).length;
    a.close();
    fake.emit(payloads.quote("AAPL", 212, 212.1));
    assert.equal(symbolOf((await take(itC, 1))[0]), "AAPL");
    assert.equal(subscriptions(fake).length, before);

    // The last one closes the socket; the next stream opens a fresh session.
    c.close();
    await fake.waitForStreamClients(0);
    assert.equal(fake.sessionsCreated(), 1);
    assert.equal(fake.streamConnectionsOpened(), 1);
    const d = market.stream(["MSFT"]);
    await fake.waitForStreamClients(1);
    assert.equal(fake.sessionsCreated(), 2);
    d.close();
    await fake.waitForStreamClients(0);
  });
});

Deno.test("stream (ws): two streams opened together subscribe once", async () => {
  await withFake(async (market, fake) => {
    const a = market.stream(["AAPL"]);
    const b = market.stream(["MSFT"]);
    await fake.waitForStreamClients(1);
    assert.deepEqual(subscriptions(fake), ["AAPL,MSFT"]);
    assert.equal(fake.sessionsCreated(), 1);
    assert.equal(fake.streamConnectionsOpened(), 1);
    fake.emit(fake.payloads.quote("MSFT", 400, 400.1));
    fake.emit(fake.payloads.quote("AAPL", 210, 210.1));
    assert.equal(symbolOf((await take(a[Symbol.asyncIterator](), 1))[0]), "AAPL");
    assert.equal(symbolOf((await take(b[Symbol.asyncIterator](), 1))[0]), "MSFT");
    a.close();
    b.close();
    await fake.waitForStreamClients(0);
  });
});

Deno.test("stream (http): concurrent streams share one connection; a change reconnects", async () => {
  await withFake(async (market, fake) => {
    const a = market.stream(["AAPL"]);
    const b = market.stream(["MSFT"]);
    const c = market.stream(["SPY"]);
    const itA = a[Symbol.asyncIterator]();
    const itC = c[Symbol.asyncIterator]();
    await fake.waitForStreamClients(1);
    assert.deepEqual(subscriptions(fake), ["AAPL,MSFT,SPY"]);
    assert.equal(fake.sessionsCreated(), 1);
    assert.equal(fake.streamConnectionsOpened(), 1);
    fake.emit(fake.payloads.quote("SPY", 550, 550.1));
    fake.emit(fake.payloads.quote("AAPL", 210, 210.1));
    assert.equal(symbolOf((await take(itA, 1))[0]), "AAPL");
    assert.equal(symbolOf((await take(itC, 1))[0]), "SPY");

    // An HTTP stream's symbols can't change in place: a new session replaces it (only one).
    b.close();
    await until(() => subscriptions(fake).at(-1) === "AAPL,SPY", "the new subscription");
    await fake.waitForStreamClients(1);
    assert.equal(fake.sessionsCreated(), 2);
    fake.emit(fake.payloads.quote("AAPL", 211, 211.1));
    assert.equal(symbolOf((await take(itA, 1))[0]), "AAPL");
    a.close();
    c.close();
    await fake.waitForStreamClients(0);
  }, { streamTransport: "http" });
});

Deno.test("stream: an invalid symbol ends only the stream that asked for it", async () => {
  await withFake(async (market, fake) => {
    const good = market.stream(["AAPL"])[Symbol.asyncIterator]();
    const bad = market.stream(["NOPE"])[Symbol.asyncIterator]();
    await assert.rejects(bad.next(), (e: unknown) => e instanceof UnknownSymbolError);
    await fake.waitForStreamClients(1);
    assert.equal(subscriptions(fake).at(-1), "AAPL");
    fake.emit(fake.payloads.quote("AAPL", 210, 210.1));
    assert.equal(symbolOf((await take(good, 1))[0]), "AAPL");
    assert.equal(fake.sessionsCreated(), 1);
  });
});

Deno.test("stream: a drop of the shared socket reconnects every stream once", async () => {
  await withFake(async (market, fake) => {
    const itA = market.stream(["AAPL"])[Symbol.asyncIterator]();
    const itB = market.stream(["MSFT"])[Symbol.asyncIterator]();
    await fake.waitForStreamClients(1);
    fake.dropStreams();
    await fake.waitForStreamClients(0);
    await fake.waitForStreamClients(1);
    assert.equal(fake.sessionsCreated(), 2);
    assert.equal(fake.streamConnectionsOpened(), 2);
    assert.equal(subscriptions(fake).at(-1), "AAPL,MSFT");
    fake.emit(fake.payloads.quote("MSFT", 400, 400.1));
    fake.emit(fake.payloads.quote("AAPL", 210, 210.1));
    assert.equal(symbolOf((await take(itA, 1))[0]), "AAPL");
    assert.equal(symbolOf((await take(itB, 1))[0]), "MSFT");
  });
});

Deno.test("stream (ws): a resubscription refused for an expired session renews it", async () => {
  await withFake(async (market, fake) => {
    const itA = market.stream(["AAPL"])[Symbol.asyncIterator]();
    await fake.waitForStreamClients(1);
    fake.expireSessions();
    const itB = market.stream(["MSFT"])[Symbol.asyncIterator]();
    // Refused on the old socket, then a new session and socket subscribe to both.
    await until(() => fake.sessionsCreated() === 2, "a second session");
    await until(() => subscriptions(fake).length === 3, "the renewed subscription");
    await fake.waitForStreamClients(1);
    const ws = fake.requests.filter((r) => r.method === "WS");
    assert.deepEqual(ws.map((r) => [r.params.symbols, r.authorized]), [
      ["AAPL", true],
      ["AAPL,MSFT", false],
      ["AAPL,MSFT", true],
    ]);
    assert.equal(fake.streamConnectionsOpened(), 2);
    fake.emit(fake.payloads.quote("MSFT", 400, 400.1));
    fake.emit(fake.payloads.quote("AAPL", 210, 210.1));
    assert.equal(symbolOf((await take(itA, 1))[0]), "AAPL");
    assert.equal(symbolOf((await take(itB, 1))[0]), "MSFT");
  });
});
