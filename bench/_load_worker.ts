/**
 * SSE clients for bench/stream_load.ts, run in a Worker so they do not share the server's
 * thread. Message `{ kind: "sse", url, headers, clients, seconds }` → opens `clients` SSE
 * connections (`CONNECT_BATCH` at a time), answers `{ connected }`, then records for `seconds`
 * when each quote event arrived (`timeOrigin + now()`, comparable across threads) and answers
 * `{ receipts: [data, at][], failed }`, `data` being the event's JSON as received (parsed by
 * the main thread, once per distinct event, so the clients spend their time receiving). The
 * clients are raw TCP sockets (see `rawClient`), so the client thread out-runs the server.
 *
 * (HTTP throughput is measured with wrk by bench/quote_load.ts: a fetch client in a Worker
 * saturates long before a bare Deno.serve does.)
 */
/// <reference lib="deno.worker" />

interface SseJob {
  kind: "sse";
  url: string;
  headers: Record<string, string>;
  clients: number;
  seconds: number;
}

/** Connections opened concurrently while connecting. */
const CONNECT_BATCH = 50;

const wallNow = () => performance.timeOrigin + performance.now();

/**
 * One SSE client on a raw TCP socket: a hand-written GET, then every read scanned for
 * `event: quote` frames. Cheaper per frame than fetch's body stream (a promise and a chunk
 * object per read, a TextDecoder stream), so one client thread keeps up with the server.
 * Deno.serve writes each event as one chunk of the chunked body, so a frame's data line is
 * never cut by a chunk header; a frame cut by a TCP read is carried to the next read.
 */
async function rawClient(
  job: SseJob,
  ac: AbortController,
  onFrame: (data: string, at: number) => void,
): Promise<{ done: Promise<void> } | null> {
  const url = new URL(job.url);
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  } catch {
    return null;
  }
  const head = [
    `GET ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    "Accept: text/event-stream",
    ...Object.entries(job.headers).map(([k, v]) => `${k}: ${v}`),
    "",
    "",
  ].join("\r\n");
  await conn.write(new TextEncoder().encode(head));
  const decoder = new TextDecoder("latin1");
  const buf = new Uint8Array(16 * 1024);
  let text = "";
  // The status line arrives first: refuse anything but 200.
  while (!text.includes("\r\n\r\n")) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) {
      conn.close();
      return null;
    }
    text += decoder.decode(buf.subarray(0, n));
  }
  if (!text.startsWith("HTTP/1.1 200")) {
    conn.close();
    return null;
  }
  text = text.slice(text.indexOf("\r\n\r\n") + 4);
  ac.signal.addEventListener("abort", () => {
    try {
      conn.close();
    } catch {
      // already closed
    }
  });
  // Wrapped: an async function returning a promise would wait for it (the whole stream).
  const done = (async () => {
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) return;
      const at = wallNow();
      text += decoder.decode(buf.subarray(0, n));
      let from = 0;
      for (;;) {
        const start = text.indexOf("event: quote\ndata: ", from);
        if (start < 0) break;
        const end = text.indexOf("\n", start + 19);
        if (end < 0) break;
        onFrame(text.slice(start + 19, end), at);
        from = end + 1;
      }
      // Keep only what may hold the start of a frame not yet complete.
      const cut = text.lastIndexOf("event: ");
      text = cut >= from ? text.slice(cut) : "";
    }
  })();
  return { done };
}

async function sse(job: SseJob) {
  const ac = new AbortController();
  const receipts: [string, number][] = [];
  let failed = 0;
  let recording = false;
  const readers: Promise<void>[] = [];
  const onFrame = (data: string, at: number) => {
    if (recording) receipts.push([data, at]);
  };
  const connect = async () => {
    const reader = await rawClient(job, ac, onFrame);
    if (reader) readers.push(reader.done);
    else failed++;
  };
  for (let opened = 0; opened < job.clients; opened += CONNECT_BATCH) {
    const batch = Math.min(CONNECT_BATCH, job.clients - opened);
    await Promise.all(Array.from({ length: batch }, connect));
  }
  self.postMessage({ connected: job.clients - failed });
  recording = true;
  await new Promise((r) => setTimeout(r, job.seconds * 1000));
  recording = false;
  ac.abort();
  await Promise.allSettled(readers);
  return { receipts, failed };
}

self.onmessage = async (e: MessageEvent<SseJob>) => {
  self.postMessage(await sse(e.data));
};
