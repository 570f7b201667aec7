/**
 * A request the header-deadline front (header_deadline.ts) answers itself, on the client's own
 * connection, instead of relaying it through the inner server: used for long-lived event
 * streams, where the relay costs more than everything else. Through the inner server each
 * streamed frame is written by the server, read by the front and written again (three socket
 * operations and a loopback hop per frame and client); answered here it is one write.
 *
 * The connection carries this one request: the answer says `Connection: close` and the front
 * closes it when the body ends or the client goes away. An event stream is sent with chunked
 * transfer coding, as the inner server would; any other answer (an error before the stream
 * starts) is read whole and sent with its length.
 */

import { type PushSink, type PushSource, pushSourceOf } from "./push_body.ts";
import { concatBytes } from "../shared/bytes.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CRLF = encoder.encode("\r\n");
const LAST_CHUNK = encoder.encode("0\r\n\r\n");
/** Header names the front sets itself, or that make no sense on a closing connection. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length"]);

export interface RequestHead {
  method: string;
  /** The request target as sent (`/path?query`). */
  target: string;
  headers: Headers;
}

/**
 * The request line and headers of `head` (a complete header block and nothing after it), or null
 * when it is not a plain HTTP/1.1 request without a body: those go through the inner server,
 * which judges them.
 */
export function parseRequestHead(head: Uint8Array): RequestHead | null {
  const text = decoder.decode(head);
  if (!text.endsWith("\r\n\r\n")) return null;
  const lines = text.slice(0, -4).split("\r\n");
  const request = /^([A-Z]+) (\/[^ ]*) HTTP\/1\.1$/.exec(lines[0]);
  if (!request) return null;
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    try {
      headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
    } catch {
      return null; // a name or value Headers refuses
    }
  }
  // A body, or a connection that wants to become something else, is the inner server's to read.
  if (headers.has("content-length") || headers.has("transfer-encoding")) return null;
  if (headers.has("upgrade") || !headers.has("host")) return null;
  return { method: request[1], target: request[2], headers };
}

/**
 * `bytes` as one chunk of chunked transfer coding. A stream hands every client the same frame
 * (lib/market/sse_stream.ts encodes it once), so its coding is kept with it: made once per frame,
 * not once per client.
 */
const codedChunks = new WeakMap<Uint8Array, Uint8Array>();
function chunked(bytes: Uint8Array): Uint8Array {
  let out = codedChunks.get(bytes);
  if (out === undefined) {
    const size = encoder.encode(`${bytes.length.toString(16)}\r\n`);
    out = new Uint8Array(size.length + bytes.length + 2);
    out.set(size);
    out.set(bytes, size.length);
    out.set(CRLF, size.length + bytes.length);
    codedChunks.set(bytes, out);
  }
  return out;
}

/**
 * Feeds `source` to `conn` until the body ends (true) or the client goes away or a write fails
 * (false). One write in flight at a time: what is sent meanwhile goes out together after it.
 */
function pushTo(conn: Deno.Conn, source: PushSource, gone: AbortSignal): Promise<boolean> {
  const done = Promise.withResolvers<boolean>();
  let writing = false;
  let ended = false;
  let waiting: Uint8Array[] = [];
  let onIdle = () => {};
  const write = (bytes: Uint8Array) => {
    writing = true;
    writeAll(conn, chunked(bytes)).then(() => {
      if (waiting.length > 0) {
        const next = waiting.length === 1 ? waiting[0] : concatBytes(waiting);
        waiting = [];
        return write(next);
      }
      writing = false;
      if (ended) done.resolve(true);
      else onIdle();
      // A failed write, or a producer that threw while sending what it held: the answer ends.
    }).catch(() => done.resolve(false));
  };
  const sink: PushSink = {
    get idle() {
      return !writing && !ended;
    },
    send(bytes) {
      // An empty chunk would read as the last one and end the body.
      if (ended || gone.aborted || bytes.length === 0) return;
      if (writing) waiting.push(bytes);
      else write(bytes);
    },
    end() {
      ended = true;
      if (!writing) done.resolve(true);
    },
  };
  if (gone.aborted) return Promise.resolve(false);
  gone.addEventListener("abort", () => done.resolve(false), { once: true });
  onIdle = source.push(sink);
  return done.promise;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
}

