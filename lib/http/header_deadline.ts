/**
 * A TCP front for `Deno.serve` that closes connections which do not finish their request
 * headers in time (slowloris: many sockets each dribbling a partial request line, never
 * completing, until the server runs out of sockets).
 *
 * `Deno.serve` offers no header or idle timeout (Deno 2.9: its options are the address, TLS,
 * `signal`, `onListen`, `onError`, `reusePort`, `tcpBacklog`), and an idle socket that never
 * sends a full request is kept open forever. So the public port belongs to this front: it
 * accepts each connection, waits at most `headerTimeoutMs` for the first request's header block
 * (`\r\n\r\n`), answers 408 and closes when it does not come (431 past `maxHeaderBytes`), and
 * otherwise hands the connection, bytes already read first, to the real server listening on a
 * Unix socket of its own, piping both ways from then on (keep-alive, streaming and WebSocket
 * upgrades pass through unchanged). The handler still sees the client's own address: the front
 * tags each request it relays with its connection's token (a header of its own after the
 * request line, which lib/http/request_framer.ts finds), looks the client up by it and hands it
 * over as `info.remoteAddr`.
 *
 * Later requests on a kept-alive connection are timed the same way (their headers must be
 * complete within `headerTimeoutMs` of their first byte; lib/http/request_framer.ts finds where
 * they start), so one complete request cannot buy a slow client an endless second one. Those
 * connections are closed without a 408, which could interleave with a response in flight.
 */
import { dirname, join } from "node:path";
import { headerEnd, RequestFramer } from "./request_framer.ts";
import { parseRequestHead, type RequestHead, serveDirect } from "./direct_response.ts";

export interface HeaderDeadlineOptions {
  /** Public address. */
  hostname: string;
  port: number;
  /** Milliseconds a new connection has to finish its request headers. */
  headerTimeoutMs: number;
  /** Largest header block accepted, in bytes. Default 64 KiB. */
  maxHeaderBytes?: number;
  onListen?: (addr: Deno.NetAddr) => void;
  /**
   * Requests the front answers itself on the client's connection (direct_response.ts) rather
   * than relaying them: long-lived event streams, where the relay costs more than the rest.
   */
  direct?: (req: RequestHead) => boolean;
}

