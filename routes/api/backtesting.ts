/**
 * `/api/backtesting`: backtest runs over daily history (lib/backtest/): the shipped history, or
 * Tradier's when Tradier is the configured market data (lib/backtest/bars.ts).
 *
 * - `GET /templates` → `{ templates, range, source, benchmark, adjustments }`: the shipped
 *   strategies by stable id, with their sentences and parameters, the dates runs may cover, and
 *   what the bars are (the benchmark instrument, the price adjustments on offer).
 * - `GET /schema` → the rule language as JSON Schema.
 * - `POST /` `{ template | strategyId (+ strategyVersion, default the latest) | rules, symbols?,
 *   start, end, costs?, parameters?,
 *   splitDate?, adjustment?, sweep?: { grid, metric } }` → 202 `{ id }` at once; the run is queued.
 * - `GET /` → the caller's runs, newest first (no curves).
 * - `GET /:id` → status, progress and, when done, metrics, equity, trades and the report.
 * - `GET /:id/events` → SSE `progress` events until the run ends.
 * - `POST /:id/cancel`, `DELETE /:id`.
 * - `GET /:id/trades.csv`, `GET /:id/equity.csv`.
 * - `GET /:id/prices/:symbol` → the symbol's daily bars over the run's range and its trades,
 *   for the price chart with entry and exit markers.
 *
 * Every run records and answers its `source`: `"replay"` (the shipped history) or `"tradier"`.
 * With Tradier, the S&P 500 benchmark is SPY (Tradier has no index history) and total return is
 * refused (422 `adjustment_unavailable`: Tradier's history has no adjusted close).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { HttpError, NotFoundError } from "../../lib/http/errors.ts";
import {
  parseRules,
  resolveParams,
  type Rules,
  rulesJsonSchema,
} from "../../lib/strategy/schema.ts";
import { isTemplateId, TEMPLATE_IDS, TEMPLATES } from "../../lib/strategy/templates.ts";
import { describeRules } from "../../lib/strategy/sentences.ts";
import { dataRange } from "../../lib/backtest/data.ts";
import { METRIC_FORMULAS, type Metrics } from "../../lib/backtest/metrics.ts";
import { gridOf, universeOf } from "../../lib/backtest/run.ts";
import { type RunSpec, TooManyRunsError } from "../../lib/backtest/jobs.ts";
import type { Trade } from "../../lib/backtest/engine.ts";
import { getStrategy } from "../../lib/strategy/repo.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";
import { fromMarket } from "../../lib/market/api.ts";
import type { BarSource } from "../../lib/backtest/bars.ts";

/** The benchmark a run on `bars` is compared with when its rules say the S&P 500. */
function benchmarkOf(bars: BarSource): { symbol: string; name: string } {
  const symbol = bars.benchmark("SPX");
  return { symbol, name: symbol === "SPX" ? "S&P 500" : `${symbol} (S&P 500 ETF)` };
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A date as YYYY-MM-DD.");
const metricKey = z.enum(Object.keys(METRIC_FORMULAS) as [keyof Metrics, ...(keyof Metrics)[]]);
const MAX_SWEEP = 2000;

const runSchema = z.strictObject({
  template: z.string().max(40).optional(),
  strategyId: z.number().int().positive().max(2 ** 53 - 1).optional(),
  strategyVersion: z.number().int().positive().max(1e6).optional(),
  rules: z.unknown().optional(),
  symbols: z.array(z.string().regex(/^[A-Za-z.\-]{1,10}$/, "A ticker such as AAPL.")).min(1)
    .max(200).optional(),
  start: date,
  end: date,
  splitDate: date.optional(),
  costs: z.strictObject({
    commissionPerShare: z.number().min(0).max(1).optional(),
    commissionMinimum: z.number().min(0).max(100).optional(),
    commissionPercent: z.number().min(0).max(5).optional(),
    slippageBps: z.number().min(0).max(500).optional(),
    spread: z.enum(["paper_broker", "none"]).optional(),
  }).optional(),
  parameters: z.record(z.string().max(32), z.number().finite()).optional(),
  /** `total_return`: prices scaled by adj_close / close, so dividends are reinvested. */
  adjustment: z.enum(["split", "total_return"]).optional(),
  sweep: z.strictObject({
    grid: z.record(z.string().max(32), z.array(z.number().finite()).min(1).max(100)),
    metric: metricKey.default("sharpe"),
  }).optional(),
}).superRefine((v, ctx) => {
  const given = [v.template, v.strategyId, v.rules].filter((x) => x !== undefined).length;
  if (given !== 1) {
    ctx.addIssue({
      code: "custom",
      path: ["template"],
      message: "Give exactly one of template, strategyId or rules.",
    });
  }
  if (v.strategyVersion !== undefined && v.strategyId === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["strategyVersion"],
      message: "A strategy version needs its strategyId.",
    });
  }
  if (v.start >= v.end) {
    ctx.addIssue({ code: "custom", path: ["end"], message: "The end must be after the start." });
  }
  if (v.splitDate && (v.splitDate <= v.start || v.splitDate >= v.end)) {
    ctx.addIssue({
      code: "custom",
      path: ["splitDate"],
      message: "The split date must fall between the start and the end.",
    });
  }
  if (v.costs?.commissionPercent !== undefined && v.costs.commissionPerShare !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["costs"],
      message: "Commission is per share or a percent, not both.",
    });
  }
});

