import { deepEqual, equal, match } from "node:assert/strict";
import { serveWithHeaderDeadline, sweepStaleSocketDirs } from "./header_deadline.ts";
import { pushable, type PushSink } from "./push_body.ts";
import { headerEnd } from "./request_framer.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Everything the server sends until it closes the connection (resolves on the close itself). */
/** What `conn` sends until it has carried `count` "data: tick" frames (or closed). */
async function readTicks(conn: Deno.Conn, count: number): Promise<string> {
  const buf = new Uint8Array(4096);
  let text = "";
  while ((text.match(/data: tick/g)?.length ?? 0) < count) {
    const n = await conn.read(buf);
    if (n === null) break;
    text += decoder.decode(buf.subarray(0, n));
  }
  return text;
}

async function readUntilClosed(conn: Deno.Conn): Promise<string> {
  const buf = new Uint8Array(4096);
  let text = "";
  for (;;) {
    let n: number | null;
    try {
      n = await conn.read(buf);
    } catch {
      return text; // reset by the peer: closed too
    }
    if (n === null) return text;
    text += decoder.decode(buf.subarray(0, n));
  }
}

Deno.test("headerEnd finds the blank line that ends the headers", () => {
  equal(headerEnd(encoder.encode("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody")), 27);
  equal(headerEnd(encoder.encode("GET / HTTP/1.1\r\nHost: a\r\n")), -1);
  equal(headerEnd(encoder.encode("")), -1);
});

