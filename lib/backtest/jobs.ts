/**
 * Backtest runs as jobs. `submit` stores the run as `queued` in Postgres and puts its id on the
 * Deno KV queue; whichever app instance's listener receives it claims the row (queued → running,
 * one UPDATE, so two instances never both run it), runs it, and stores the result. Progress is
 * written to a KV key that `watch` streams to the page (over SSE) from any instance; a cancel
 * request sets the row to `cancelled`, which the runner reads between steps and stops at.
 *
 * A single run is quick (milliseconds to a fraction of a second); a sweep reports after each
 * parameter set.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import { History } from "../market/replay/history.ts";
import { createNotification } from "../notifications/repo.ts";
import type { ParamValues, Rules } from "../strategy/schema.ts";
import type { Metrics } from "./metrics.ts";
import { backtest, sweep } from "./run.ts";
import { type BarSource, shippedBars } from "./bars.ts";

export type RunStatus = "queued" | "running" | "done" | "failed" | "cancelled";

export interface RunSpec {
  kind: "single" | "sweep";
  name: string;
  template: string | null;
  /** The saved strategy version this run is of (lib/strategy/repo.ts), if any. */
  strategy?: { id: number; version: number };
  rules: Rules;
  parameters: ParamValues;
  symbols?: string[];
  start: string;
  end: string;
  splitDate?: string;
  sweep?: { grid: Record<string, number[]>; metric: keyof Metrics };
}

export interface Progress {
  status: RunStatus;
  progress: number;
  message?: string;
}

/** Runs a user may have queued or running at once. */
export const MAX_ACTIVE_PER_USER = 2;

export class TooManyRunsError extends Error {}

const progressKey = (id: number) => ["backtest", "progress", id];

export interface JobsOptions {
  db: Database;
  kv: Deno.Kv;
  log: Logger;
  /** The shipped history: the universe's symbols and sectors, and the default bars. */
  history?: History;
  /**
   * Where runs read their bars (bars.ts), given the shipped history (loaded on first use);
   * default the shipped history itself. lib/server.ts passes `openBarSource`.
   */
  bars?: (history: () => History) => BarSource;
  /** Delivers a new notification to open pages (the notification centre's `kick`). */
  onNotified?: () => void;
}

export class BacktestJobs {
  readonly #o: JobsOptions;
  #history: History | null;
  readonly #bars: BarSource;
  #listening: Promise<void> | null = null;
  #running = new Set<Promise<void>>();
  #closed = false;

  constructor(o: JobsOptions) {
    this.#o = o;
    this.#history = o.history ?? null;
    const history = () => this.history;
    this.#bars = o.bars?.(history) ?? shippedBars(history);
  }

  get history(): History {
    return this.#history ??= new History();
  }

  /** The bars runs read: the shipped history, or Tradier's when it is the market data. */
  get bars(): BarSource {
    return this.#bars;
  }

  /** Starts taking runs off the queue (once per instance). */
  start(): void {
    if (this.#listening || this.#closed) return;
    this.#listening = this.#o.kv.listenQueue((msg: unknown) => {
      const m = msg as { type?: string; id?: number };
      if (m?.type !== "backtest" || typeof m.id !== "number") return;
      return this.#track(this.execute(m.id));
    }).catch((err) => this.#o.log.error("backtest queue listener ended", { error: err }));
  }

  /** Stores a queued run and enqueues it; refuses past the per-user limit. */
  async submit(userId: number, spec: RunSpec): Promise<number> {
    this.start();
    const { db, kv } = this.#o;
    const [row] = await db.query<{ id: number }>(
      `insert into backtest_runs
         (user_id, kind, name, template, rule_version, rules, parameters, request, data_source,
          start_date, end_date, strategy_id, strategy_version)
       select $1, $2, $3, $4, $5, $6, $7, $8, $14, $9, $10, $12, $13
       where (select count(*) from backtest_runs
              where user_id = $1 and status in ('queued', 'running')) < $11
       returning id`,
      [
        userId,
        spec.kind,
        spec.name,
        spec.template,
        spec.rules.version,
        spec.rules,
        spec.parameters,
        spec,
        spec.start,
        spec.end,
        MAX_ACTIVE_PER_USER,
        spec.strategy?.id ?? null,
        spec.strategy?.version ?? null,
        this.#bars.source,
      ],
    );
    if (!row) {
      throw new TooManyRunsError(
        `At most ${MAX_ACTIVE_PER_USER} backtests may be queued or running at once.`,
      );
    }
    const id = Number(row.id);
    await kv.set(progressKey(id), { status: "queued", progress: 0 } satisfies Progress, {
      expireIn: 86_400_000,
    });
    await kv.enqueue({ type: "backtest", id });
    return id;
  }