/** What `start` needs of a running server (a subset of Deno.HttpServer). */
export interface FrontedServer {
  addr: Deno.NetAddr;
  finished: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Starts the inner server where the front reaches it: a Unix socket in a directory of its own
 * (mode 0700, so only this user's processes can connect), which costs the relay about a fifth
 * less CPU per request than a loopback TCP connection; loopback TCP where there are no Unix
 * sockets, or where the socket cannot be made (a read-only temporary directory, a path longer
 * than the 108 bytes a socket address holds).
 */
function startInner(
  handler: (req: Request, info: Deno.ServeHandlerInfo<Deno.Addr>) => Response | Promise<Response>,
): { server: Deno.HttpServer<Deno.Addr>; connect: () => Promise<Deno.Conn>; dir?: string } {
  if (Deno.build.os !== "windows") {
    let dir: string | undefined;
    try {
      dir = Deno.makeTempDirSync({ prefix: "paiid-front-" });
      const path = `${dir}/inner.sock`;
      const server = Deno.serve({ transport: "unix", path, onListen() {} }, handler);
      sweepStaleSocketDirs(dirname(dir), dir).catch(() => {});
      return { server, connect: () => Deno.connect({ transport: "unix", path }), dir };
    } catch {
      if (dir !== undefined) Deno.removeSync(dir, { recursive: true });
    }
  }
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const port = server.addr.port;
  return { server, connect: () => Deno.connect({ hostname: "127.0.0.1", port }) };
}

/**
 * Removes the socket directories of fronts that died without shutting down (killed, crashed):
 * their socket refuses connections. A directory without a socket is left for a minute, as a
 * front starting right now may not have bound its socket yet.
 */
export async function sweepStaleSocketDirs(tmp: string, own: string): Promise<void> {
  for await (const entry of Deno.readDir(tmp)) {
    const dir = join(tmp, entry.name);
    if (!entry.isDirectory || !entry.name.startsWith("paiid-front-") || dir === own) continue;
    const path = join(dir, "inner.sock");
    try {
      (await Deno.connect({ transport: "unix", path })).close();
      continue; // a live front
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) {
        const info = await Deno.stat(dir).catch(() => null);
        if (!info?.mtime || Date.now() - info.mtime.getTime() < 60_000) continue;
      } else if (!(err instanceof Deno.errors.ConnectionRefused)) continue;
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * The header that tells the inner server which client a relayed request came from. Its value is
 * a random token the front makes for each client connection and maps to the client's address
 * (`peers`), never the address itself: a client can learn its own token (the app sees request
 * headers) but not another connection's, so a copy it sends itself names at most itself. The
 * front puts the header first after each request line it frames, so on those requests a
 * client's own copy is only a later value, which is not read. Requests the framer cannot see
 * (after a chunked upload, an unanswered Upgrade or a head that ends in bare line feeds) carry
 * only what the client wrote: the address of an unknown or missing token is "unknown", which
 * the per-address limits treat as one shared client.
 */
const CLIENT_HEADER = "x-paiid-front-client";
const encoder = new TextEncoder();

function clientLine(token: string): Uint8Array {
  return encoder.encode(`${CLIENT_HEADER}: ${token}\r\n`);
}

/** `chunk` with the client header added after each request line that ends at `lineEnds`. */
function withClient(chunk: Uint8Array, lineEnds: readonly number[], line: Uint8Array): Uint8Array {
  if (lineEnds.length === 0) return chunk;
  const out = new Uint8Array(chunk.length + lineEnds.length * line.length);
  let from = 0;
  let at = 0;
  for (const end of lineEnds) {
    out.set(chunk.subarray(from, end), at);
    at += end - from;
    out.set(line, at);
    at += line.length;
    from = end;
  }
  out.set(chunk.subarray(from), at);
  return out;
}

const reply = (status: string) =>
  new TextEncoder().encode(
    `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );

/** Serves `handler` behind the front described above. */
export function serveWithHeaderDeadline(
  opts: HeaderDeadlineOptions,
  handler: Deno.ServeHandler<Deno.NetAddr>,
): FrontedServer {
  const maxHeaderBytes = opts.maxHeaderBytes ?? 64 * 1024;
  const open = new Set<Deno.Conn>();
  /** Token of a relayed client connection → the client's address (see CLIENT_HEADER). */
  const peers = new Map<string, Deno.NetAddr>();
  const unknown: Deno.NetAddr = { transport: "tcp", hostname: "unknown", port: 0 };
  /** The client a relayed request came from: the front's value comes first, before any comma. */
  const clientOf = (req: Request): Deno.NetAddr =>
    peers.get((req.headers.get(CLIENT_HEADER) ?? "").split(",", 1)[0].trim()) ?? unknown;
  const innerAt = startInner((req, info) => handler(req, { ...info, remoteAddr: clientOf(req) }));
  const inner = innerAt.server;
  const connectInner = innerAt.connect;
  const listener = Deno.listen({ hostname: opts.hostname, port: opts.port });
  const addr = listener.addr as Deno.NetAddr;
  opts.onListen?.(addr);

  const closeQuietly = (conn: Deno.Conn) => {
    open.delete(conn);
    try {
      conn.close();
    } catch {
      // already closed
    }
  };

  /** The bytes up to and past the first header block, or undefined when the client failed. */
  async function readHeaders(conn: Deno.Conn): Promise<Uint8Array | undefined> {
    let buffered = new Uint8Array(0);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      conn.write(reply("408 Request Timeout")).catch(() => {}).finally(() => closeQuietly(conn));
    }, opts.headerTimeoutMs);
    try {
      const chunk = new Uint8Array(16 * 1024);
      while (headerEnd(buffered) === -1) {
        if (buffered.length > maxHeaderBytes) {
          await conn.write(reply("431 Request Header Fields Too Large")).catch(() => {});
          return undefined;
        }
        const n = await conn.read(chunk);
        if (n === null || timedOut) return undefined;
        const next = new Uint8Array(buffered.length + n);
        next.set(buffered);
        next.set(chunk.subarray(0, n), buffered.length);
        buffered = next;
      }
      return buffered;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Copies what `from` sends to `to` until `from` ends. Plain reads and writes through one
   * reused buffer: piping the connections' web streams instead costs about half the throughput
   * (a stream chunk per read, promise hops per chunk).
   */
  async function copy(
    from: Deno.Conn,
    to: Deno.Conn,
    pass: (chunk: Uint8Array) => Uint8Array | null = (chunk) => chunk,
  ): Promise<void> {
    const buf = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await from.read(buf);
      if (n === null) return;
      const out = pass(buf.subarray(0, n));
      if (out === null) return;
      for (let off = 0; off < out.length;) off += await to.write(out.subarray(off));
    }
  }

  /**
   * Client to server (after `head`, already sent), closing both when a request's headers do
   * not finish within the deadline of their first byte.
   */
  async function forwardTimed(
    conn: Deno.Conn,
    upstream: Deno.Conn,
    framer: RequestFramer,
    client: Uint8Array,
  ): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watch = () => {
      if (framer.inHeaders && timer === undefined) {
        timer = setTimeout(() => {
          closeQuietly(conn);
          closeQuietly(upstream);
        }, opts.headerTimeoutMs);
      } else if (!framer.inHeaders && timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
    };
    watch(); // the first read may already hold the start of a second request
    try {
      await copy(conn, upstream, (chunk) => {
        if (!framer.feed(chunk)) return null;
        watch();
        return withClient(chunk, framer.lineEnds, client);
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async function handle(conn: Deno.Conn): Promise<void> {
    open.add(conn);
    const head = await readHeaders(conn);
    if (!head) return closeQuietly(conn);
    // Only a head that is the whole of what came: anything after it is a second request.
    const direct = opts.direct && headerEnd(head) === head.length ? parseRequestHead(head) : null;
    if (direct && opts.direct!(direct)) {
      try {
        await serveDirect(conn, direct, handler);
      } finally {
        closeQuietly(conn);
      }
      return;
    }
    let upstream: Deno.Conn;
    try {
      upstream = await connectInner();
    } catch {
      return closeQuietly(conn);
    }
    open.add(upstream);
    const token = crypto.randomUUID();
    peers.set(token, conn.remoteAddr as Deno.NetAddr);
    try {
      const framer = new RequestFramer(maxHeaderBytes);
      const client = clientLine(token);
      framer.feed(head);
      const first = withClient(head, framer.lineEnds, client);
      for (let off = 0; off < first.length;) off += await upstream.write(first.subarray(off));
      // Whichever side ends first ends the connection: HTTP clients do not half-close.
      await Promise.race([
        forwardTimed(conn, upstream, framer, client),
        copy(upstream, conn),
      ]);
    } catch {
      // Either side went away; both are closed below.
    } finally {
      peers.delete(token);
      closeQuietly(upstream);
      closeQuietly(conn);
    }
  }

  const accepting = (async () => {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        return; // listener closed by shutdown
      }
      handle(conn).catch(() => closeQuietly(conn));
    }
  })();

  return {
    addr,
    finished: inner.finished,
    async shutdown() {
      try {
        listener.close();
      } catch {
        // already closed
      }
      await accepting;
      // Let the server finish what is in flight (its own graceful shutdown), then cut the rest.
      await inner.shutdown();
      for (const conn of [...open]) closeQuietly(conn);
      if (innerAt.dir !== undefined) {
        await Deno.remove(innerAt.dir, { recursive: true }).catch(() => {});
      }
    },
  };
}