Deno.test("a connection that never finishes its request headers is answered 408 and closed", async () => {
  const seen: string[] = [];
  const server = serveWithHeaderDeadline(
    { hostname: "127.0.0.1", port: 0, headerTimeoutMs: 300 },
    (req) => {
      seen.push(new URL(req.url).pathname);
      return new Response("ok");
    },
  );
  try {
    const slow = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await slow.write(encoder.encode("GET /slow HT"));
    const started = performance.now();
    // Resolves only when the server closes the socket: no sleep, the close is the event.
    const answer = await readUntilClosed(slow);
    slow.close();
    match(answer, /^HTTP\/1\.1 408 /);
    const waited = performance.now() - started;
    equal(waited >= 250, true, `closed after ${waited} ms, not before the deadline`);
    deepEqual(seen, [], "the partial request never reached the handler");

    // A client that finishes in time is served as usual, keep-alive included.
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/fine`);
    equal(await res.text(), "ok");
    const again = await fetch(`http://127.0.0.1:${server.addr.port}/again`);
    equal(await again.text(), "ok");
    deepEqual(seen, ["/fine", "/again"]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("after one complete request, a second that stops mid-headers is closed too", async () => {
  const seen: string[] = [];
  const server = serveWithHeaderDeadline(
    { hostname: "127.0.0.1", port: 0, headerTimeoutMs: 300 },
    (req) => {
      seen.push(new URL(req.url).pathname);
      return new Response("ok");
    },
  );
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await conn.write(
      encoder.encode("POST /one HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /two HT"),
    );
    const answer = await readUntilClosed(conn);
    conn.close();
    match(answer, /^HTTP\/1\.1 200 [\s\S]*ok$/);
    deepEqual(seen, ["/one"]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("headers over the size limit get 431; the handler sees the client's own address", async () => {
  let remote: Deno.NetAddr | undefined;
  const server = serveWithHeaderDeadline(
    { hostname: "127.0.0.1", port: 0, headerTimeoutMs: 5_000, maxHeaderBytes: 1024 },
    (_req, info) => {
      remote = info.remoteAddr;
      return new Response("ok");
    },
  );
  try {
    const big = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await big.write(encoder.encode(`GET / HTTP/1.1\r\nX-Big: ${"a".repeat(4096)}`));
    match(await readUntilClosed(big), /^HTTP\/1\.1 431 /);
    big.close();

    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await conn.write(
      encoder.encode("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    );
    match(await readUntilClosed(conn), /^HTTP\/1\.1 200 [\s\S]*ok$/);
    equal(
      remote?.port,
      (conn.localAddr as Deno.NetAddr).port,
      "the client's port, not the front's",
    );
    conn.close();

    // A client naming another address in the front's own header is not believed, on any of
    // the requests of a kept-alive connection.
    const liar = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    const lie = "X-Paiid-Front-Client: 1 203.0.113.9\r\n";
    await liar.write(encoder.encode(`GET /a HTTP/1.1\r\nHost: x\r\n${lie}\r\n`));
    const seen: (Deno.NetAddr | undefined)[] = [];
    const buf = new Uint8Array(1024);
    await liar.read(buf);
    seen.push(remote);
    await liar.write(
      encoder.encode(`GET /b HTTP/1.1\r\n${lie}Host: x\r\nConnection: close\r\n\r\n`),
    );
    await readUntilClosed(liar);
    seen.push(remote);
    for (const addr of seen) {
      deepEqual(addr, {
        transport: "tcp",
        hostname: "127.0.0.1",
        port: (liar.localAddr as Deno.NetAddr).port,
      });
    }
    liar.close();
  } finally {
    await server.shutdown();
  }
});

Deno.test("WebSocket upgrades pass through the front", async () => {
  const server = serveWithHeaderDeadline(
    { hostname: "127.0.0.1", port: 0, headerTimeoutMs: 5_000 },
    (req) => {
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.onmessage = (e) => socket.send(`echo ${e.data}`);
      return response;
    },
  );
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/`);
    const reply = new Promise<string>((resolve) => ws.onmessage = (e) => resolve(e.data));
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    ws.send("hi");
    equal(await reply, "echo hi");
    const closed = new Promise((r) => ws.onclose = r);
    ws.close();
    await closed;
  } finally {
    await server.shutdown();
  }
});

Deno.test("event streams are answered by the front itself, chunked, and let go when the client leaves", async () => {
  const cancelled = Promise.withResolvers<void>();
  const seen: { path: string; port: number; direct: boolean }[] = [];
  const frame = encoder.encode("data: tick\n\n");
  const server = serveWithHeaderDeadline(
    {
      hostname: "127.0.0.1",
      port: 0,
      headerTimeoutMs: 1_000,
      direct: (r) => r.method === "GET" && r.target.startsWith("/events"),
    },
    (req, info) => {
      const path = new URL(req.url).pathname;
      seen.push({ path, port: info.remoteAddr.port, direct: path === "/events" });
      if (path === "/events/denied") {
        return Response.json({ error: "no" }, { status: 401, headers: { "set-cookie": "a=1" } });
      }
      if (path !== "/events") return new Response("relayed");
      let n = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(c) {
            if (n++ < 3) c.enqueue(frame); // the same bytes each time, as the SSE fan-out does
          },
          cancel() {
            cancelled.resolve();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    },
  );
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await conn.write(encoder.encode("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
    const text = await readTicks(conn, 3);
    match(text, /^HTTP\/1\.1 200 OK\r\n/);
    match(text, /\r\ncontent-type: text\/event-stream\r\n/);
    match(
      text,
      /\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\nc\r\ndata: tick\n\n\r\n/,
    );
    equal(seen[0].port, (conn.localAddr as Deno.NetAddr).port, "the handler sees the client");
    // The client leaves mid-stream: the stream is cancelled (this resolves, or the test hangs).
    conn.close();
    await cancelled.promise;

    // An answer that is not a stream goes out whole, with its length and cookies.
    const denied = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await denied.write(encoder.encode("GET /events/denied HTTP/1.1\r\nHost: x\r\n\r\n"));
    const answer = await readUntilClosed(denied);
    denied.close();
    match(answer, /^HTTP\/1\.1 401 /);
    match(answer, /\r\ncontent-length: 14\r\n/);
    match(answer, /\r\nset-cookie: a=1\r\n/);
    match(answer, /\r\n\r\n\{"error":"no"\}$/);

    // Other paths, and a stream request with something after its head, go through the relay.
    equal(await (await fetch(`http://127.0.0.1:${server.addr.port}/other`)).text(), "relayed");
    const piped = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await piped.write(
      encoder.encode(
        "GET /events/x HTTP/1.1\r\nHost: x\r\n\r\nGET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      ),
    );
    const both = await readUntilClosed(piped);
    piped.close();
    equal(both.match(/HTTP\/1\.1 200 OK/g)?.length, 2, "two answers through the inner server");
  } finally {
    await server.shutdown();
  }
});

Deno.test("a pushable event stream is written by its producer, chunked, to its end or the client's", async () => {
  const frame = encoder.encode("data: tick\n\n");
  const cancelled = {
    "/three": Promise.withResolvers<void>(),
    "/open": Promise.withResolvers<void>(),
  };
  let sink: PushSink | undefined;
  const server = serveWithHeaderDeadline(
    { hostname: "127.0.0.1", port: 0, headerTimeoutMs: 1_000, direct: () => true },
    (req) => {
      const path = new URL(req.url).pathname as keyof typeof cancelled;
      const finite = path === "/three";
      // A stream nobody reads: the front pushes, so reading it would fail the test.
      const stream = new ReadableStream<Uint8Array>({
        pull: () => Promise.reject(new Error("read, not pushed")),
        cancel: () => cancelled[path].resolve(),
      }, { highWaterMark: 0 });
      return new Response(
        pushable(stream, {
          push(target) {
            sink = target;
            equal(target.idle, true);
            target.send(frame);
            equal(target.idle, false, "busy while the first write is out");
            target.send(frame); // waits behind it, then goes out with the next
            target.send(frame);
            if (finite) target.end();
            return () => {};
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    },
  );
  try {
    const three = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await three.write(encoder.encode("GET /three HTTP/1.1\r\nHost: x\r\n\r\n"));
    const text = await readUntilClosed(three);
    three.close();
    match(
      text,
      /\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\nc\r\ndata: tick\n\n\r\n/,
    );
    equal(text.match(/data: tick/g)?.length, 3);
    match(text, /\r\n0\r\n\r\n$/, "the last chunk once the producer ends");

    const open = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await open.write(encoder.encode("GET /open HTTP/1.1\r\nHost: x\r\n\r\n"));
    const got = await readTicks(open, 3);
    equal(got.match(/data: tick/g)?.length, 3);
    // The client leaves: the body is cancelled, and a later send is dropped, not thrown.
    open.close();
    await cancelled["/open"].promise;
    sink!.send(frame);
    equal(sink!.idle, true);
  } finally {
    await server.shutdown();
  }
});

Deno.test("without a usable temporary directory the front reaches the server over loopback TCP", async () => {
  const saved = Deno.env.get("TMPDIR");
  Deno.env.set("TMPDIR", "/nonexistent/paiid-no-such-dir");
  let remote: Deno.NetAddr | undefined;
  const server = serveWithHeaderDeadline(
    { hostname: "127.0.0.1", port: 0, headerTimeoutMs: 5_000 },
    (_req, info) => {
      remote = info.remoteAddr;
      return new Response("ok");
    },
  );
  try {
    if (saved === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", saved);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await conn.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    match(await readUntilClosed(conn), /^HTTP\/1\.1 200 [\s\S]*ok$/);
    equal(remote?.port, (conn.localAddr as Deno.NetAddr).port, "still the client's address");
    conn.close();
  } finally {
    await server.shutdown();
  }
});

Deno.test("no request the framer cannot follow lets a client name another address", async () => {
  const seen = new Map<string, string>();
  const server = serveWithHeaderDeadline(
    { hostname: "127.0.0.1", port: 0, headerTimeoutMs: 5_000 },
    async (req, info) => {
      await req.body?.cancel();
      seen.set(new URL(req.url).pathname, info.remoteAddr.hostname);
      return new Response("ok");
    },
  );
  const spoof = "x-paiid-front-client: 1 6.6.6.6\r\n";
  const second =
    `GET /b HTTP/1.1\r\nHost: a\r\n${spoof}X-Paiid-Front-Client: ${crypto.randomUUID()}\r\n` +
    "Connection: close\r\n\r\n";
  // Each first request leaves the framer unable to find the next request line.
  const firsts = {
    chunked: "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    upgrade: "GET /a HTTP/1.1\r\nHost: a\r\nUpgrade: foo\r\n\r\n",
    "bare line feeds": "GET /a HTTP/1.1\nHost: a\n\n",
    "odd length": "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\nX: y\r\n\r\nhello",
  };
  try {
    for (const [kind, first] of Object.entries(firsts)) {
      seen.clear();
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
      await conn.write(encoder.encode(first + second));
      await readUntilClosed(conn);
      conn.close();
      const b = seen.get("/b");
      if (b !== undefined) {
        equal(["unknown", "127.0.0.1"].includes(b), true, `${kind}: /b came from ${b}`);
      }
    }
  } finally {
    await server.shutdown();
  }
});

Deno.test("socket directories of fronts that died are swept; live and new ones are kept", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const make = async (name: string) => {
      await Deno.mkdir(`${tmp}/${name}`);
      return Deno.listen({ transport: "unix", path: `${tmp}/${name}/inner.sock` });
    };
    // A front killed outright: its socket file stays, and nobody listens on it.
    const killed = async (name: string) => {
      await Deno.mkdir(`${tmp}/${name}`);
      const code = `Deno.listen({ transport: "unix", path: ${
        JSON.stringify(`${tmp}/${name}/inner.sock`)
      } }); Deno.kill(Deno.pid, "SIGKILL");`;
      await new Deno.Command(Deno.execPath(), { args: ["eval", code] }).output();
      await Deno.stat(`${tmp}/${name}/inner.sock`); // left behind
    };
    await killed("paiid-front-dead");
    const live = await make("paiid-front-live");
    const own = await make("paiid-front-own");
    own.close();
    await Deno.mkdir(`${tmp}/paiid-front-starting`); // no socket yet
    await killed("other-dead"); // not a front's
    await sweepStaleSocketDirs(tmp, `${tmp}/paiid-front-own`);
    const left = [];
    for await (const e of Deno.readDir(tmp)) left.push(e.name);
    deepEqual(left.sort(), [
      "other-dead",
      "paiid-front-live",
      "paiid-front-own",
      "paiid-front-starting",
    ]);
    live.close();
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
