import assert from "node:assert/strict";
import { parseQuoteEvent, type StreamStatus, subscribeQuotes } from "./quote_stream.ts";
import type { Quote } from "../market/types.ts";

const QUOTE: Quote = {
  symbol: "AAPL",
  description: "Apple Inc.",
  last: 75.09,
  bid: 75.08,
  ask: 75.1,
  bidSize: 3,
  askSize: 5,
  change: 1.68,
  changePercent: 2.28,
  volume: 135_480_400,
  open: 74.06,
  high: 75.15,
  low: 73.8,
  prevClose: 73.41,
  timestamp: "2020-01-02T20:59:00.000Z",
  source: "replay",
};

Deno.test("parseQuoteEvent takes a quote or a quote stream event and rejects the rest", () => {
  assert.deepEqual(parseQuoteEvent(JSON.stringify(QUOTE)), QUOTE);
  assert.deepEqual(parseQuoteEvent(JSON.stringify({ type: "quote", quote: QUOTE })), QUOTE);
  assert.equal(parseQuoteEvent("not json"), null);
  assert.equal(parseQuoteEvent("{}"), null);
  assert.equal(parseQuoteEvent(JSON.stringify({ ...QUOTE, source: "made-up" })), null);
  assert.equal(parseQuoteEvent(JSON.stringify({ type: "trade", symbol: "AAPL" })), null);
  assert.equal(parseQuoteEvent("null"), null);
});

Deno.test("subscribeQuotes reopens a stream the server refused and delivers its quotes", async () => {
  const requests: string[] = [];
  const got: Quote[] = [];
  const statuses: StreamStatus[] = [];
  const received = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    requests.push(new URL(req.url).search);
    // First answer is not a stream: EventSource gives up, and the client must come back.
    if (requests.length === 1) return new Response("restarting", { status: 503 });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const enc = new TextEncoder();
        controller.enqueue(enc.encode(`: heartbeat\n\n`));
        controller.enqueue(enc.encode(`event: quote\ndata: ${JSON.stringify(QUOTE)}\n\n`));
        controller.enqueue(
          enc.encode(
            `data: ${JSON.stringify({ type: "quote", quote: { ...QUOTE, last: 76 } })}\n\n`,
          ),
        );
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  const close = subscribeQuotes({
    symbols: ["aapl", "AAPL", "spx"],
    url: `http://127.0.0.1:${server.addr.port}/api/stream/quotes`,
    minDelayMs: 20,
    onQuote(q) {
      got.push(q);
      if (got.length === 2) received.resolve();
    },
    onStatus: (s) => statuses.push(s),
  });
  try {
    await received.promise;
  } finally {
    close();
    await server.shutdown();
  }
  assert.deepEqual(got.map((q) => q.last), [75.09, 76]);
  assert.equal(requests.length, 2);
  assert.equal(requests[0], "?symbols=AAPL%2CSPX");
  assert.ok(statuses.includes("reconnecting"));
  assert.equal(statuses.at(-1), "open");
});
