/**
 * `/api/backtesting` with Tradier as the market data (TRADIER_TOKEN pointing at the fake Tradier
 * server): runs read the fake's daily history, say so, benchmark on SPY, refuse total return,
 * and an unknown symbol is a clear error, never a 500.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { browserSignUp, signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { type FakeTradier, startFakeTradier } from "./fakes/tradier.ts";
import { TEMPLATES } from "../lib/strategy/templates.ts";
import type { Bar } from "../lib/market/types.ts";
import { activeDeployments } from "../lib/deploy/repo.ts";
import { evaluateDeployment } from "../lib/deploy/evaluate.ts";
import { prepare } from "../lib/backtest/run.ts";
import { signalsAt } from "../lib/backtest/signals_at.ts";

type Caller = { t: TestApp; bearer: Record<string, string> };

async function withTradierApp(fn: (a: Caller, fake: FakeTradier) => Promise<void>) {
  const fake = await startFakeTradier({ historyFrom: "2023-01-03", rateLimit: 10_000 });
  const t = await openTestApp({ TRADIER_TOKEN: fake.token, TRADIER_BASE_URL: fake.url });
  try {
    const a = await signUp(t.app);
    await fn({ t, bearer: a.bearer }, fake);
  } finally {
    await t.close();
    await fake.close();
  }
}

/** Reads the run's SSE stream to its end; returns the last progress event. */
async function finished(a: Caller, id: number): Promise<{ status: string; message?: string }> {
  const res = await a.t.app.request(`/api/backtesting/${id}/events`, { headers: a.bearer });
  assert.equal(res.status, 200);
  const text = await res.text();
  const ev = [...text.matchAll(/event: progress\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]));
  return ev.at(-1);
}

async function fakeBars(a: Caller, symbol: string): Promise<Bar[]> {
  const res = await a.t.services.market.bars(symbol, {
    interval: "daily",
    start: "2023-01-01",
    end: "2024-06-19",
  });
  assert.equal(res.source, "tradier");
  return res.bars;
}

/** SMA(n) at each bar, by hand (NaN until n bars). */
function sma(xs: number[], n: number): number[] {
  return xs.map((_, i) => i < n - 1 ? NaN : xs.slice(i - n + 1, i + 1).reduce((s, x) => s + x) / n);
}

const RUN = {
  template: "sma-cross",
  symbols: ["AAPL"],
  start: "2023-06-01",
  end: "2024-06-18",
  costs: { commissionPerShare: 0, commissionMinimum: 0, slippageBps: 0, spread: "none" },
};

Deno.test("with Tradier configured a run reads the fake's bars, benchmarks on SPY and says so", async () => {
  await withTradierApp(async (a, fake) => {
    const templates = await call(a, "GET", "/api/backtesting/templates");
    assert.equal(templates.status, 200);
    assert.equal(templates.body.source, "tradier");
    assert.deepEqual(templates.body.benchmark, { symbol: "SPY", name: "SPY (S&P 500 ETF)" });
    assert.deepEqual(templates.body.adjustments, ["split"]);
    // The fake's clock is on 2024-06-20 while it trades: the last completed session is before.
    assert.equal(templates.body.range.last, "2024-06-19");

    const posted = await call(a, "POST", "/api/backtesting", RUN);
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    assert.equal(posted.body.source, "tradier");
    assert.equal((await finished(a, posted.body.id)).status, "done");
    const run = (await call(a, "GET", `/api/backtesting/${posted.body.id}`)).body;
    assert.equal(run.status, "done", run.error);
    assert.equal(run.source, "tradier");
    assert.equal(run.prices, "tradier");
    assert.equal(run.result.data.source, "tradier");
    assert.equal(run.result.data.benchmark, "SPY");
    assert.match(run.result.bias.adjustment, /Tradier/);
    assert.match(run.result.bias.survivorship, /Survivorship/);
    assert.ok(
      fake.requests.some((r) => r.path === "/v1/markets/history" && r.params.symbol === "AAPL"),
    );

    // The calendar is SPY's days, the benchmark curve SPY's closes scaled to the starting cash.
    const spy = (await fakeBars(a, "SPY")).filter((b) => b.time >= RUN.start && b.time <= RUN.end);
    assert.deepEqual(run.equity.dates, spy.map((b) => b.time));
    const cash = TEMPLATES["sma-cross"].rules.startingCash;
    spy.forEach((b, i) => {
      const want = Math.round((b.close * cash / spy[0].close) * 100) / 100;
      assert.ok(Math.abs(run.equity.benchmark[i] - want) <= 0.01, `${b.time}`);
    });

    // The trades, worked out by hand from the fake's AAPL bars: SMA(20) crossing SMA(50) at a
    // close, filled at the next open (no spread, slippage or commission).
    const aapl = await fakeBars(a, "AAPL");
    const closes = aapl.map((b) => b.close);
    const [fast, slow] = [sma(closes, 20), sma(closes, 50)];
    const first = aapl.findIndex((b) => b.time >= RUN.start);
    const last = aapl.findLastIndex((b) => b.time <= RUN.end);
    const want: { entry: string; price: number; exit: string | null }[] = [];
    for (let i = first; i < last; i++) {
      const up = fast[i - 1] <= slow[i - 1] && fast[i] > slow[i];
      const down = fast[i - 1] >= slow[i - 1] && fast[i] < slow[i];
      const holding = want.length > 0 && want.at(-1)!.exit === null;
      if (up && !holding) {
        want.push({ entry: aapl[i + 1].time, price: aapl[i + 1].open, exit: null });
      } else if (down && holding) want.at(-1)!.exit = aapl[i + 1].time;
    }
    assert.ok(want.length >= 3, "the fake's wave crosses several times");
    const got = [...run.trades, ...run.result.open];
    assert.deepEqual(
      got.map((t: { entryDate: string; entryPrice: number; exitDate: string; reason: string }) => ({
        entry: t.entryDate,
        price: t.entryPrice,
        exit: t.reason === "end" ? null : t.exitDate,
      })),
      want,
    );

    const prices = await call(a, "GET", `/api/backtesting/${posted.body.id}/prices/AAPL`);
    assert.equal(prices.status, 200);
    assert.equal(prices.body.source, "tradier");
    const inRange = aapl.filter((b) => b.time >= RUN.start && b.time <= RUN.end);
    assert.deepEqual(
      prices.body.bars.map((b: { close: number }) => b.close),
      inRange.map((b) => b.close),
    );

    const list = await call(a, "GET", "/api/backtesting");
    assert.equal(list.body.runs[0].source, "tradier");

    // The stage says where its bars come from, and no longer lists Tradier as not built.
    const browser = await browserSignUp(a.t.app);
    const page = await a.t.app.request("/backtesting", { headers: browser.headers() });
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, /data-testid="bt-intro"[^>]*>[^<]*Tradier's, benchmarked on SPY/);
    assert.doesNotMatch(html, /Not built yet/);
  });
});