const idSchema = z.coerce.number().int().positive().max(2 ** 53 - 1);
function runId(raw: string): number {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) throw new NotFoundError("No such backtest.");
  return parsed.data;
}

const LIST_COLUMNS = `id, kind, status, progress, name, template, start_date, end_date,
  data_source, created_at, finished_at, error, parameters, strategy_id, strategy_version,
  metrics->'totalReturnPct' as total_return_pct, metrics->'sharpe' as sharpe,
  metrics->'maxDrawdownPct' as max_drawdown_pct, metrics->'trades' as trades`;

interface ListRow {
  id: number;
  kind: string;
  status: string;
  progress: number;
  name: string;
  template: string | null;
  start_date: string | Date;
  end_date: string | Date;
  data_source: string;
  created_at: string | Date;
  finished_at: string | Date | null;
  error: string | null;
  parameters: Record<string, number>;
  strategy_id: number | null;
  strategy_version: number | null;
  total_return_pct: number | null;
  sharpe: number | null;
  max_drawdown_pct: number | null;
  trades: number | null;
}

const day = (
  d: string | Date,
) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));
const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());

function listItem(r: ListRow) {
  return {
    id: Number(r.id),
    kind: r.kind,
    status: r.status,
    progress: Number(r.progress),
    name: r.name,
    template: r.template,
    start: day(r.start_date),
    end: day(r.end_date),
    source: r.data_source,
    createdAt: iso(r.created_at),
    finishedAt: iso(r.finished_at),
    error: r.error,
    parameters: r.parameters,
    strategy: r.strategy_id === null
      ? null
      : { id: Number(r.strategy_id), version: Number(r.strategy_version) },
    summary: r.total_return_pct === null ? null : {
      totalReturnPct: r.total_return_pct,
      sharpe: r.sharpe,
      maxDrawdownPct: r.max_drawdown_pct,
      trades: r.trades,
    },
  };
}

const backtesting = new Hono<AppEnv>();

const runParams = { id: idSchema };
describeRoutes(backtesting, "Backtesting", {
  "GET /templates": {
    summary: "The shipped strategy templates, the metrics' formulas and the history's range",
    responses: { 200: "`{ templates, range, metrics, source }`" },
  },
  "GET /schema": {
    summary: "The strategy rule language as JSON Schema",
    responses: { 200: "A JSON Schema" },
  },
  "POST /": {
    summary: "Queue a backtest (or a parameter sweep) of a template, a saved strategy or rules",
    description: "Give exactly one of `template`, `strategyId` or `rules`. Runs over the " +
      'shipped history (`source: "replay"`), or Tradier\'s daily history when Tradier is the ' +
      'market data (`source: "tradier"`, SPY as the benchmark, no total return).',
    body: runSchema,
    example: { template: "sma-cross", symbols: ["AAPL"], start: "2020-01-02", end: "2020-03-31" },
    responses: {
      202: '`{ id, status: "queued", source }`',
      404: "No such strategy",
      422: "`unknown_template`, `invalid_rules`, `unknown_parameter`, `sweep_too_large`, " +
        "`unknown_symbol`, `empty_universe`, `out_of_range`, `adjustment_unavailable`",
      429: "`too_many_runs`",
    },
  },
  "GET /": {
    summary: "The caller's latest 100 runs, newest first (no curves)",
    responses: { 200: "`{ runs, source }`" },
  },
  "GET /:id": {
    summary: "A run: status and progress, and when done its metrics, equity, trades and report",
    params: runParams,
    responses: { 200: "The run", 404: "Not the caller's" },
  },
  "GET /:id/events": {
    summary: "A run's progress as server-sent events until it ends",
    params: runParams,
    responses: {
      200: { description: "`progress` events", contentType: "text/event-stream" },
      404: "Not the caller's",
    },
  },
  "POST /:id/cancel": {
    summary: "Cancel a queued or running backtest",
    params: runParams,
    responses: { 200: "`{ id, status }`", 404: "Not the caller's", 409: "`not_running`" },
  },
  "DELETE /:id": {
    summary: "Delete a run (cancelling it first)",
    params: runParams,
    responses: { 204: "Deleted", 404: "Not the caller's" },
  },
  "GET /:id/prices/:symbol": {
    summary: "A traded symbol's daily bars over the run and its trades, for the chart",
    params: { id: idSchema, symbol: z.string() },
    responses: { 200: "`{ symbol, bars, trades, source }`", 404: "No trades in that symbol" },
  },
  "GET /:id/trades.csv": {
    summary: "A finished run's trades as CSV",
    params: runParams,
    responses: {
      200: { description: "The CSV file", contentType: "text/csv" },
      409: "`not_done`",
    },
  },
  "GET /:id/equity.csv": {
    summary: "A finished run's equity curve as CSV",
    params: runParams,
    responses: {
      200: { description: "The CSV file", contentType: "text/csv" },
      409: "`not_done`",
    },
  },
});

