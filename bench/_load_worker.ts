/**
 * SSE clients for bench/stream_load.ts, run in a Worker so they do not share the server's
 * thread. Message `{ kind: "sse", url, headers, clients, seconds }` → opens `clients` SSE
 * connections (`CONNECT_BATCH` at a time), answers `{ connected }`, then records for `seconds`
 * when each quote event arrived (`timeOrigin + now()`, comparable across threads) and answers
 * `{ receipts: [data, at][], failed }`, `data` being the event's JSON as received (parsed by
 * the main thread, once per distinct event, so the clients spend their time receiving).
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

async function sse(job: SseJob) {
  const ac = new AbortController();
  const receipts: [string, number][] = [];
  let failed = 0;
  let recording = false;
  const readers: Promise<void>[] = [];
  const connect = async () => {
    const res = await fetch(job.url, { headers: job.headers, signal: ac.signal }).catch(() => null);
    if (!res || res.status !== 200) {
      failed++;
      await res?.body?.cancel();
      return;
    }
    readers.push((async () => {
      const decoder = new TextDecoder();
      let buffer = "";
      try {
        for await (const chunk of res.body!) {
          const at = wallNow();
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!recording || !block.startsWith("event: quote")) continue;
            const data = block.split("\n").find((l) => l.startsWith("data: "));
            if (!data) continue;
            receipts.push([data.slice(6), at]);
          }
        }
      } catch {
        // aborted at the end
      }
    })());
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
