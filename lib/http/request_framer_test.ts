import { equal } from "node:assert/strict";
import { RequestFramer } from "./request_framer.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("framer: knows when the client is inside a header block, across requests", () => {
  const f = new RequestFramer(1024);
  equal(f.inHeaders, false);
  f.feed(bytes("GET / HT"));
  equal(f.inHeaders, true);
  f.feed(bytes("TP/1.1\r\nHost: a\r\n\r\n"));
  equal(f.inHeaders, false, "headers done, no body");
  f.feed(bytes("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"));
  equal(f.inHeaders, false, "inside the body");
  f.feed(bytes("cde"));
  equal(f.inHeaders, false, "body done");
  f.feed(bytes("GET /next HTTP/1.1\r\nHo"));
  equal(f.inHeaders, true, "the next request's headers started");
  f.feed(bytes("st: a\r\n\r\nGET /pipelined HTTP/1.1\r\n\r\n"));
  equal(f.inHeaders, false, "two requests in one chunk");
});

Deno.test("framer: an upgrade or a chunked body ends the framing; a huge header block fails", () => {
  const ws = new RequestFramer(1024);
  ws.feed(bytes("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"));
  ws.feed(bytes("\x81\x85 binary frames, never headers"));
  equal(ws.inHeaders, false);
  const chunked = new RequestFramer(1024);
  chunked.feed(bytes("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"));
  equal(chunked.inHeaders, false);
  const big = new RequestFramer(64);
  equal(big.feed(bytes(`GET / HTTP/1.1\r\nX: ${"a".repeat(100)}`)), false);
});

Deno.test("framer: keeps its own copy of a partial header block when the caller reuses its buffer", () => {
  const f = new RequestFramer(1024);
  const buf = new Uint8Array(64);
  const readInto = (s: string) => {
    const b = bytes(s);
    buf.set(b);
    return buf.subarray(0, b.length);
  };
  // The first read ends in the middle of "Content-Length: 3"; the buffer is then overwritten.
  f.feed(readInto("POST /a HTTP/1.1\r\nContent-Len"));
  equal(f.inHeaders, true);
  f.feed(readInto("gth: 3\r\n\r\nabc"));
  equal(f.inHeaders, false, "the length was read from the kept bytes, and the body skipped");
  f.feed(readInto("G"));
  equal(f.inHeaders, true, "the next request started right after the 3-byte body");
});

Deno.test("framer: finds a header end split across reads at every position", () => {
  const request = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  for (let cut = 1; cut < request.length; cut++) {
    const f = new RequestFramer(1024);
    f.feed(bytes(request.slice(0, cut)));
    equal(f.inHeaders, true, `cut at ${cut}`);
    f.feed(bytes(request.slice(cut)));
    equal(f.inHeaders, false, `cut at ${cut}`);
  }
});

Deno.test("framer: reports where each request line ends, however the stream is cut", () => {
  const requests = [
    "GET /a HTTP/1.1\r\nHost: a\r\n\r\n",
    // A body with line feeds in it: not request lines.
    "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nx\ny\nz\n\r\n",
    "\r\nGET /c HTTP/1.1\r\nHost: a\r\n\r\n",
  ];
  const stream = requests.join("");
  const expected = requests.map((r) =>
    r.replace(/^(\r\n)?(\S+ \S+ HTTP\/1\.1\r\n)/, "$1$2X: 1\r\n")
  )
    .join("");
  for (let cut = 0; cut <= stream.length; cut++) {
    for (const step of [1, 7, stream.length]) {
      // The stream fed as a first piece of `cut` bytes, then pieces of `step` bytes.
      const pieces = [stream.slice(0, cut)];
      for (let i = cut; i < stream.length; i += step) pieces.push(stream.slice(i, i + step));
      const f = new RequestFramer(1024);
      let out = "";
      for (const piece of pieces) {
        equal(f.feed(bytes(piece)), true);
        let from = 0;
        for (const at of f.lineEnds) {
          out += piece.slice(from, at) + "X: 1\r\n";
          from = at;
        }
        out += piece.slice(from);
      }
      equal(out, expected, `cut at ${cut}, then steps of ${step}`);
    }
  }
});

Deno.test("framer: header names in any case, values with or without spaces", () => {
  const f = new RequestFramer(1024);
  f.feed(bytes("POST /a HTTP/1.1\r\nCONTENT-LENGTH:3\r\n\r\nabc"));
  equal(f.inHeaders, false);
  f.feed(bytes("G"));
  equal(f.inHeaders, true, "the 3-byte body was skipped, whatever the name's case");
  f.feed(bytes("ET /b HTTP/1.1\r\ncontent-length: \t 2 \r\n\r\nxy"));
  f.feed(bytes("P"));
  equal(f.inHeaders, true, "the 2-byte body was skipped; spaces and tabs around the value");
  f.feed(bytes("OST /c HTTP/1.1\r\nX-Content-Length: 5\r\nContent-Type: a\r\n\r\n"));
  equal(f.inHeaders, false, "names that only contain or resemble content-length: no body");
  f.feed(bytes("GET /d HTTP/1.1\r\nUPGRADE: websocket\r\n\r\nGET "));
  equal(f.inHeaders, false, "an upgrade in capitals ends the framing");
  const bad = new RequestFramer(1024);
  bad.feed(bytes("POST / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\nGET / HT"));
  equal(bad.inHeaders, false, "a length that is not digits makes the rest opaque");
});