Deno.test("with Tradier: total return, unknown symbols and dates past the last session are 422", async () => {
  await withTradierApp(async (a) => {
    const cases: [unknown, string, RegExp][] = [
      [
        { ...RUN, adjustment: "total_return" },
        "adjustment_unavailable",
        /not available from tradier/,
      ],
      [{ ...RUN, symbols: ["AAPL", "NOPE"] }, "unknown_symbol", /No Tradier history for NOPE/],
      [{ ...RUN, end: "2024-06-21" }, "out_of_range", /2024-06-19/],
    ];
    for (const [body, code, re] of cases) {
      const res = await call(a, "POST", "/api/backtesting", body);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
      assert.match(res.body.error.message, re);
    }
    const nope = await call(a, "POST", "/api/backtesting", { ...RUN, symbols: ["NOPE"] });
    assert.deepEqual(nope.body.error.details.symbols, ["NOPE"]);
  });
});

Deno.test("with Tradier: a queued run naming a symbol Tradier does not know fails, saying which", async () => {
  await withTradierApp(async (a) => {
    const me = (await call(a, "GET", "/api/auth/me")).body;
    const rules = structuredClone(TEMPLATES["sma-cross"].rules);
    // Past the POST checks, as a run of a saved strategy whose symbol was since delisted.
    const id = await a.t.services.backtests.submit(me.user?.id ?? me.id, {
      kind: "single",
      name: "gone",
      template: "sma-cross",
      rules,
      parameters: {},
      symbols: ["NOPE"],
      start: RUN.start,
      end: RUN.end,
    });
    const last = await finished(a, id);
    assert.equal(last.status, "failed");
    assert.match(last.message ?? "", /NOPE/);
    const run = await call(a, "GET", `/api/backtesting/${id}`);
    assert.equal(run.status, 200);
    assert.equal(run.body.status, "failed");
    assert.equal(run.body.source, "tradier");
    assert.match(run.body.error, /No Tradier history for NOPE/);
  });
});

Deno.test("with Tradier configured a deployment trades on the bars its backtest read", async () => {
  await withTradierApp(async (a) => {
    const rules = {
      ...TEMPLATES["sma-cross"].rules,
      universe: { type: "symbols", symbols: ["AAPL"] },
    };
    const made = await call(a, "POST", "/api/strategies", { rules });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const deployed = await call(a, "POST", "/api/deployments", {
      strategyId: made.body.id,
      capital: 10_000,
    });
    assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
    const { services } = a.t;
    // Deployed two weeks before a session whose close is in the fake's history.
    await services.db.query("update strategy_deployments set started_on = '2024-06-03'");
    const [dep] = await activeDeployments(services.db);
    const clock = await services.market.clock();
    const out = await evaluateDeployment(services, dep, clock, { date: "2024-06-18", no: 1 });
    assert.equal(out.outcome, "done", out.error);

    const got = await call(
      a,
      "GET",
      `/api/deployments/${deployed.body.id}`,
    );
    assert.equal(got.status, 200);
    const [evaluation] = got.body.evaluations;
    assert.equal(evaluation.signals.source, "tradier");
    assert.equal(evaluation.signals.date, "2024-06-18");
    // The same rules over Tradier's bars give the same signal at that close.
    const { compiled, panel } = await prepare(services.backtests.bars, {
      rules: TEMPLATES["sma-cross"].rules,
      symbols: ["AAPL"],
      start: "2024-06-03",
      end: "2024-06-18",
    });
    const t = panel.dates.lastIndexOf("2024-06-18");
    assert.deepEqual(
      evaluation.signals.bySymbol,
      JSON.parse(JSON.stringify(signalsAt(compiled, panel, t).bySymbol)),
    );

    const perf = await call(a, "GET", `/api/deployments/${dep.id}/performance`);
    assert.equal(perf.status, 200, JSON.stringify(perf.body));
    assert.equal(perf.body.source, "tradier");
    assert.equal(perf.body.through, "2024-06-18");
    assert.ok(perf.body.backtest, "the backtest over the same days ran on Tradier's bars");
  });
});
