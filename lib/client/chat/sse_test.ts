import assert from "node:assert/strict";
import { readSse, takeEvents } from "./sse.ts";

Deno.test("takeEvents: complete blocks out, the unfinished rest kept", () => {
  const { events, rest } = takeEvents(
    'event: text\ndata: {"delta":"a"}\n\nevent: done\ndata: {"x"',
  );
  assert.deepEqual(events, [{ event: "text", data: { delta: "a" } }]);
  assert.equal(rest, 'event: done\ndata: {"x"');
});

Deno.test("readSse: events split across chunks and inside a multi-byte character", async () => {
  const bytes = new TextEncoder().encode(
    'event: text\ndata: {"delta":"€1"}\n\nevent: done\ndata: {}\n\n',
  );
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      // Split inside the euro sign's three bytes.
      c.enqueue(bytes.slice(0, 27));
      c.enqueue(bytes.slice(27));
      c.close();
    },
  });
  const seen: unknown[] = [];
  await readSse(body, (m) => seen.push(m));
  assert.deepEqual(seen, [{ event: "text", data: { delta: "€1" } }, { event: "done", data: {} }]);
});