  /** Cancels a queued or running run of the user's; false when it had already ended. */
  async cancel(userId: number, id: number): Promise<boolean> {
    const rows = await this.#o.db.query(
      `update backtest_runs set status = 'cancelled', finished_at = now()
       where id = $1 and user_id = $2 and status in ('queued', 'running') returning id`,
      [id, userId],
    );
    if (rows.length) await this.#setProgress(id, { status: "cancelled", progress: 0 });
    return rows.length > 0;
  }

  /** Progress as KV has it, for the SSE stream; null when unknown. */
  async progress(id: number): Promise<Progress | null> {
    return (await this.#o.kv.get<Progress>(progressKey(id))).value;
  }

  /** Progress updates for one run until it ends. */
  watch(id: number): ReadableStream<[Deno.KvEntryMaybe<Progress>]> {
    return this.#o.kv.watch<[Progress]>([progressKey(id)]);
  }

  #track(p: Promise<void>): Promise<void> {
    this.#running.add(p);
    return p.finally(() => this.#running.delete(p));
  }

  async #setProgress(id: number, p: Progress): Promise<void> {
    await this.#o.kv.set(progressKey(id), p, { expireIn: 86_400_000 });
  }

  async #cancelled(id: number): Promise<boolean> {
    const [row] = await this.#o.db.query<{ status: string }>(
      "select status from backtest_runs where id = $1",
      [id],
    );
    return !row || row.status === "cancelled";
  }

  /** Claims and runs one run; a run another instance claimed, or one cancelled, is skipped. */
  async execute(id: number): Promise<void> {
    if (this.#closed) return;
    const { db, log } = this.#o;
    const [row] = await db.query<{ user_id: number; request: RunSpec; data_source: string }>(
      `update backtest_runs set status = 'running', started_at = now()
       where id = $1 and status = 'queued' returning user_id, request, data_source`,
      [id],
    );
    if (!row) return;
    const spec = row.request;
    const userId = Number(row.user_id);
    const bars = this.#bars;
    try {
      // The stored source is what the page shows: never run it on other bars than it says.
      if (row.data_source !== bars.source) {
        throw new Error(
          `This run was queued for ${row.data_source} bars; this instance reads ${bars.source}.`,
        );
      }
      await this.#setProgress(id, {
        status: "running",
        progress: 0.05,
        message: bars.source === "tradier" ? "Loading bars from Tradier" : "Loading bars",
      });
      let summary: string;
      if (spec.kind === "sweep" && spec.sweep) {
        let last = 0;
        const res = await sweep(
          bars,
          {
            rules: spec.rules,
            params: spec.parameters,
            symbols: spec.symbols,
            start: spec.start,
            end: spec.end,
          },
          spec.sweep.grid,
          spec.sweep.metric,
          {
            onProgress: async (done, total) => {
              const p = done / total;
              if (p - last >= 0.02 || done === total) {
                last = p;
                await this.#setProgress(id, {
                  status: "running",
                  progress: Math.min(0.95, p),
                  message: `${done} of ${total} parameter sets`,
                });
              }
            },
            shouldStop: async () => this.#closed || await this.#cancelled(id),
          },
          this.history,
        );
        if (await this.#cancelled(id)) return;
        const rows = await db.query(
          `update backtest_runs set status = 'done', progress = 1, finished_at = now(),
             metrics = $2, result = $3 where id = $1 and status = 'running' returning id`,
          [id, res.best?.metrics ?? null, res],
        );
        if (!rows.length) return;
        summary = `Sweep of ${res.tried} parameter sets: best ${res.metric} ${
          res.best?.metrics[res.metric] ?? "n/a"
        }.`;
      } else {
        await new Promise((r) => setTimeout(r, 0));
        if (await this.#cancelled(id)) return;
        const report = await backtest(bars, {
          rules: spec.rules,
          params: spec.parameters,
          symbols: spec.symbols,
          start: spec.start,
          end: spec.end,
          splitDate: spec.splitDate,
        }, this.history);
        await this.#setProgress(id, { status: "running", progress: 0.9, message: "Storing" });
        const { metrics, curve, trades, ...rest } = report;
        const rows = await db.query(
          `update backtest_runs set status = 'done', progress = 1, finished_at = now(),
             metrics = $2, equity = $3, trades = $4, result = $5
           where id = $1 and status = 'running' returning id`,
          [id, metrics, curve, trades, rest],
        );
        if (!rows.length) return;
        summary =
          `Total return ${metrics.totalReturnPct}% over ${report.data.start}..${report.data.end}, ${metrics.trades} trades.`;
      }
      // The notification first: a page told "done" finds it already there.
      await createNotification(db, {
        userId,
        kind: "backtest",
        title: `Backtest finished: ${spec.name}`,
        body: summary,
        link: `/backtesting?run=${id}`,
        dedupeKey: `backtest:${id}`,
      });
      await this.#setProgress(id, { status: "done", progress: 1 });
      this.#o.onNotified?.();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.warn("backtest failed", { run: id, error: message });
      await db.query(
        `update backtest_runs set status = 'failed', finished_at = now(), error = $2
         where id = $1 and status = 'running'`,
        [id, message.slice(0, 500)],
      ).catch(() => {});
      await this.#setProgress(id, { status: "failed", progress: 0, message }).catch(() => {});
    }
  }

  /** Stops taking runs and waits for the ones in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#running]);
  }
}
