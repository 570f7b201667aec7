/**
 * Runs in flight at once: each backtest reuses the arrays of runs that finished before it
 * (arena.ts), so two jobs interleaved, or a result kept across other runs, must never see
 * another run's numbers.
 */
import assert from "node:assert/strict";
import type { Database } from "../db/database.ts";
import { withTestDatabases } from "../db/testing.ts";
import { createLogger } from "../log.ts";
import { History } from "../market/replay/history.ts";
import { TEMPLATES } from "../strategy/templates.ts";
import { BacktestJobs, type RunSpec } from "./jobs.ts";
import { backtest, prepare, sweep } from "./run.ts";
import { releaseRun, runBacktest } from "./engine.ts";
import { compile } from "./compile.ts";
import { resolveParams } from "../strategy/schema.ts";

const history = new History();
const START = "2016-01-04";
const END = "2018-12-31";

const single: RunSpec = {
  kind: "single",
  name: "donchian",
  template: "donchian-breakout",
  rules: TEMPLATES["donchian-breakout"].rules,
  parameters: {},
  start: START,
  end: END,
};
const sweepSpec: RunSpec = {
  kind: "sweep",
  name: "sma sweep",
  template: "sma-cross",
  rules: TEMPLATES["sma-cross"].rules,
  parameters: {},
  symbols: ["AAPL", "MSFT", "KO"],
  start: START,
  end: END,
  // Forty sets: the single run starts after the first and ends long before the last.
  sweep: {
    grid: { fast: Array.from({ length: 20 }, (_, i) => 2 + i), slow: [30, 50] },
    metric: "sharpe",
  },
};

async function queue(db: Database, userId: number, spec: RunSpec): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `insert into backtest_runs (user_id, kind, name, rule_version, rules, request, start_date,
       end_date) values ($1, $2, $3, 1, $4, $5, $6, $7) returning id`,
    [userId, spec.kind, spec.name, spec.rules, spec, spec.start, spec.end],
  );
  return Number(row.id);
}

/** The JSON a value becomes once stored: what the rows hold. */
const stored = (x: unknown) => JSON.parse(JSON.stringify(x));

withTestDatabases("two backtest jobs in flight at once store what each gives alone", async (db) => {
  // Alone first, one after the other.
  const soloReport = await backtest(history, { rules: single.rules, start: START, end: END });
  const soloSweep = await sweep(
    history,
    { rules: sweepSpec.rules, symbols: sweepSpec.symbols, start: START, end: END },
    sweepSpec.sweep!.grid,
    "sharpe",
  );

  const [user] = await db.query<{ id: number }>(
    "insert into users (username, email, password_hash) values ('bt', 'bt@x', 'x') returning id",
  );
  const store = await Deno.openKv(":memory:");
  // The jobs report progress through KV; this view of it holds the sweep at its first
  // "n of m" report until the single run has said it is running, so the two overlap by
  // construction rather than by how fast the machine happens to be.
  const sweepMidway = Promise.withResolvers<void>();
  const singleRunning = Promise.withResolvers<void>();
  let sweepId = 0;
  let singleId = 0;
  const kv = new Proxy(store, {
    get(target, prop) {
      if (prop === "set") {
        return async (key: Deno.KvKey, value: unknown, opts?: { expireIn?: number }) => {
          const id = key.at(-1);
          const p = value as { status?: string; message?: string };
          if (id === sweepId && p.message?.includes(" of ")) {
            sweepMidway.resolve();
            await singleRunning.promise;
          }
          if (id === singleId && p.status === "running") singleRunning.resolve();
          return target.set(key, value, opts);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  const jobs = new BacktestJobs({ db, kv, log: createLogger("silent"), history });
  try {
    sweepId = await queue(db, Number(user.id), sweepSpec);
    singleId = await queue(db, Number(user.id), single);
    const sweeping = jobs.execute(sweepId);
    await Promise.race([
      sweepMidway.promise,
      sweeping.then(() => assert.fail("the sweep ended without reporting its progress")),
    ]);
    await Promise.all([sweeping, jobs.execute(singleId)]);

    const rows = await db.query<{
      id: number;
      status: string;
      metrics: unknown;
      equity: unknown;
      trades: unknown;
      result: Record<string, unknown>;
      started_at: Date;
      finished_at: Date;
    }>(
      `select id, status, metrics, equity, trades, result, started_at, finished_at
       from backtest_runs order by id`,
    );
    const [s, r] = rows;
    assert.deepEqual([s.status, r.status], ["done", "done"]);
    // Both were running at once: each started before the other finished.
    assert.ok(new Date(s.started_at) < new Date(r.finished_at), "overlap");
    assert.ok(new Date(r.started_at) < new Date(s.finished_at), "overlap");

    assert.deepEqual(s.result, stored(soloSweep));
    const { metrics, curve, trades, ...rest } = soloReport;
    assert.deepEqual(r.metrics, stored(metrics));
    assert.deepEqual(r.equity, stored(curve));
    assert.deepEqual(r.trades, stored(trades));
    assert.deepEqual(r.result, stored(rest));
  } finally {
    await jobs.close();
    store.close();
  }
});

Deno.test("a result kept across a sweep's runs keeps its own numbers", async () => {
  const { compiled, panel } = await prepare(history, {
    rules: sweepSpec.rules,
    symbols: sweepSpec.symbols,
    start: START,
    end: END,
  });
  const kept = runBacktest(compiled, panel);
  const copy = {
    equity: Array.from(kept.equity),
    gross: Array.from(kept.gross),
    entry: kept.signals.map((g) => Array.from(g.entry!)),
  };
  // The sweep runs other fast periods on the same bars (arenas of the same size, other
  // numbers), releasing each; a run done in between is taken and released at once.
  const other = compile(resolveParams(sweepSpec.rules, { fast: 7 }));
  await sweep(
    history,
    { rules: sweepSpec.rules, symbols: sweepSpec.symbols, start: START, end: END },
    { fast: [5, 10, 15] },
    "sharpe",
    { onProgress: () => releaseRun(runBacktest(other, panel)) },
  );
  assert.deepEqual(Array.from(kept.equity), copy.equity);
  assert.deepEqual(Array.from(kept.gross), copy.gross);
  assert.deepEqual(kept.signals.map((g) => Array.from(g.entry!)), copy.entry);
  releaseRun(kept);
});
