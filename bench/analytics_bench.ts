/**
 * `GET /api/analytics` for an account with 10,000 fills and 10,000 equity snapshots, inserted
 * straight into `trades` and `equity_snapshots` (5,000 round trips over 20 symbols, one fill
 * every 50 minutes back from now). Through the whole app (auth, the three reads, the broker's
 * valuation, the S&P 500 bars, the report) and the pure report alone on the same data.
 * `deno bench -A bench/analytics_bench.ts`
 */
import { openTestApp } from "../tests/_harness.ts";
import { signUp } from "../tests/_auth.ts";
import { openReplayEnv } from "../tests/_replay_env.ts";
import { loadAnalytics, readHistory } from "../lib/analytics/pnl/load.ts";
import { buildReport } from "../lib/analytics/pnl/report.ts";
import { marketDays } from "../lib/market/market_days.ts";

const FILLS = 10_000;
const t = await openTestApp({
  ...openReplayEnv(),
  LOG_LEVEL: "silent",
  RATE_LIMIT_PER_MINUTE: "100000000",
});
const me = await signUp(t.app);
const headers = me.bearer;
const userId: number = me.user.id;
// Opens the paper account (and its first snapshot) the way the app does.
await (await t.app.request("/api/portfolio", { headers })).text();

const symbols = [
  "AAPL",
  "MSFT",
  "KO",
  "JNJ",
  "XOM",
  "JPM",
  "PG",
  "WMT",
  "INTC",
  "CSCO",
  "PFE",
  "MRK",
  "CVX",
  "HD",
  "DIS",
  "BA",
  "MMM",
  "IBM",
  "MCD",
  "NKE",
];
await t.services.db.query(
  `insert into trades (user_id, symbol, side, quantity, price, executed_at, broker, notional,
     realized_pl)
   select $1, ($2::text[])[1 + (g / 2) % 20], case when g % 2 = 0 then 'buy' else 'sell' end,
     10, x.p, now() - ($3 - g) * interval '50 minutes', 'paper', round(10 * x.p, 2), 0
   from generate_series(0, $3 - 1) g,
     lateral (select 100 + (g / 2) % 37 + case when g % 2 = 1 then (g / 2) % 7 - 3 else 0 end
       as p) x`,
  [userId, symbols, FILLS],
);
await t.services.db.query(
  `insert into equity_snapshots (user_id, at, equity, cash)
   select $1, now() - ($2 - g) * interval '50 minutes' + interval '1 millisecond',
     round((100000 + 800 * sin(g / 40.0) + g * 0.3)::numeric, 2), 100000
   from generate_series(0, $2 - 1) g`,
  [userId, FILLS],
);

const dayOf = await marketDays(t.services.config);
const deps = { db: t.services.db, broker: t.services.broker, market: t.services.market, dayOf };
const check = await loadAnalytics(deps, userId, "ALL");
if (check.metrics.roundTrips.value !== FILLS / 2) {
  throw new Error(`expected ${FILLS / 2} round trips, got ${check.metrics.roundTrips.value}`);
}
const history = await readHistory(t.services.db, userId, "paper");

Deno.bench(
  "GET /api/analytics?period=ALL (10,000 fills)",
  { group: "api", baseline: true },
  async () => {
    const res = await t.app.request("/api/analytics?period=ALL", { headers });
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    await res.text();
  },
);

Deno.bench("GET /api/analytics?period=1M (10,000 fills)", { group: "api" }, async () => {
  const res = await t.app.request("/api/analytics?period=1M", { headers });
  await res.text();
});

Deno.bench("GET /api/analytics/export.csv?period=ALL", { group: "api" }, async () => {
  const res = await t.app.request("/api/analytics/export.csv?period=ALL", { headers });
  await res.text();
});

Deno.bench("readHistory: the three reads (10,000 + 10,000 rows)", { group: "parts" }, async () => {
  await readHistory(t.services.db, userId, "paper");
});

Deno.bench("buildReport alone, ALL", { group: "parts" }, () => {
  buildReport({
    period: "ALL",
    nowMs: Date.now(),
    dayOf,
    valuations: history.valuations,
    flows: history.flows,
    fills: history.fills,
    holdings: [],
    benchmark: () => ({ open: 3000, close: 3000 }),
  });
});

globalThis.addEventListener("unload", () => {
  t.close();
});
