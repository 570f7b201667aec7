/**
 * `/api/backtesting` over the real app: runs are queued on KV, run by the app's own job
 * service, streamed over SSE, stored per user, cancellable and exported as CSV.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { History } from "../lib/market/replay/history.ts";
import { TEMPLATES } from "../lib/strategy/templates.ts";
import { backtest } from "../lib/backtest/run.ts";

type Caller = { t: TestApp; bearer: Record<string, string> };

async function withApp(fn: (t: TestApp, a: Caller, b: Caller) => Promise<void>) {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    await fn(t, { t, bearer: a.bearer }, { t, bearer: b.bearer });
  } finally {
    await t.close();
  }
}

/** Reads the run's SSE stream to its end; returns the progress events. */
async function events(s: Caller, id: number): Promise<{ status: string; progress: number }[]> {
  const res = await s.t.app.request(`/api/backtesting/${id}/events`, { headers: s.bearer });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const text = await res.text();
  return [...text.matchAll(/event: progress\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]));
}

const SMA = { template: "sma-cross", start: "2016-01-04", end: "2019-12-31" };

Deno.test("a template run is queued, streams its progress, and stores what a direct run gives", async () => {
  await withApp(async (_t, a) => {
    const list = await call(a, "GET", "/api/backtesting/templates");
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.templates.map((x: { id: string }) => x.id),
      ["sma-cross", "rsi-reversion", "donchian-breakout", "momentum-rotation", "buy-and-hold"],
    );
    assert.equal(list.body.range.first, "2012-01-03");
    assert.equal(list.body.source, "replay");

    const res = await call(a, "POST", "/api/backtesting", { ...SMA, splitDate: "2018-01-02" });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id = res.body.id;
    assert.equal(typeof id, "number");

    const ev = await events(a, id);
    assert.equal(ev.at(-1)?.status, "done");
    for (let i = 1; i < ev.length; i++) {
      assert.ok(ev[i].progress >= ev[i - 1].progress || ev[i].status === "done");
    }

    const got = await call(a, "GET", `/api/backtesting/${id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.status, "done");
    assert.equal(got.body.prices, "replay");
    assert.equal(got.body.source, "replay");
    const direct = await backtest(new History(), {
      rules: TEMPLATES["sma-cross"].rules,
      symbols: ["AAPL"],
      start: SMA.start,
      end: SMA.end,
      splitDate: "2018-01-02",
    });
    assert.deepEqual(got.body.metrics, direct.metrics);
    assert.deepEqual(got.body.trades, direct.trades);
    assert.deepEqual(got.body.equity.equity, direct.curve.equity);
    assert.equal(got.body.result.bias.lookAhead.passed, true);
    assert.ok(got.body.result.split.inSample);
    assert.ok(got.body.sentences.includes("Buy when SMA(20) crosses above SMA(50)."));

    const trades = await s(a, `/api/backtesting/${id}/trades.csv`);
    assert.match(trades.type, /text\/csv/);
    const lines = trades.text.trim().split("\n");
    assert.equal(
      lines[0],
      "symbol,direction,entryDate,entryPrice,exitDate,exitPrice,qty,pnl,returnPct,bars,reason,commission",
    );
    assert.equal(lines.length, direct.trades.length + 1);
    const equity = await s(a, `/api/backtesting/${id}/equity.csv`);
    assert.equal(equity.text.trim().split("\n").length, direct.curve.dates.length + 1);

    const prices = await call(a, "GET", `/api/backtesting/${id}/prices/aapl`);
    assert.equal(prices.status, 200);
    assert.equal(prices.body.symbol, "AAPL");
    assert.equal(prices.body.bars[0].date, direct.curve.dates[0]);
    assert.equal(prices.body.bars.at(-1).date, direct.curve.dates.at(-1));
    assert.equal(prices.body.trades.length, direct.trades.length + direct.open.length);
    assert.equal((await call(a, "GET", `/api/backtesting/${id}/prices/MSFT`)).status, 404);

    const runs = await call(a, "GET", "/api/backtesting");
    assert.equal(runs.body.runs.length, 1);
    assert.equal(runs.body.runs[0].summary.totalReturnPct, direct.metrics.totalReturnPct);

    const notes = await call(a, "GET", "/api/notifications");
    assert.ok(
      notes.body.notifications.some((n: { kind: string; link: string }) =>
        n.kind === "backtest" && n.link === `/backtesting?run=${id}`
      ),
    );
  });
});

async function s(a: Caller, path: string) {
  const res = await a.t.app.request(path, { headers: a.bearer });
  assert.equal(res.status, 200);
  return { type: res.headers.get("content-type") ?? "", text: await res.text() };
}

Deno.test("bad requests are 4xx JSON errors that say what is wrong", async () => {
  await withApp(async (_t, a) => {
    const cases: [unknown, number, RegExp][] = [
      [{ ...SMA, start: "2016/01/04" }, 400, /start/],
      [{ ...SMA, end: "2015-01-01" }, 400, /end/],
      [{ ...SMA, rules: { name: "x" } }, 400, /template/],
      [{ ...SMA, template: "nope" }, 422, /unknown_template/],
      [{ ...SMA, start: "2005-01-03" }, 422, /out_of_range/],
      [{ ...SMA, symbols: ["ZZZZ"] }, 422, /unknown_symbol/],
      [{ ...SMA, parameters: { nope: 3 } }, 422, /unknown_parameter/],
      [{ ...SMA, extra: 1 }, 400, /extra|Unrecognized/],
      [{ ...SMA, sweep: { grid: { fast: [1, 2], slow: [3] }, metric: "nope" } }, 400, /metric/],
    ];
    for (const [body, status, re] of cases) {
      const res = await call(a, "POST", "/api/backtesting", body);
      assert.equal(res.status, status, JSON.stringify(body) + " " + JSON.stringify(res.body));
      assert.ok(res.body.error.code && res.body.error.message);
      assert.match(JSON.stringify(res.body.error), re);
    }
    const invalid = await call(a, "POST", "/api/backtesting", {
      start: SMA.start,
      end: SMA.end,
      rules: {
        name: "peek",
        universe: { type: "symbols", symbols: ["AAPL"] },
        entry: {
          left: { type: "price", field: "close", barsAgo: -1 },
          op: ">",
          right: { type: "const", value: 1 },
        },
      },
    });
    assert.equal(invalid.status, 422);
    assert.ok(
      invalid.body.error.details.errors.some((e: string) => e.startsWith("entry.left.barsAgo")),
    );
    assert.equal((await call(a, "GET", "/api/backtesting/abc")).status, 404);
    assert.equal((await call(a, "POST", "/api/backtesting", "{oops")).status, 400);
  });
});

Deno.test("runs are private to their owner", async () => {
  await withApp(async (_t, a, b) => {
    const { body } = await call(a, "POST", "/api/backtesting", {
      ...SMA,
      template: "buy-and-hold",
    });
    await events(a, body.id);
    for (const path of ["", "/trades.csv", "/equity.csv", "/events"]) {
      const res = await call(b, "GET", `/api/backtesting/${body.id}${path}`);
      assert.equal(res.status, 404, path);
    }
    assert.equal((await call(b, "POST", `/api/backtesting/${body.id}/cancel`)).status, 404);
    assert.equal((await call(b, "DELETE", `/api/backtesting/${body.id}`)).status, 404);
    assert.deepEqual((await call(b, "GET", "/api/backtesting")).body.runs, []);
    assert.equal((await call(a, "DELETE", `/api/backtesting/${body.id}`)).status, 204);
    assert.equal((await call(a, "GET", `/api/backtesting/${body.id}`)).status, 404);
  });
});

Deno.test("a sweep reports progress, can be cancelled, and the per-user limit holds", async () => {
  await withApp(async (t, a) => {
    const grid = {
      fast: Array.from({ length: 20 }, (_, i) => 5 + i),
      slow: Array.from({ length: 50 }, (_, i) => 30 + i * 2),
    };
    const first = await call(a, "POST", "/api/backtesting", {
      ...SMA,
      sweep: { grid, metric: "sharpe" },
    });
    assert.equal(first.status, 202);
    const second = await call(a, "POST", "/api/backtesting", {
      ...SMA,
      sweep: { grid, metric: "sharpe" },
    });
    assert.equal(second.status, 202);
    const third = await call(a, "POST", "/api/backtesting", SMA);
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, "too_many_runs");

    // Cancel the second one whatever state it is in; it ends cancelled, never done.
    const cancel = await call(a, "POST", `/api/backtesting/${second.body.id}/cancel`);
    assert.equal(cancel.status, 200);
    const ev2 = await events(a, second.body.id);
    assert.equal(ev2.at(-1)?.status, "cancelled");

    // The first runs to its end, reporting progress as it goes.
    const ev1 = await events(a, first.body.id);
    assert.equal(ev1.at(-1)?.status, "done");
    assert.ok(ev1.filter((e) => e.status === "running").length >= 3, JSON.stringify(ev1));
    const done = await call(a, "GET", `/api/backtesting/${first.body.id}`);
    assert.equal(done.body.result.tried, 1000);
    assert.equal(done.body.result.points.length, 1000);
    assert.equal(
      done.body.metrics.sharpe,
      Math.max(
        ...done.body.result.points.map((p: { metrics: { sharpe: number | null } }) =>
          p.metrics.sharpe ?? -Infinity
        ),
      ),
    );

    await t.services.backtests.close();
    const [row] = await t.services.db.query<{ status: string; metrics: unknown }>(
      "select status, metrics from backtest_runs where id = $1",
      [second.body.id],
    );
    assert.equal(row.status, "cancelled");
    assert.equal(row.metrics, null);
    assert.equal((await call(a, "POST", `/api/backtesting/${first.body.id}/cancel`)).status, 409);
  });
});

Deno.test("two instances given the same queued run: exactly one runs it", async () => {
  await withApp(async (t, a) => {
    const { db, kv, log } = t.services;
    const me = (await call(a, "GET", "/api/auth/me")).body;
    const userId = me.user?.id ?? me.id;
    const rules = TEMPLATES["sma-cross"].rules;
    const [row] = await db.query<{ id: number }>(
      `insert into backtest_runs (user_id, name, rule_version, rules, request, start_date, end_date)
       values ($1, 'race', 1, $2, $3, '2016-01-04', '2017-12-29') returning id`,
      [userId, rules, {
        kind: "single",
        name: "race",
        template: "sma-cross",
        rules,
        parameters: {},
        symbols: ["AAPL"],
        start: "2016-01-04",
        end: "2017-12-29",
      }],
    );
    let finished = 0;
    const { BacktestJobs } = await import("../lib/backtest/jobs.ts");
    const history = t.services.backtests.history;
    const one = new BacktestJobs({ db, kv, log, history, onNotified: () => finished++ });
    const two = new BacktestJobs({ db, kv, log, history, onNotified: () => finished++ });
    await Promise.all([one.execute(Number(row.id)), two.execute(Number(row.id))]);
    assert.equal(finished, 1);
    const got = await call(a, "GET", `/api/backtesting/${row.id}`);
    assert.equal(got.body.status, "done");
    assert.ok(got.body.metrics.trades >= 0);
  });
});