backtesting.get("/templates", async (c) => {
  requireUser(c);
  const { bars } = c.get("services").backtests;
  const range = await fromMarket(() => dataRange(bars));
  c.header("Cache-Control", "no-store");
  return c.json({
    templates: TEMPLATE_IDS.map((id) => {
      const t = TEMPLATES[id];
      return {
        id,
        name: t.name,
        description: t.description,
        defaultSymbols: t.defaultSymbols,
        params: t.rules.params,
        sentences: describeRules(resolveParams(t.rules)),
      };
    }),
    range,
    metrics: METRIC_FORMULAS,
    source: bars.source,
    benchmark: benchmarkOf(bars),
    adjustments: bars.adjustments,
  });
});

backtesting.get("/schema", (c) => {
  requireUser(c);
  return c.json(rulesJsonSchema());
});

backtesting.post("/", async (c) => {
  const user = requireUser(c);
  const input = runSchema.parse(await jsonBody(c));
  const { db, backtests } = c.get("services");
  const { history, bars } = backtests;

  let rules: Rules;
  let template: string | null = null;
  let strategy: { id: number; version: number } | null = null;
  if (input.template !== undefined) {
    if (!isTemplateId(input.template)) {
      throw new HttpError(422, "unknown_template", `No template "${input.template}".`, {
        templates: TEMPLATE_IDS,
      });
    }
    template = input.template;
    rules = structuredClone(TEMPLATES[input.template].rules);
  } else {
    let doc: unknown = input.rules;
    if (input.strategyId !== undefined) {
      const saved = await getStrategy(db, user.id, input.strategyId, input.strategyVersion);
      if (!saved) throw new NotFoundError("No such strategy.");
      doc = saved.rules;
      strategy = { id: saved.id, version: saved.version };
    }
    const parsed = parseRules(doc);
    if (!parsed.ok) {
      throw new HttpError(422, "invalid_rules", "The rule document is not valid.", {
        errors: parsed.errors,
      });
    }
    rules = parsed.rules;
  }

  if (input.costs) {
    const k = input.costs;
    const costs = rules.costs;
    if (k.commissionPercent !== undefined) {
      costs.commission = { type: "percent", percent: k.commissionPercent };
    } else if (k.commissionPerShare !== undefined || k.commissionMinimum !== undefined) {
      costs.commission = {
        type: "per_share",
        perShare: k.commissionPerShare ?? 0,
        minimum: k.commissionMinimum ?? 0,
      };
    }
    if (k.slippageBps !== undefined) costs.slippageBps = k.slippageBps;
    if (k.spread !== undefined) costs.spread = k.spread;
  }

  if (input.adjustment) rules.priceAdjustment = input.adjustment;
  if (!bars.adjustments.includes(rules.priceAdjustment)) {
    throw new HttpError(
      422,
      "adjustment_unavailable",
      `${rules.priceAdjustment} prices are not available from ${bars.source}: its daily history ` +
        "has no adjusted close.",
      { available: bars.adjustments, source: bars.source },
    );
  }
  const params = input.parameters ?? {};
  const unknown = [...Object.keys(params), ...Object.keys(input.sweep?.grid ?? {})].filter((k) =>
    !(k in rules.params)
  );
  if (unknown.length) {
    throw new HttpError(422, "unknown_parameter", `Unknown parameter ${unknown.join(", ")}.`, {
      parameters: Object.keys(rules.params),
    });
  }
  if (input.sweep && gridOf(input.sweep.grid).length > MAX_SWEEP) {
    throw new HttpError(422, "sweep_too_large", `A sweep may try at most ${MAX_SWEEP} sets.`);
  }

  const resolved = universeOf(history, rules, input.symbols);
  if (!resolved.length) throw new HttpError(422, "empty_universe", "The universe has no stocks.");
  const where = bars.source === "tradier" ? "Tradier" : "shipped";
  const bad = await fromMarket(() => bars.unknown(resolved));
  if (bad.length) {
    throw new HttpError(422, "unknown_symbol", `No ${where} history for ${bad.join(", ")}.`, {
      symbols: bad,
      source: bars.source,
    });
  }
  const range = await fromMarket(() => dataRange(bars));
  if (input.start < range.first || input.end > range.last) {
    throw new HttpError(
      422,
      "out_of_range",
      `The ${where} history for backtests covers ${range.first} to ${range.last}.`,
      range,
    );
  }

  const spec: RunSpec = {
    kind: input.sweep ? "sweep" : "single",
    name: rules.name,
    template,
    ...(strategy ? { strategy } : {}),
    rules,
    parameters: params,
    symbols: resolved,
    start: input.start,
    end: input.end,
    ...(input.splitDate ? { splitDate: input.splitDate } : {}),
    ...(input.sweep ? { sweep: input.sweep } : {}),
  };
  try {
    const id = await backtests.submit(user.id, spec);
    return c.json({ id, status: "queued", source: bars.source }, 202);
  } catch (err) {
    if (err instanceof TooManyRunsError) throw new HttpError(429, "too_many_runs", err.message);
    throw err;
  }
});

