/**
 * Live streams over real HTTP on 127.0.0.1: SSE and WebSocket through the whole app, fanned out
 * by the StreamHub over the real replay (counted) and over the fake Tradier's WebSocket.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { SseClient } from "./_sse.ts";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { startFakeTradier } from "./fakes/tradier.ts";
import { CountingMarketData, openLiveReplayForTest } from "../lib/market/testing.ts";
import { createTradierMarketData } from "../lib/market/tradier/mod.ts";

/** The signed-in user's bearer header of the test running now (tests in a file run in turn). */
let AUTH: Record<string, string> = {};

interface Served {
  t: TestApp;
  base: string;
  counting: CountingMarketData;
}

async function serve(fn: (s: Served) => Promise<void>): Promise<void> {
  const counting = new CountingMarketData(await openLiveReplayForTest());
  const t = await openTestApp({ LOG_LEVEL: "warn" }, {
    market: () => counting,
    streams: { heartbeatMs: 100 },
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, t.app.fetch);
  try {
    AUTH = (await signUp(t.app)).bearer;
    await fn({ t, base: `http://127.0.0.1:${server.addr.port}`, counting });
  } finally {
    await t.services.streams.close();
    await server.shutdown();
    await t.close();
  }
}

/** Opens an SSE connection as the test's user. */
function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return SseClient.open(url, { ...AUTH, ...headers });
}

