/**
 * End-to-end delay from a quote to its alert's notification reaching an open page, over real
 * HTTP on 127.0.0.1: `deno run -A bench/alert_delay.ts [firings]`. The page's side is the SSE
 * connection a browser opens (`/api/stream/quotes?notifications=1`); each round re-arms the
 * alert, then sets a price through the level and times until the `notification` event is read.
 * The path measured: hub tap → crossing → conditional update + notification insert (one
 * statement) → delivery poll → SSE frame. Prints p50 / p90 / p99 in ms.
 */
import { closeTestPglitePool, openTestApp } from "../tests/_harness.ts";
import { signUp } from "../tests/_auth.ts";
import { ScriptedMarketData } from "../lib/market/testing.ts";

const rounds = Number(Deno.args[0] ?? 200);
const market = new ScriptedMarketData();
market.setQuote("AAPL", { last: 100, prevClose: 100 });
const t = await openTestApp({ LOG_LEVEL: "error" }, { market: () => market, alerts: true });
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, t.app.fetch);
const base = `http://127.0.0.1:${server.addr.port}`;
try {
  const me = await signUp(t.app);
  const created = await fetch(`${base}/api/alerts`, {
    method: "POST",
    headers: { ...me.bearer, "Content-Type": "application/json" },
    body: JSON.stringify({ symbol: "AAPL", condition: "price_above", threshold: 110 }),
  });
  if (created.status !== 201) throw new Error(`alert: ${created.status} ${await created.text()}`);
  while (!t.services.alerts.symbols.includes("AAPL")) await new Promise((r) => setTimeout(r, 5));

  const ac = new AbortController();
  const res = await fetch(`${base}/api/stream/quotes?notifications=1`, {
    headers: me.bearer,
    signal: ac.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  /** Reads until the next event named `name`. */
  const next = async (name: string): Promise<void> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(`event: ${name}\n`)) return;
        continue;
      }
      const r = await reader.read();
      if (r.done) throw new Error("stream ended");
      buffer += decoder.decode(r.value, { stream: true });
    }
  };
  await next("unread");

  const delays: number[] = [];
  for (let i = 0; i < rounds; i++) {
    market.setQuote("AAPL", { last: 100 }); // back below 110 − 0.5 %: re-arms
    await t.services.alerts.settled();
    const started = performance.now();
    market.setQuote("AAPL", { last: 111 });
    await next("notification");
    delays.push(performance.now() - started);
  }
  ac.abort();
  delays.sort((a, b) => a - b);
  const at = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))];
  console.log(
    `quote → notification on an open SSE page, ${rounds} firings, database ${t.services.db.kind}: ` +
      `p50 ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms`,
  );
} finally {
  await server.shutdown();
  await t.close();
  await closeTestPglitePool();
}
