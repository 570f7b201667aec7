/**
 * What one streamed quote costs the alert engine with 10,000 active alerts over 100 symbols
 * (100 per symbol): `deno bench -A bench/alerts_bench.ts`. The engine judges every alert of
 * the quote's symbol; the levels here are spread so a quote crosses none (a crossing adds one
 * database statement, written after the quote is judged, not during it).
 */
import { freshPglite } from "../lib/db/testing.ts";
import { AlertEngine } from "../lib/alerts/engine.ts";
import { StreamHub } from "../lib/market/stream_hub.ts";
import { ScriptedMarketData } from "../lib/market/testing.ts";
import type { Quote } from "../lib/market/types.ts";

const SYMBOLS = 100;
const PER_SYMBOL = 100;

const db = await freshPglite();
const [{ id: userId }] = await db.query<{ id: number }>(
  "insert into users (username, email, password_hash) values ('bench', 'b@x.test', 'x') returning id",
);
const conditions = ["price_above", "price_below", "change_above", "change_below", "volume_above"];
// One statement: 10,000 alerts, levels far from the price of 100 (above 150 or below 50, moves
// of 20 %, volume 10 × average), so the benchmark measures judging, not firing.
await db.query(
  `insert into price_alerts (user_id, symbol, condition, threshold, period)
   select $1, 'S' || (i % $2), c.condition,
          case c.condition when 'price_above' then 150 + i % 50 when 'price_below' then 50 - i % 40
            when 'change_above' then 20 when 'change_below' then -20 else 10 end,
          case c.condition when 'volume_above' then 20 end
     from generate_series(0, $3 - 1) i
     join (select unnest($4::text[]) as condition, generate_subscripts($4::text[], 1) - 1 as k) c
       on c.k = i % $5`,
  [userId, SYMBOLS, SYMBOLS * PER_SYMBOL, conditions, conditions.length],
);
const kv = await Deno.openKv(":memory:");
const market = new ScriptedMarketData();
const streams = new StreamHub(market, { seedFromQuotes: false });
const engine = new AlertEngine({ db, kv, market, streams });
await engine.start();
if (engine.symbols.length !== SYMBOLS) throw new Error(`following ${engine.symbols.length}`);

const quotes: Quote[] = Array.from({ length: SYMBOLS }, (_, i) => ({
  symbol: `S${i}`,
  description: null,
  last: 100,
  bid: 99.99,
  ask: 100.01,
  bidSize: 1,
  askSize: 1,
  change: 1,
  changePercent: 1,
  volume: 1_000,
  open: 99,
  high: 101,
  low: 98,
  prevClose: 99,
  timestamp: new Date().toISOString(),
  source: "replay",
  replayDate: "2020-03-02",
}));

let n = 0;
Deno.bench("one quote against its symbol's 100 alerts (10,000 active)", () => {
  const q = quotes[n++ % SYMBOLS];
  q.last = 100 + (n % 7) * 0.01;
  engine.onQuote(q);
});

globalThis.addEventListener("unload", () => {
  if (engine.fired !== 0) console.error(`fired ${engine.fired}: the levels should not be crossed`);
});