backtesting.get("/", async (c) => {
  const user = requireUser(c);
  const rows = await c.get("services").db.query<ListRow>(
    `select ${LIST_COLUMNS} from backtest_runs where user_id = $1 order by id desc limit 100`,
    [user.id],
  );
  c.header("Cache-Control", "no-store");
  return c.json({ runs: rows.map(listItem), source: c.get("services").backtests.bars.source });
});

interface FullRow extends ListRow {
  rules: Rules;
  metrics: Metrics | null;
  equity: unknown;
  trade_list: Trade[] | null;
  result: Record<string, unknown> | null;
}

async function loadRun(c: Context<AppEnv>): Promise<FullRow> {
  const user = requireUser(c);
  const id = runId(c.req.param("id") ?? "");
  const [row] = await c.get("services").db.query<FullRow>(
    `select ${LIST_COLUMNS}, rules, metrics, equity, backtest_runs.trades as trade_list, result
     from backtest_runs where id = $1 and user_id = $2`,
    [id, user.id],
  );
  if (!row) throw new NotFoundError("No such backtest.");
  return row;
}

function sentencesOf(rules: Rules, params: Record<string, number>): string[] {
  try {
    return describeRules(resolveParams(rules, params));
  } catch {
    return describeRules(rules);
  }
}

backtesting.get("/:id", async (c) => {
  const row = await loadRun(c);
  const live = row.status === "running" || row.status === "queued"
    ? await c.get("services").backtests.progress(Number(row.id))
    : null;
  c.header("Cache-Control", "no-store");
  return c.json({
    ...listItem(row),
    progress: live?.progress ?? Number(row.progress),
    message: live?.message ?? null,
    rules: row.rules,
    sentences: sentencesOf(row.rules, row.parameters),
    metrics: row.metrics,
    equity: row.equity,
    trades: row.trade_list,
    result: row.result,
    prices: row.data_source,
  });
});

backtesting.get("/:id/events", async (c) => {
  const row = await loadRun(c);
  const id = Number(row.id);
  const jobs = c.get("services").backtests;
  const enc = new TextEncoder();
  const frame = (p: unknown) => enc.encode(`event: progress\ndata: ${JSON.stringify(p)}\n\n`);
  const terminal = (s: string) => s === "done" || s === "failed" || s === "cancelled";
  let reader: ReadableStreamDefaultReader<[Deno.KvEntryMaybe<unknown>]> | null = null;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      if (terminal(row.status)) {
        controller.enqueue(frame({ status: row.status, progress: Number(row.progress) }));
        controller.close();
        return;
      }
      reader = jobs.watch(id).getReader() as typeof reader;
      try {
        while (true) {
          const { value, done } = await reader!.read();
          if (done) break;
          const p = value[0].value as { status: string } | null;
          if (!p) continue;
          controller.enqueue(frame(p));
          if (terminal(p.status)) break;
        }
        controller.close();
      } catch {
        // The client went away or KV closed: nothing left to tell.
      } finally {
        reader?.cancel().catch(() => {});
      }
    },
    cancel() {
      reader?.cancel().catch(() => {});
    },
  });
  return c.body(body, 200, {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
  });
});

