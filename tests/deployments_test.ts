// deno-lint-ignore-file no-explicit-any
/**
 * Strategies trading on paper (`/api/deployments`, lib/deploy/, jobs/deployments.ts) over the
 * real replay, one app and a peer instance on the same database and KV (in-process, as
 * tests/morning_api_test.ts does). The replay's real clock is set by the test: each step moves
 * it past one more session's close and runs the job, reading the market clock straight (not
 * through the app's 5 s cache).
 *
 * - parity: the signals each session's evaluation recorded are exactly the backtest's signals
 *   for the same bars (the backtester run over the deployment's days);
 * - once per session across two instances, and a re-run evaluates nothing;
 * - proposals pending by default; auto-approved into orders within the user's limits;
 * - the kill switch stops it (the evaluation says so), pause, resume and stop;
 * - performance beside the backtest; isolation (404) and bad input (4xx).
 */
import assert from "node:assert/strict";
import { openPeerApp, openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { type ApiCaller, call } from "./_api.ts";
import { createReplayMarketData } from "../lib/market/replay/mod.ts";
import { addDays, nyInstant } from "../lib/market/exchange_time.ts";
import { runDeploymentEvaluations } from "../lib/deploy/evaluate.ts";
import { busySymbols } from "../lib/deploy/repo.ts";
import { prepare } from "../lib/backtest/run.ts";
import { runBacktest } from "../lib/backtest/engine.ts";
import { barSignal } from "../lib/backtest/signals_at.ts";

const EPOCH = "2026-11-02";
const REPLAY_START = "2019-02-01";
const SYMBOLS = ["AAPL", "MSFT", "KO", "XOM"];

const close = { type: "price", field: "close" } as const;
/** Trend following on an EMA (recursive: its value depends on where the bars start). */
const TREND = {
  name: "EMA trend",
  params: { fast: { default: 8, min: 2, max: 50 } },
  universe: { type: "symbols", symbols: SYMBOLS },
  entry: {
    left: close,
    op: "crosses_above",
    right: { type: "indicator", name: "ema", period: { param: "fast" } },
  },
  exit: {
    left: close,
    op: "crosses_below",
    right: { type: "indicator", name: "ema", period: { param: "fast" } },
  },
  sizing: { method: "percent_equity", percent: 20 },
};
/** Enters every symbol at once: something to propose at every close. */
const ALWAYS = {
  name: "Always in",
  universe: { type: "symbols", symbols: ["KO", "XOM", "AAPL"] },
  entry: { left: close, op: ">", right: { type: "const", value: 0 } },
  sizing: { method: "fixed_cash", amount: 800 },
};

Deno.test("strategy deployments", async (t) => {
  let now = nyInstant(EPOCH, 11 * 3600);
  const replay = createReplayMarketData({
    start: REPLAY_START,
    epoch: EPOCH,
    weekends: true,
    now: () => now,
    streamIntervalMs: 50,
  });
  const app: TestApp = await openTestApp({}, { market: () => replay });
  const peer = await openPeerApp(app);
  const deps = { ...app.services, market: replay };
  const peerDeps = { ...peer.services, market: replay };
  /** Moves the replay to real day `k` (one replayed session per real day) after its close. */
  let day = 0;
  const afterClose = async (k: number) => {
    day = k;
    now = nyInstant(addDays(EPOCH, k), 17 * 3600);
    return (await replay.position()).date;
  };
  try {
    const alice = await signUp(app.app);
    const a: ApiCaller = { t: app, bearer: alice.bearer };
    const b: ApiCaller = { t: app, bearer: (await signUp(app.app)).bearer };
    const { db } = app.services;
    const save = async (who: ApiCaller, rules: unknown) => {
      const r = await call(who, "POST", "/api/strategies", { rules });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as number;
    };
    const trendId = await save(a, TREND);
    /** The rule document as saved (parsed, defaults filled in): what the backtester runs. */
    const savedRules = (await call(a, "GET", `/api/strategies/${trendId}`)).body.rules;
    const session0 = (await replay.position()).date;
    assert.equal((await replay.position()).state, "open");

    let dep: any;
    await t.step("deploy: bad input is 4xx; another user's strategy is 404", async () => {
      const bad: [unknown, number][] = [
        [{}, 400],
        [{ strategyId: trendId }, 400],
        [{ strategyId: trendId, capital: -5 }, 400],
        [{ strategyId: trendId, capital: 10_000, limits: { maxPositions: 0 } }, 400],
        [{ strategyId: trendId, capital: 10_000, extra: 1 }, 400],
        [{ strategyId: "x", capital: 10_000 }, 400],
        ["{not json", 400],
        [{ strategyId: trendId, version: 7, capital: 10_000 }, 404],
      ];
      for (const [body, status] of bad) {
        const r = await call(a, "POST", "/api/deployments", body);
        assert.equal(r.status, status, JSON.stringify(body));
        assert.ok(r.body.error.code && r.body.error.message, JSON.stringify(r.body));
      }
      const theirs = await call(b, "POST", "/api/deployments", {
        strategyId: trendId,
        capital: 1e4,
      });
      assert.equal(theirs.status, 404);
      const r = await call(a, "POST", "/api/deployments", {
        strategyId: trendId,
        capital: 50_000,
        limits: { maxPositions: 3 },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      dep = r.body;
      assert.deepEqual(
        [dep.status, dep.startedOn, dep.strategyVersion, dep.capital, dep.limits],
        ["active", session0, 1, 50_000, { maxPositions: 3, maxOrderValue: null }],
      );
    });

    await t.step(
      "nothing runs before the close; two instances evaluate a session once",
      async () => {
        const open = await runDeploymentEvaluations(deps);
        assert.equal(open.session, null);
        assert.equal(await afterClose(0), session0);
        const reports = await Promise.all([
          runDeploymentEvaluations(deps),
          runDeploymentEvaluations(peerDeps),
        ]);
        for (const r of reports) assert.equal(r.session, session0);
        assert.equal(reports[0].evaluated + reports[1].evaluated, 1, JSON.stringify(reports));
        assert.equal(reports[0].skipped + reports[1].skipped, 1);
        const again = await runDeploymentEvaluations(peerDeps);
        assert.deepEqual([again.evaluated, again.skipped], [0, 1]);
        const rows = await db.query<{ n: number }>(
          "select count(*)::int as n from strategy_evaluations where deployment_id = $1",
          [dep.id],
        );
        assert.equal(rows[0].n, 1);
      },
    );

    const SESSIONS = 30;
    await t.step("parity: each session's signals are the backtest's for the same bar", async () => {
      let onTheWay = 0;
      for (let k = 1; k <= SESSIONS; k++) {
        await afterClose(k);
        const r = await runDeploymentEvaluations(k % 2 ? deps : peerDeps);
        assert.deepEqual([r.evaluated, r.failed], [1, 0], JSON.stringify(r));
        // Until the next close, what was proposed is on the way: its shares count toward the
        // sector cap then.
        const pending = await db.query<{ symbol: string; qty: string }>(
          "select symbol, qty from proposals where source_ref = $1 and status = 'pending'",
          [`deployment:${dep.id}`],
        );
        const busy = await busySymbols(db, alice.user.id, dep.id);
        assert.deepEqual(busy, new Map(pending.map((p) => [p.symbol, Number(p.qty)])));
        onTheWay += busy.size;
      }
      assert.ok(onTheWay > 0, "no proposal was ever pending");
      const got = await call(a, "GET", `/api/deployments/${dep.id}`);
      assert.equal(got.status, 200);
      const evals = [...got.body.evaluations].reverse();
      assert.equal(evals.length, SESSIONS + 1);

      // The backtester over the deployment's days, as the Backtesting stage would run it.
      const last = evals.at(-1).session;
      const { compiled, panel } = await prepare(app.services.backtests.history, {
        rules: savedRules,
        start: dep.startedOn,
        end: last,
      });
      const run = runBacktest(compiled, panel);
      const traded = panel.dates.slice(panel.startIndex);
      assert.deepEqual(evals.map((e: any) => e.session), traded, "one evaluation per bar");
      let entries = 0;
      let exits = 0;
      for (const e of evals) {
        assert.equal(e.status, "done", JSON.stringify(e));
        const bar = panel.dates.indexOf(e.session);
        panel.symbols.forEach((sym, s) => {
          const want = barSignal(run.signals[s], bar);
          assert.deepEqual(e.signals.bySymbol[sym], want, `${sym} on ${e.session}`);
          entries += want.entry!;
          exits += want.exit!;
        });
      }
      assert.ok(entries >= 3 && exits >= 3, `too few signals to compare (${entries}, ${exits})`);

      // Every entry signal on a symbol without a proposal already open became a proposal, and
      // with "every order needs my approval" (the default) none was approved: no orders.
      const props = await db.query<{ status: string; source_ref: string; note: string }>(
        "select status, source_ref, note from proposals where user_id = $1",
        [alice.user.id],
      );
      const made = evals.reduce((n: number, e: any) => n + e.proposalsMade, 0);
      assert.ok(made > 0);
      assert.equal(props.length, made);
      for (const p of props) {
        assert.ok(["pending", "expired"].includes(p.status), p.status);
        assert.equal(p.source_ref, `deployment:${dep.id}`);
        assert.match(p.note, /EMA trend v1: The entry condition held/);
      }
      const orders = await db.query("select id from orders where user_id = $1", [alice.user.id]);
      assert.deepEqual(orders, []);
      assert.equal(evals.reduce((n: number, e: any) => n + e.ordersPlaced, 0), 0);
    });

    await t.step("performance: live beside the backtest over the same days", async () => {
      const r = await call(a, "GET", `/api/deployments/${dep.id}/performance`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const p = r.body;
      assert.equal(p.source, "replay");
      assert.equal(p.live.sessions, SESSIONS + 1);
      // Nothing was approved: the paper book is the allocation, untouched.
      assert.deepEqual([p.live.equity, p.live.returnPct, p.live.orders], [50_000, 0, 0]);
      const { compiled, panel } = await prepare(app.services.backtests.history, {
        rules: { ...savedRules, startingCash: 50_000 },
        start: dep.startedOn,
        end: p.through,
      });
      const run = runBacktest(compiled, panel);
      assert.equal(p.backtest.curve.length, SESSIONS + 1);
      assert.deepEqual(
        p.backtest.curve.map((c: any) => c.date),
        p.live.curve.map((c: any) => c.date),
      );
      assert.equal(p.backtest.equity, Math.round(run.equity.at(-1)! * 100) / 100);
      assert.equal(p.backtest.trades, run.trades.length);
    });

    await t.step("pause, resume and stop", async () => {
      const paused = await call(a, "POST", `/api/deployments/${dep.id}/pause`);
      assert.equal(paused.body.status, "paused");
      assert.equal((await call(a, "POST", `/api/deployments/${dep.id}/pause`)).status, 409);
      let r = await runDeploymentEvaluations((await afterClose(day + 1), deps));
      assert.equal(r.deployments, 0);
      assert.equal(
        (await call(a, "POST", `/api/deployments/${dep.id}/resume`)).body.status,
        "active",
      );
      r = await runDeploymentEvaluations((await afterClose(day + 1), deps));
      assert.equal(r.evaluated, 1);
      const stopped = await call(a, "POST", `/api/deployments/${dep.id}/stop`);
      assert.equal(stopped.body.status, "stopped");
      assert.ok(stopped.body.stoppedAt);
      const resume = await call(a, "POST", `/api/deployments/${dep.id}/resume`);
      assert.equal(resume.status, 409);
      assert.equal(resume.body.error.details.status, "stopped");
      r = await runDeploymentEvaluations((await afterClose(day + 1), deps));
      assert.equal(r.deployments, 0);
      const evals = (await call(a, "GET", `/api/deployments/${dep.id}`)).body.evaluations;
      assert.equal(evals.length, SESSIONS + 2, "the paused and stopped sessions were skipped");
    });

    await t.step(
      "the kill switch stops it; auto-approval within limits places orders",
      async () => {
        const id = await save(a, ALWAYS);
        const r = await call(a, "POST", "/api/deployments", {
          strategyId: id,
          capital: 5_000,
          limits: { maxPositions: 2, maxOrderValue: 1_000 },
        });
        assert.equal(r.status, 201);
        const dep2 = r.body;
        const patched = await call(a, "PATCH", "/api/settings", {
          approvalMode: "auto_within_limits",
          autoApproveMaxOrderValue: 900,
          autoApproveMaxDailyValue: 5_000,
        });
        assert.equal(patched.status, 200, JSON.stringify(patched.body));

        await app.services.halts.halt(alice.user.id, { reason: "test halt" });
        let report = await runDeploymentEvaluations((await afterClose(day + 1), deps));
        assert.deepEqual([report.halted, report.proposals, report.orders], [1, 0, 0]);
        let [e] = (await call(a, "GET", `/api/deployments/${dep2.id}`)).body.evaluations;
        assert.equal(e.status, "halted");
        assert.equal(e.signals.bySymbol.KO.entry, 1, "the signals are there, nothing was proposed");
        assert.match(e.actions[0]?.why, /halted \(test halt\)/, JSON.stringify(e));
        const none = await db.query(
          "select id from proposals where source_ref = $1",
          [`deployment:${dep2.id}`],
        );
        assert.deepEqual(none, []);

        await app.services.halts.resume(alice.user.id);
        report = await runDeploymentEvaluations((await afterClose(day + 1), deps));
        assert.equal(report.evaluated, 1, JSON.stringify(report));
        [e] = (await call(a, "GET", `/api/deployments/${dep2.id}`)).body.evaluations;
        // Two positions at most: KO and XOM (symbol order), AAPL has no room.
        const made = e.actions.filter((x: any) => x.proposalId);
        assert.deepEqual(made.map((x: any) => [x.symbol, x.side, x.status]), [
          ["KO", "buy", "approved"],
          ["XOM", "buy", "approved"],
        ]);
        assert.deepEqual(
          e.actions.filter((x: any) => x.kind === "skipped").map((x: any) => x.symbol),
          ["AAPL"],
        );
        assert.deepEqual([e.proposalsMade, e.ordersPlaced], [2, 2]);
        const orders = await db.query<{ symbol: string; client_order_id: string; qty: string }>(
          `select o.symbol, o.client_order_id, o.qty from orders o join proposals p on p.order_id = o.id
         where p.source_ref = $1 order by o.symbol`,
          [`deployment:${dep2.id}`],
        );
        assert.deepEqual(orders.map((o) => o.symbol), ["KO", "XOM"]);
        for (const o of orders) {
          assert.match(o.client_order_id, /^proposal-/);
          assert.ok(Number(o.qty) >= 1);
        }
        // The next close: the orders are still working (they fill at the open), so nothing new.
        report = await runDeploymentEvaluations((await afterClose(day + 1), deps));
        [e] = (await call(a, "GET", `/api/deployments/${dep2.id}`)).body.evaluations;
        assert.equal(e.status, "done");
      },
    );

    await t.step("another user's deployment is a 404 everywhere", async () => {
      for (
        const [method, path] of [
          ["GET", `/api/deployments/${dep.id}`],
          ["GET", `/api/deployments/${dep.id}/performance`],
          ["POST", `/api/deployments/${dep.id}/pause`],
          ["POST", `/api/deployments/${dep.id}/resume`],
          ["POST", `/api/deployments/${dep.id}/stop`],
          ["GET", "/api/deployments/abc"],
          ["GET", "/api/deployments/999999"],
        ]
      ) {
        const r = await call(b, method, path);
        assert.equal(r.status, 404, `${method} ${path}`);
        assert.equal(r.body.error.code, "not_found");
      }
      assert.deepEqual((await call(b, "GET", "/api/deployments")).body.deployments, []);
      const mine = (await call(a, "GET", "/api/deployments")).body.deployments;
      assert.deepEqual(mine.map((d: any) => d.strategyName), ["Always in", "EMA trend"]);
    });
  } finally {
    await peer.close();
    await app.close();
  }
});
