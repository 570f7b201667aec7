/**
 * `GET /api/analytics` and its CSV export over the real app: the replay (its clock the real
 * one, set so the replayed market is open now) and the paper broker, with orders placed through
 * the API.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayEnv } from "./_replay_env.ts";
import { moveCash } from "../lib/broker/paper/cash_flows.ts";

interface Session {
  t: TestApp;
  bearer: Record<string, string>;
  userId: number;
}

async function withApp(fn: (t: TestApp, signIn: () => Promise<Session>) => Promise<void>) {
  const t = await openTestApp({ ...openReplayEnv(), RATE_LIMIT_PER_MINUTE: "100000" });
  try {
    await fn(t, async () => {
      const me = await signUp(t.app);
      const s = { t, bearer: me.bearer, userId: me.user.id };
      const res = await call(s, "PATCH", "/api/settings", {
        maxPositionPercent: 100,
        maxOrderValue: 1_000_000,
      });
      assert.equal(res.status, 200);
      return s;
    });
  } finally {
    await t.close();
  }
}

async function order(s: Session, symbol: string, side: "buy" | "sell", qty: number) {
  const r = await call(s, "POST", "/api/orders", {
    symbol,
    side,
    type: "market",
    timeInForce: "day",
    qty,
    clientOrderId: crypto.randomUUID(),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.order?.status ?? r.body.status, "filled", JSON.stringify(r.body));
}

Deno.test("an empty account: nothing invented, every missing metric says why", async () => {
  await withApp(async (t, signIn) => {
    const s = await signIn();
    const res = await t.app.request("/api/analytics", { headers: s.bearer });
    assert.equal(res.headers.get("cache-control"), "no-store");
    const r = { status: res.status, body: await res.json() };
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.period, "1M");
    assert.equal(r.body.prices, "replay");
    assert.equal(r.body.benchmark.symbol, "SPX");
    assert.equal(r.body.riskFreeRate, 0);
    assert.equal(r.body.metrics.roundTrips.value, 0);
    assert.deepEqual(r.body.symbols, []);
    for (const key of ["sharpe", "sortino", "winRate", "avgWin", "avgLoss", "mwr"]) {
      assert.equal(r.body.metrics[key].value, null, key);
      assert.ok(r.body.metrics[key].reason, key);
    }
    for (const m of Object.values(r.body.metrics) as { formula: string }[]) {
      assert.ok(m.formula.length > 10);
    }
  });
});

Deno.test("fills, round trips, per-symbol P&L, the S&P 500 and a deposit", async () => {
  await withApp(async (t, signIn) => {
    const s = await signIn();
    await order(s, "AAPL", "buy", 10);
    await order(s, "MSFT", "buy", 5);
    await order(s, "AAPL", "sell", 10);
    const r = await call(s, "GET", "/api/analytics?period=ALL");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const body = r.body;
    assert.equal(body.metrics.roundTrips.value, 1);
    assert.ok(body.metrics.winRate.value === 0 || body.metrics.winRate.value === 1);

    // AAPL went flat: FIFO and the ledger's average cost agree on a whole round trip.
    const [{ realized }] = await t.services.db.query<{ realized: string }>(
      "select sum(realized_pl)::text as realized from trades where user_id = $1 and symbol = 'AAPL'",
      [s.userId],
    );
    const aapl = body.symbols.find((x: { symbol: string }) => x.symbol === "AAPL");
    assert.equal(aapl.realized, Number(realized));
    assert.equal(aapl.qty, 0);
    // MSFT is open: one lot, so FIFO's unrealized is the position's.
    const positions = (await call(s, "GET", "/api/portfolio/snapshot")).body.positions;
    const msft = body.symbols.find((x: { symbol: string }) => x.symbol === "MSFT");
    assert.equal(msft.qty, 5);
    const held = positions.find((p: { symbol: string }) => p.symbol === "MSFT");
    const cost = held.costBasis;
    assert.ok(Math.abs(msft.unrealized - (msft.marketValue - cost)) < 0.011);

    // P&L with no cash flow is the change in equity.
    assert.equal(body.metrics.mwr.value, null);
    assert.ok(Math.abs(body.metrics.pnl.value - (body.to.equity - body.from.equity)) < 0.006);

    // The S&P 500 column holds the shipped closes of the same market days.
    const dates = body.daily.map((d: { date: string }) => d.date);
    const bars = (await call(
      s,
      "GET",
      `/api/market/bars/SPX?interval=daily&start=${dates[0]}&end=${dates.at(-1)}`,
    )).body.bars;
    type DayBar = { time: string; open: number; close: number };
    const bar = new Map<string, DayBar>(bars.map((b: DayBar) => [b.time, b]));
    const [base, ...days] = body.daily;
    for (const d of days) assert.equal(d.benchmarkClose, bar.get(d.date)!.close, d.date);
    // The account opened today: the comparison starts from the day's open.
    assert.equal(base.benchmarkClose, bar.get(base.date)!.open);
    assert.equal(base.benchmarkCumulative, 0);
    assert.ok(body.metrics.benchmarkReturn.value !== null || body.daily.length < 2);

    // A deposit of half the equity is a cash flow: the TWR barely moves, P&L leaves it out,
    // and now there is a money-weighted return.
    const before = body.metrics.twr.value;
    const equity = (await call(s, "GET", "/api/portfolio")).body.account.equity;
    await moveCash(t.services.db, s.userId, Math.round(equity / 2), equity);
    const after = (await call(s, "GET", "/api/analytics?period=ALL")).body;
    assert.ok(Math.abs(after.metrics.twr.value - before) < 0.005, `${after.metrics.twr.value}`);
    assert.equal(after.cashFlows.length, 1);
    assert.equal(after.cashFlows[0].kind, "deposit");
    assert.ok(after.metrics.mwr.value !== null, JSON.stringify(after.metrics.mwr));
    const pnl = after.to.equity - after.from.equity - Math.round(equity / 2);
    assert.ok(Math.abs(after.metrics.pnl.value - pnl) < 0.006);
  });
});

Deno.test("CSV export: daily equity and returns, named as a download", async () => {
  await withApp(async (t, signIn) => {
    const s = await signIn();
    await order(s, "KO", "buy", 3);
    const res = await t.app.request("/api/analytics/export.csv?period=1W", { headers: s.bearer });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/csv/);
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.match(
      res.headers.get("content-disposition") ?? "",
      /^attachment; filename="paiid-pnl-1W-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = (await res.text()).trimEnd().split("\r\n");
    assert.equal(
      lines[0],
      "market_date,last_valuation_utc,equity_usd,cash_flow_usd,daily_return,cumulative_twr," +
        "sp500_close,sp500_cumulative,prices",
    );
    const json = (await call(s, "GET", "/api/analytics?period=1W")).body;
    assert.equal(lines.length, json.daily.length + 1);
    assert.ok(lines.slice(1).every((l) => l.endsWith(",replay")));
  });
});

Deno.test("isolation: another user sees only their own account", async () => {
  await withApp(async (_t, signIn) => {
    const a = await signIn();
    const b = await signIn();
    await order(a, "XOM", "buy", 4);
    const mine = (await call(a, "GET", "/api/analytics?period=ALL")).body;
    const theirs = (await call(b, "GET", "/api/analytics?period=ALL")).body;
    assert.deepEqual(mine.symbols.map((x: { symbol: string }) => x.symbol), ["XOM"]);
    assert.deepEqual(theirs.symbols, []);
    assert.equal(theirs.metrics.roundTrips.value, 0);
  });
});

Deno.test("bad input: 400 with the error shape; signed out: 401", async () => {
  await withApp(async (t, signIn) => {
    const s = await signIn();
    for (
      const path of [
        "/api/analytics?period=2W",
        "/api/analytics?period=",
        "/api/analytics?period=1M&extra=1",
        "/api/analytics/export.csv?period=all",
      ]
    ) {
      const r = await call(s, "GET", path);
      assert.equal(r.status, 400, path);
      assert.equal(r.body.error.code, "validation_failed", path);
      assert.ok(r.body.error.details.length > 0, path);
    }
    const anon = await t.app.request("/api/analytics");
    assert.equal(anon.status, 401);
    await anon.body?.cancel();
  });
});