backtesting.post("/:id/cancel", async (c) => {
  const row = await loadRun(c);
  const user = requireUser(c);
  const cancelled = await c.get("services").backtests.cancel(user.id, Number(row.id));
  if (!cancelled) {
    throw new HttpError(
      409,
      "not_running",
      `The backtest has already ${row.status === "done" ? "finished" : "ended"}.`,
    );
  }
  return c.json({ id: Number(row.id), status: "cancelled" });
});

backtesting.delete("/:id", async (c) => {
  const user = requireUser(c);
  const id = runId(c.req.param("id"));
  const { db, backtests } = c.get("services");
  // A run still going is cancelled first, so its runner stops rather than writing to nothing.
  await backtests.cancel(user.id, id);
  const rows = await db.query(
    "delete from backtest_runs where id = $1 and user_id = $2 returning id",
    [
      id,
      user.id,
    ],
  );
  if (!rows.length) throw new NotFoundError("No such backtest.");
  return c.body(null, 204);
});

backtesting.get("/:id/prices/:symbol", async (c) => {
  const row = await loadRun(c);
  const { history, bars } = c.get("services").backtests;
  const param = (c.req.param("symbol") ?? "").slice(0, 12);
  const symbol = history.resolve(param)?.symbol ?? param.toUpperCase();
  const trades = (row.trade_list ?? []).filter((t) => t.symbol === symbol);
  const open = ((row.result?.open ?? []) as Trade[]).filter((t) => t.symbol === symbol);
  if (row.status !== "done" || (!trades.length && !open.length)) {
    throw new NotFoundError("That symbol has no trades in this backtest.");
  }
  if (row.data_source !== bars.source) {
    throw new HttpError(
      409,
      "source_unavailable",
      `This run used ${row.data_source} bars; the app now reads ${bars.source}.`,
    );
  }
  const [from, to] = [day(row.start_date), day(row.end_date)];
  const s = await fromMarket(() => bars.series(symbol, from, to));
  const out: { date: string; open: number; high: number; low: number; close: number }[] = [];
  for (let i = 0; i < s.dates.length; i++) {
    const d = s.dates[i];
    if (d < from || d > to) continue;
    out.push({ date: d, open: s.open[i], high: s.high[i], low: s.low[i], close: s.close[i] });
  }
  c.header("Cache-Control", "no-store");
  return c.json({ symbol, bars: out, trades: [...trades, ...open], source: row.data_source });
});

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
const csv = (rows: unknown[][]) => rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";

function csvResponse(c: Context<AppEnv>, name: string, text: string) {
  return c.body(text, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${name}"`,
    "Cache-Control": "no-store",
  });
}

backtesting.get("/:id/trades.csv", async (c) => {
  const row = await loadRun(c);
  if (row.status !== "done" || !row.trade_list) {
    throw new HttpError(409, "not_done", "The backtest has no trades yet.");
  }
  const cols = [
    "symbol",
    "direction",
    "entryDate",
    "entryPrice",
    "exitDate",
    "exitPrice",
    "qty",
    "pnl",
    "returnPct",
    "bars",
    "reason",
    "commission",
  ] as const;
  const rows = row.trade_list.map((t) => cols.map((k) => t[k]));
  return csvResponse(c, `backtest-${row.id}-trades.csv`, csv([[...cols], ...rows]));
});

backtesting.get("/:id/equity.csv", async (c) => {
  const row = await loadRun(c);
  const e = row.equity as
    | {
      dates: string[];
      equity: number[];
      benchmark: number[];
      buyHold: number[];
      drawdownPct: number[];
    }
    | null;
  if (row.status !== "done" || !e) {
    throw new HttpError(409, "not_done", "The backtest has no equity curve yet.");
  }
  const rows = e.dates.map((
    d,
    i,
  ) => [d, e.equity[i], e.benchmark[i], e.buyHold[i], e.drawdownPct[i]]);
  return csvResponse(
    c,
    `backtest-${row.id}-equity.csv`,
    csv([["date", "equity", "benchmark", "buyHold", "drawdownPct"], ...rows]),
  );
});

export default backtesting;