function statusHead(res: Response, extra: string): Uint8Array {
  // The reason phrase may be empty (RFC 9112 §4); clients read the code.
  const reason = res.statusText || (res.status === 200 ? "OK" : "");
  let head = `HTTP/1.1 ${res.status} ${reason}\r\n`;
  for (const [name, value] of res.headers) {
    if (name === "set-cookie" || HOP_BY_HOP.has(name)) continue;
    head += `${name}: ${value}\r\n`;
  }
  for (const cookie of res.headers.getSetCookie()) head += `set-cookie: ${cookie}\r\n`;
  return encoder.encode(`${head}${extra}connection: close\r\n\r\n`);
}

/**
 * Answers `req` on `conn` with `handler` and returns when the answer has ended or the client has
 * gone (then the handler's request is aborted and its body cancelled, so a stream lets go of
 * what it holds). The caller closes `conn`.
 */
export async function serveDirect(
  conn: Deno.Conn,
  req: RequestHead,
  handler: Deno.ServeHandler<Deno.NetAddr>,
): Promise<void> {
  const abort = new AbortController();
  const completed = Promise.withResolvers<void>();
  // The client sends nothing more on this connection; a read ending means it went away.
  const gone = (async () => {
    const buf = new Uint8Array(1024);
    try {
      while ((await conn.read(buf)) !== null) {
        // Bytes after the request (a pipelined second one) are not served: the answer closes.
      }
    } catch {
      // reset by the peer, or closed by us
    }
    abort.abort();
  })();
  const request = new Request(`http://${req.headers.get("host")}${req.target}`, {
    method: req.method,
    headers: req.headers,
    signal: abort.signal,
  });
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let res: Response | undefined;
  abort.signal.addEventListener("abort", () => void reader?.cancel().catch(() => {}));
  try {
    res = await handler(request, {
      remoteAddr: conn.remoteAddr as Deno.NetAddr,
      completed: completed.promise,
    });
    const streaming = res.body !== null &&
      (res.headers.get("content-type") ?? "").startsWith("text/event-stream") &&
      req.method !== "HEAD";
    if (!streaming) {
      const body = req.method === "HEAD" || !res.body
        ? new Uint8Array(0)
        : new Uint8Array(await res.arrayBuffer());
      if (req.method === "HEAD") await res.body?.cancel();
      await writeAll(conn, statusHead(res, `content-length: ${body.length}\r\n`));
      if (body.length) await writeAll(conn, body);
      return;
    }
    const source = pushSourceOf(res.body);
    if (source) {
      if (abort.signal.aborted) return;
      await writeAll(conn, statusHead(res, "transfer-encoding: chunked\r\n"));
      if (await pushTo(conn, source, abort.signal)) await writeAll(conn, LAST_CHUNK);
      return;
    }
    reader = res.body!.getReader();
    if (abort.signal.aborted) return void await reader.cancel().catch(() => {});
    await writeAll(conn, statusHead(res, "transfer-encoding: chunked\r\n"));
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!value.length) continue;
      await writeAll(conn, chunked(value));
    }
    await writeAll(conn, LAST_CHUNK);
  } catch {
    // The client went away mid-answer, or the handler failed after its head was sent: either
    // way the connection closes, which is all that is left to say.
  } finally {
    abort.abort();
    await reader?.cancel().catch(() => {});
    // A pushed body was never read: cancelling it is what stops its producer.
    const body = res?.body ?? null;
    if (!reader && body && !body.locked) await body.cancel().catch(() => {});
    completed.resolve();
    try {
      conn.close();
    } catch {
      // already closed
    }
    await gone;
  }
}
