/**
 * Load generator for bench/quote_load.ts and bench/stream_load.ts, run in a Worker so the
 * clients do not share the server's thread. Messages:
 *
 * - `{ kind: "http", url, headers: Record<string,string>[], seconds, maxRequests }` → keeps one
 *   request in flight per entry of `headers` (one connection each) until the time or the count
 *   runs out; answers `{ ok, failed, statuses, seconds }`.
 * - `{ kind: "sse", url, headers, clients, seconds }` → opens `clients` SSE connections one after
 *   another, answers `{ connected }`, then records for `seconds` when each quote event arrived
 *   (`timeOrigin + now()`, comparable across threads) and answers
 *   `{ receipts: [key, at][], failed }`, keyed `symbol|timestamp|last`.
 */
/// <reference lib="deno.worker" />

interface HttpJob {
  kind: "http";
  url: string;
  headers: Record<string, string>[];
  seconds: number;
  maxRequests: number;
}

interface SseJob {
  kind: "sse";
  url: string;
  headers: Record<string, string>;
  clients: number;
  seconds: number;
}

const wallNow = () => performance.timeOrigin + performance.now();

async function http(job: HttpJob) {
  const until = performance.now() + job.seconds * 1000;
  let sent = 0;
  let ok = 0;
  let failed = 0;
  const statuses: Record<string, number> = {};
  const started = performance.now();
  await Promise.all(job.headers.map(async (headers) => {
    while (performance.now() < until && sent < job.maxRequests) {
      sent++;
      try {
        const res = await fetch(job.url, { headers });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 200) ok++;
        else failed++;
      } catch {
        failed++;
      }
    }
  }));
  return { ok, failed, statuses, seconds: (performance.now() - started) / 1000 };
}

async function sse(job: SseJob) {
  const ac = new AbortController();
  const receipts: [string, number][] = [];
  let failed = 0;
  let recording = false;
  const readers: Promise<void>[] = [];
  for (let i = 0; i < job.clients; i++) {
    const res = await fetch(job.url, { headers: job.headers, signal: ac.signal }).catch(() => null);
    if (!res || res.status !== 200) {
      failed++;
      await res?.body?.cancel();
      continue;
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
            const q = JSON.parse(data.slice(6));
            receipts.push([`${q.symbol}|${q.timestamp}|${q.last}`, at]);
          }
        }
      } catch {
        // aborted at the end
      }
    })());
  }
  self.postMessage({ connected: job.clients - failed });
  recording = true;
  await new Promise((r) => setTimeout(r, job.seconds * 1000));
  recording = false;
  ac.abort();
  await Promise.allSettled(readers);
  return { receipts, failed };
}

self.onmessage = async (e: MessageEvent<HttpJob | SseJob>) => {
  const job = e.data;
  self.postMessage(job.kind === "http" ? await http(job) : await sse(job));
};