async function waitFor(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const seqOf = (id: string | undefined) => Number(id!.split("-")[1]);

Deno.test("SSE /api/stream/quotes: ready, quote events with ids, heartbeats, uncompressed", async () => {
  await serve(async ({ base }) => {
    const c = await openSse(`${base}/api/stream/quotes?symbols=AAPL,spx`, {
      "Accept-Encoding": "gzip, deflate",
    });
    equal(c.res.status, 200);
    match(c.res.headers.get("Content-Type") ?? "", /^text\/event-stream/);
    equal(c.res.headers.get("Content-Encoding"), null, "events are not buffered by compression");
    await c.until(() =>
      c.quotes().some((e) => JSON.parse(e.data).symbol === "AAPL") &&
      c.quotes().some((e) => JSON.parse(e.data).symbol === "SPX") &&
      c.raw.includes(": heartbeat")
    );
    const ready = c.events[0];
    equal(ready.event, "ready");
    deepEqual(JSON.parse(ready.data).symbols, ["AAPL", "SPX"]);
    equal(JSON.parse(ready.data).source, "replay");
    for (const e of c.quotes()) {
      const q = JSON.parse(e.data);
      equal(q.source, "replay");
      ok(q.last > 0);
      ok(!Number.isNaN(Date.parse(q.timestamp)));
      match(e.id ?? "", /^[0-9a-z]+-\d+$/);
    }
    const ids = c.quotes().map((e) => seqOf(e.id));
    deepEqual(ids, [...ids].sort((a, b) => a - b));
    c.close();
  });
});

Deno.test("SSE: bad symbols 400, unknown 404, anonymous 401 — before any stream opens", async () => {
  await serve(async ({ base, counting }) => {
    const bad = await fetch(`${base}/api/stream/quotes?symbols=AAPL,NOT_A_SYMBOL`, {
      headers: AUTH,
    });
    equal(bad.status, 400);
    equal((await bad.json()).error.code, "invalid_symbol");
    const none = await fetch(`${base}/api/stream/quotes`, { headers: AUTH });
    equal(none.status, 400);
    await none.body?.cancel();
    const unknown = await fetch(`${base}/api/stream/quotes?symbols=ZZZZ`, { headers: AUTH });
    equal(unknown.status, 404);
    await unknown.body?.cancel();
    const anonymous = await fetch(`${base}/api/stream/quotes?symbols=AAPL`);
    equal(anonymous.status, 401);
    await anonymous.body?.cancel();
    equal(counting.calls.stream, 0);
  });
});

Deno.test("SSE fan-out: 40 clients, one upstream subscription; the last one leaving ends it", async () => {
  await serve(async ({ base, counting, t }) => {
    // Opened one after another: this is about fan-out, not about the rate limiter's contention.
    const clients: SseClient[] = [];
    for (let i = 0; i < 40; i++) {
      clients.push(await openSse(`${base}/api/stream/quotes?symbols=MSFT`));
    }
    await Promise.all(clients.map((c) => c.until(() => c.quotes().length >= 3)));
    equal(counting.calls.stream, 1);
    deepEqual(counting.streamed, [["MSFT"]]);
    equal(counting.openStreams, 1);
    deepEqual(t.services.streams.stats(), { MSFT: 40 });
    for (const c of clients.slice(1)) c.close();
    await waitFor(() => t.services.streams.stats().MSFT === 1);
    equal(counting.openStreams, 1);
    clients[0].close();
    await waitFor(() => counting.openStreams === 0);
    deepEqual(t.services.streams.stats(), {});
  });
});

Deno.test("SSE: a HEAD answers the stream's headers and subscribes to nothing", async () => {
  await serve(async ({ base, counting, t }) => {
    const res = await fetch(`${base}/api/stream/quotes?symbols=AAPL`, {
      method: "HEAD",
      headers: AUTH,
    });
    equal(res.status, 200);
    equal(res.headers.get("content-type"), "text/event-stream");
    await res.body?.cancel();
    // Nothing was subscribed for it, so nothing is left behind once it is answered.
    deepEqual(t.services.streams.stats(), {});
    equal(counting.calls.stream ?? 0, 0);
  });
});

Deno.test("SSE resume: Last-Event-ID replays what was missed while away", async () => {
  await serve(async ({ base }) => {
    const url = `${base}/api/stream/quotes?symbols=KO`;
    const keeper = await openSse(url);
    const first = await openSse(url);
    await first.until(() => first.quotes().length >= 2);
    const lastId = first.quotes().at(-1)!.id!;
    first.close();
    await keeper.until(() =>
      keeper.quotes().filter((e) => seqOf(e.id) > seqOf(lastId)).length >= 5
    );
    const missed = keeper.quotes().filter((e) => seqOf(e.id) > seqOf(lastId)).map((e) => e.id);

    const resumed = await openSse(url, { "Last-Event-ID": lastId });
    await resumed.until(() => resumed.quotes().length >= missed.length);
    const got = resumed.quotes().map((e) => e.id);
    ok(got.every((id) => seqOf(id) > seqOf(lastId)), "nothing already seen is sent again");
    deepEqual(got.slice(0, missed.length), missed, "the missed updates, in order");
    keeper.close();
    resumed.close();
  });
});

Deno.test("WebSocket /api/stream/ws: subscribe, quotes, JSON errors, unsubscribe ends upstream", async () => {
  await serve(async ({ base, counting }) => {
    const ws = new WebSocket(`${base.replace("http", "ws")}/api/stream/ws`, {
      headers: AUTH,
    } as unknown as string[]);
    const messages: Record<string, unknown>[] = [];
    ws.onmessage = (e) => messages.push(JSON.parse(e.data));
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const of = (type: string) => messages.filter((m) => m.type === type);

    ws.send(JSON.stringify({ action: "subscribe", symbols: ["aapl", "^GSPC"] }));
    await waitFor(() => of("quote").length >= 4 && of("heartbeat").length >= 1);
    deepEqual(of("subscribed")[0].symbols, ["AAPL", "SPX"]);
    for (const m of of("quote")) {
      match(String(m.id), /^[0-9a-z]+-\d+$/);
      equal((m.data as { source: string }).source, "replay");
    }
    equal(counting.openStreams, 2);

    ws.send("not json");
    ws.send(JSON.stringify({ action: "subscribe", symbols: ["BAD SYMBOL"] }));
    ws.send(JSON.stringify({ action: "dance", symbols: ["AAPL"] }));
    ws.send(JSON.stringify({ action: "subscribe", symbols: ["ZZZZ"] }));
    await waitFor(() => of("error").length >= 4);
    const codes = of("error").map((m) => (m.error as { code: string }).code);
    deepEqual(codes.slice(0, 3), ["invalid_json", "invalid_symbol", "validation_failed"]);
    equal(codes[3], "not_found");

    ws.send(JSON.stringify({ action: "unsubscribe", symbols: ["SPX"] }));
    await waitFor(() => counting.openStreams === 1);
    deepEqual(of("subscribed").at(-1)!.symbols, ["AAPL"]);
    ws.close();
    await waitFor(() => counting.openStreams === 0);
    equal(counting.calls.stream, 2);
  });
});

Deno.test("WebSocket limits: per-symbol validation, symbol cap, message rate, abuse closes", async () => {
  await serve(async ({ base, counting }) => {
    const ws = new WebSocket(`${base.replace("http", "ws")}/api/stream/ws`, {
      headers: AUTH,
    } as unknown as string[]);
    const messages: Record<string, unknown>[] = [];
    ws.onmessage = (e) => messages.push(JSON.parse(e.data));
    const closed = new Promise<CloseEvent>((resolve) => ws.onclose = resolve);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const of = (type: string) => messages.filter((m) => m.type === type);
    const codes = () => of("error").map((m) => (m.error as { code: string }).code);
    const say = (action: string, symbols: string[]) => ws.send(JSON.stringify({ action, symbols }));

    // Five different mixes of three symbols: validated symbol by symbol, so at most three
    // upstream reads (one set-shaped cache key per mix would make five).
    const before = counting.calls.quotes;
    for (const set of [["AAPL", "MSFT", "JPM"], ["AAPL", "MSFT"], ["MSFT", "JPM"], ["JPM"]]) {
      say("subscribe", set);
    }
    say("subscribe", ["AAPL", "JPM"]);
    await waitFor(() => of("subscribed").length === 5);
    ok(counting.calls.quotes - before <= 3, `upstream quotes: ${counting.calls.quotes - before}`);
    deepEqual([...of("subscribed").at(-1)!.symbols as string[]].sort(), ["AAPL", "JPM", "MSFT"]);

    // 3 followed + 48 more passes the cap of 50, whatever the 48 are.
    const many = Array.from(
      { length: 48 },
      (_, i) =>
        `Q${String.fromCharCode(65 + (i % 26))}X${String.fromCharCode(65 + Math.floor(i / 26))}`,
    );
    say("subscribe", many);
    await waitFor(() => of("error").length === 1);
    deepEqual(codes(), ["too_many_symbols"]);
    equal(counting.calls.quotes - before <= 3, true, "over the cap nothing is looked up");

    // The burst is spent (6 of 10 so far): a flood gets rate_limited, then the socket is closed.
    // One message at a time, each after the previous answer: a Deno client that is still sending
    // when the server closes sees an abnormal close instead of the server's code.
    let isClosed = false;
    closed.then(() => isClosed = true);
    for (let i = 0; i < 60 && !isClosed; i++) {
      const seen = messages.length;
      say("unsubscribe", ["JPM"]);
      await waitFor(() => messages.length > seen || isClosed);
    }
    const close = await closed;
    equal(close.code, 1008);
    ok(codes().includes("rate_limited"), codes().join());
    ok(of("subscribed").length <= 5 + 10, "no more than the burst was served");
  });
});

Deno.test("with Tradier (the fake): ten SSE clients share one Tradier stream", async () => {
  const fake = await startFakeTradier();
  const t = await openTestApp({ LOG_LEVEL: "warn" }, {
    market: () =>
      createTradierMarketData({ token: fake.token, baseUrl: fake.url, wsUrl: fake.wsUrl }),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, t.app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const clients: SseClient[] = [];
  try {
    AUTH = (await signUp(t.app)).bearer;
    for (let i = 0; i < 10; i++) {
      clients.push(await openSse(`${base}/api/stream/quotes?symbols=AAPL`));
    }
    await fake.waitForStreamClients(1);
    deepEqual(t.services.streams.stats(), { AAPL: 10 });
    // Every client starts with the snapshot quote; then one live update reaches all of them.
    await Promise.all(clients.map((c) => c.until(() => c.quotes().length >= 1)));
    equal(fake.emit(fake.payloads.quote("AAPL", 211.11, 211.15)), 1);
    await Promise.all(
      clients.map((c) => c.until(() => c.quotes().some((e) => JSON.parse(e.data).bid === 211.11))),
    );
    for (const c of clients) {
      const live = c.quotes().map((e) => JSON.parse(e.data)).find((q) => q.bid === 211.11);
      equal(live.source, "tradier");
      equal(live.ask, 211.15);
    }
    equal(fake.streamClients(), 1);
    for (const c of clients) c.close();
    await fake.waitForStreamClients(0);
  } finally {
    for (const c of clients) c.close();
    await t.services.streams.close();
    await server.shutdown();
    await t.close();
    await fake.close();
  }
});

Deno.test("WebSocket upgrade: another site's Origin gets 403; our own and allow-listed ones connect", async () => {
  const counting = new CountingMarketData(await openLiveReplayForTest());
  const t = await openTestApp({ LOG_LEVEL: "warn", CORS_ORIGINS: "https://trusted.example" }, {
    market: () => counting,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, t.app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const auth = (await signUp(t.app)).bearer;
    /** The status line of a raw upgrade request with `origin`. */
    const upgrade = async (origin: string | undefined) => {
      const headers: Record<string, string> = {
        ...auth,
        Upgrade: "websocket",
        Connection: "Upgrade",
        "Sec-WebSocket-Key": btoa("0123456789abcdef"),
        "Sec-WebSocket-Version": "13",
      };
      if (origin) headers.Origin = origin;
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
      try {
        const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
        await conn.write(
          new TextEncoder().encode(
            `GET /api/stream/ws HTTP/1.1\r\nHost: 127.0.0.1:${server.addr.port}\r\n${head}\r\n`,
          ),
        );
        const buf = new Uint8Array(4096);
        let text = "";
        while (!text.includes("\r\n\r\n")) {
          const n = await conn.read(buf);
          if (n === null) break;
          text += new TextDecoder().decode(buf.subarray(0, n));
        }
        return { status: Number(text.split(" ")[1]), text };
      } finally {
        conn.close();
      }
    };
    const evil = await upgrade("https://evil.example");
    equal(evil.status, 403, evil.text);
    match(evil.text, /origin_refused/);
    equal((await upgrade("null")).status, 403);
    equal((await upgrade(base)).status, 101);
    equal((await upgrade("https://trusted.example")).status, 101);
    equal((await upgrade(undefined)).status, 101, "a client that is not a browser");
    // And a real client from our own origin still streams.
    const ws = new WebSocket(`${base.replace("http", "ws")}/api/stream/ws`, {
      headers: { ...auth, Origin: base },
    } as unknown as string[]);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const closed = new Promise((r) => ws.onclose = r);
    ws.close();
    await closed;
  } finally {
    await t.services.streams.close();
    await server.shutdown();
    await t.close();
  }
});
