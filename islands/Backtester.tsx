import { useEffect, useState } from "preact/hooks";
import { useBacktest } from "../lib/client/backtest/use_backtest.ts";
import { type BacktestForm, requestBody, type RunView } from "../lib/client/backtest/view.ts";
import {
  CompareTable,
  SweepForm,
  SweepResults,
  TradierSourceLabel,
} from "../lib/client/backtest/parts.tsx";
import { BacktestResults } from "../lib/client/backtest/Results.tsx";
import { ReplayLabel } from "../components/ReplayLabel.tsx";

const REPLAY_NOTE = "Backtests run on the shipped daily history (real open, high, low, close); " +
  "fills use the paper broker's simulated bid/ask at the open.";

/**
 * The Backtesting stage: pick a template, symbols, dates and costs; run it with a progress bar;
 * read the metrics, equity against the S&P 500, drawdown, monthly returns, bias checks and
 * trades; compare two runs.
 */
export default function Backtester(
  { csrfToken, strategies = [], selected = null }: {
    csrfToken: string;
    /** The user's saved strategies (each latest version) and the one to select, if any. */
    strategies?: { id: number; name: string; version: number }[];
    selected?: string | null;
  },
) {
  const bt = useBacktest(csrfToken);
  const [form, setForm] = useState<BacktestForm>({
    template: selected ?? "sma-cross",
    symbols: "",
    start: "2016-01-04",
    end: "2019-12-31",
    splitDate: "",
    commissionPerShare: "0",
    commissionMinimum: "0",
    slippageBps: "5",
    spread: "paper_broker",
    adjustment: "split",
  });
  const [formError, setFormError] = useState<string | null>(null);
  const [compareId, setCompareId] = useState<string>("");
  const [other, setOther] = useState<RunView | null>(null);
  const set = (k: keyof BacktestForm) => (e: Event) =>
    setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });

  const template = bt.catalog?.templates.find((t) => t.id === form.template);
  const running = bt.live !== null && (bt.live.status === "queued" || bt.live.status === "running");

  const submit = (e: Event, sweep?: { grid: Record<string, number[]>; metric: string }) => {
    e.preventDefault();
    const r = requestBody(form);
    setFormError(r.ok ? null : r.message);
    if (r.ok) void bt.submit(sweep ? { ...r.body, sweep } : r.body);
  };

  useEffect(() => {
    setOther(null);
    const id = Number(compareId);
    if (id > 0) void bt.fetchRun(id).then(setOther);
  }, [compareId]);

  const range = bt.catalog?.range;
  return (
    <div class="bt" data-testid="backtester">
      <section class="sizer glass" aria-labelledby="bt-form-title">
        <div class="chart-toolbar">
          <h2 id="bt-form-title" class="section-title">Run a backtest</h2>
          {bt.catalog?.source === "tradier"
            ? <TradierSourceLabel testId="bt-source-label" />
            : <ReplayLabel id="bt-replay" note={REPLAY_NOTE} testId="bt-replay-label" />}
        </div>
        {bt.catalog?.source === "tradier" && (
          <p class="muted" data-testid="bt-source-note">
            Bars from Tradier's daily history, as Tradier serves them. Benchmark:{" "}
            {bt.catalog.benchmark.name}, since Tradier has no S&amp;P 500 index history; total
            return is not available (no adjusted close).
          </p>
        )}
        {bt.catalogError && <p class="ticket-refusal" role="alert">{bt.catalogError}</p>}
        <form class="sizer-form" onSubmit={submit}>
          <label>
            Strategy
            <select name="template" value={form.template} onChange={set("template")}>
              {(bt.catalog?.templates ?? []).map((t) => (
                <option key={t.id} value={t.id}>{t.name}</option>
              ))}
              {strategies.length > 0 && (
                <optgroup label="Your strategies">
                  {strategies.map((x) => (
                    <option key={x.id} value={`strategy:${x.id}:${x.version}`}>
                      {x.name} (v{x.version})
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          </label>
          <label>
            Symbols
            <input
              name="symbols"
              value={form.symbols}
              onInput={set("symbols")}
              placeholder={template
                ? template.defaultSymbols === "all"
                  ? "all 107 shipped stocks"
                  : template.defaultSymbols.join(", ")
                : ""}
            />
          </label>
          <label>
            Start
            <input
              type="date"
              name="start"
              value={form.start}
              min={range?.first}
              max={range?.last}
              onInput={set("start")}
              required
            />
          </label>
          <label>
            End
            <input
              type="date"
              name="end"
              value={form.end}
              min={range?.first}
              max={range?.last}
              onInput={set("end")}
              required
            />
          </label>
          <label>
            Out-of-sample from (optional)
            <input type="date" name="splitDate" value={form.splitDate} onInput={set("splitDate")} />
          </label>
          <label>
            Commission, USD per share
            <input
              name="commissionPerShare"
              inputMode="decimal"
              value={form.commissionPerShare}
              onInput={set("commissionPerShare")}
            />
          </label>
          <label>
            Minimum commission, USD
            <input
              name="commissionMinimum"
              inputMode="decimal"
              value={form.commissionMinimum}
              onInput={set("commissionMinimum")}
            />
          </label>
          <label>
            Slippage, bps
            <input
              name="slippageBps"
              inputMode="decimal"
              value={form.slippageBps}
              onInput={set("slippageBps")}
            />
          </label>
          <label>
            Spread
            <select name="spread" value={form.spread} onChange={set("spread")}>
              <option value="paper_broker">Paper broker's bid/ask</option>
              <option value="none">None</option>
            </select>
          </label>
          <label>
            Prices
            <select name="adjustment" value={form.adjustment} onChange={set("adjustment")}>
              <option value="split">Split-adjusted</option>
              <option
                value="total_return"
                disabled={bt.catalog ? !bt.catalog.adjustments.includes("total_return") : false}
              >
                Total return (dividends reinvested)
              </option>
            </select>
          </label>
          <button
            class="button"
            type="submit"
            disabled={running || !bt.catalog}
            data-testid="bt-run"
          >
            {running ? "Running…" : "Run backtest"}
          </button>
        </form>
        {template && (
          <ul class="muted bt-sentences" data-testid="bt-template-sentences">
            {template.sentences.map((s, i) => <li key={i}>{s}</li>)}
          </ul>
        )}
        {(formError ?? bt.problem) && (
          <p class="ticket-refusal" role="alert" data-testid="bt-problem">
            {formError ?? bt.problem}
          </p>
        )}
        {bt.live && bt.live.status !== "done" && (
          <div class="bt-progress" aria-live="polite">
            <progress
              max={1}
              value={bt.live.progress}
              aria-label="Backtest progress"
              data-testid="bt-progress"
            />
            <span class="muted">
              {bt.live.status === "failed"
                ? `Failed: ${bt.live.message ?? "see the run"}`
                : bt.live.status === "cancelled"
                ? "Cancelled."
                : `${bt.live.status === "queued" ? "Queued" : bt.live.message ?? "Running"} · ${
                  Math.round(bt.live.progress * 100)
                } %`}
            </span>
            {running && (
              <button type="button" class="button" onClick={() => void bt.cancel()}>Cancel</button>
            )}
          </div>
        )}
      </section>
      {template && (
        <details class="sizer glass" data-testid="bt-sweep">
          <summary class="section-title">Parameter sweep of {template.name}</summary>
          <p class="muted">
            Runs every combination on the symbols, dates and costs above and maps the chosen metric.
            Look-ahead and the other bias checks are per single run.
          </p>
          <SweepForm
            key={template.id}
            params={template.params}
            disabled={running}
            onRun={(grid, metric) => submit(new Event("submit"), { grid, metric })}
          />
        </details>
      )}
      {bt.run && bt.run.kind === "sweep" && bt.run.status === "done" && (
        <SweepResults run={bt.run} />
      )}
      {bt.run && (bt.run.kind !== "sweep" || bt.run.status !== "done") && (
        <BacktestResults run={bt.run} formulas={bt.catalog?.metrics ?? {}} />
      )}
      {bt.runs.length > 0 && (
        <section class="sizer glass" aria-labelledby="bt-history-title">
          <h2 id="bt-history-title" class="section-title">Your runs</h2>
          <div class="sizer-form">
            <label>
              Show run
              <select
                value={bt.run ? String(bt.run.id) : ""}
                onChange={(e) => void bt.show(Number((e.currentTarget as HTMLSelectElement).value))}
              >
                <option value="" disabled>Choose…</option>
                {bt.runs.map((r) => (
                  <option key={r.id} value={r.id}>
                    #{r.id} {r.name} {r.start}..{r.end} ({r.status})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Compare with
              <select
                value={compareId}
                onChange={(e) => setCompareId((e.currentTarget as HTMLSelectElement).value)}
              >
                <option value="">No comparison</option>
                {bt.runs.filter((r) =>
                  r.status === "done" && r.kind === "single" && r.id !== bt.run?.id
                ).map((r) => (
                  <option key={r.id} value={r.id}>#{r.id} {r.name} {r.start}..{r.end}</option>
                ))}
              </select>
            </label>
          </div>
          {bt.run && other && <CompareTable a={bt.run} b={other} />}
        </section>
      )}
    </div>
  );
}
