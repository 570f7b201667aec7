/**
 * The header-deadline front's framer (lib/http/request_framer.ts) on one browser-sized request
 * head, as the front feeds it for every relayed request.
 *
 *     deno bench -A bench/request_framer_bench.ts
 *
 * 2026-12-05, on the 2-core development VM while CI ran beside it: p75 6.9 µs per head when the
 * framer decoded the head to text and split it into lines, 2.5 µs since it reads the three
 * headers it needs from the bytes.
 */
import { RequestFramer } from "../lib/http/request_framer.ts";

const head = new TextEncoder().encode(
  "GET /api/market/quote/AAPL HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n" +
    `Authorization: Bearer ${"a".repeat(180)}\r\nAccept: */*\r\n` +
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120\r\n" +
    "Accept-Encoding: gzip, deflate, br\r\nCookie: a=b; c=d\r\nConnection: keep-alive\r\n\r\n",
);
const framer = new RequestFramer(64 * 1024);

Deno.bench("framer: one request head", () => {
  framer.feed(head);
});
