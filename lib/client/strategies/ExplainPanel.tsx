/**
 * "Explain": the analyst explains a saved strategy version and its latest backtest in plain
 * words (`POST /api/strategies/:id/explain`). Beside the text: the backtest figures it was given
 * (the only numbers it may use, each with its unit and the run it comes from) and any figure
 * in the text that the grounding check could not find in them, highlighted.
 */
import { useEffect, useState } from "preact/hooks";
import { callApi } from "../trading_fetch.ts";
import { Markdown } from "../chat/markdown.tsx";
import { formatChangePercent, formatFixed, MISSING } from "../../shared/format.ts";

interface RunFacts {
  id: number;
  strategyVersion: number | null;
  start: string;
  end: string;
  symbols: string[];
  metrics: Record<string, number | null>;
}

export interface Explained {
  text: string;
  analyst: "claude" | "offline";
  unverified: string[];
  run: RunFacts | null;
  source: string;
}

const pct = (n: number | null | undefined) =>
  typeof n === "number" && Number.isFinite(n) ? `${formatFixed(n, 2)} %` : MISSING;

/** The figures shown as grounding, in the order a trader reads them. */
export const GROUNDED: { key: string; label: string; show: (n: number | null) => string }[] = [
  { key: "totalReturnPct", label: "Total return", show: formatChangePercent },
  { key: "buyHoldReturnPct", label: "Buy and hold, same stocks", show: formatChangePercent },
  { key: "maxDrawdownPct", label: "Maximum drawdown", show: pct },
  { key: "sharpe", label: "Sharpe ratio", show: (n) => formatFixed(n, 2) },
  { key: "trades", label: "Trades", show: (n) => (n === null ? MISSING : String(n)) },
  { key: "winRatePct", label: "Win rate", show: pct },
];

type View =
  | { state: "idle" }
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ready"; data: Explained };

export function ExplainPanel(
  { strategyId, version, csrfToken }: { strategyId: number; version: number; csrfToken: string },
) {
  const [view, setView] = useState<View>({ state: "idle" });
  // A new version makes an earlier explanation stale.
  useEffect(() => setView({ state: "idle" }), [strategyId, version]);

  const explain = async () => {
    setView({ state: "loading" });
    const r = await callApi<Explained>(`/api/strategies/${strategyId}/explain`, {
      method: "POST",
      body: {},
      csrfToken,
    });
    setView(
      r.ok ? { state: "ready", data: r.data } : { state: "error", message: r.problem.message },
    );
  };

  return (
    <div class="sb-explain" data-testid="sb-explain">
      <button
        type="button"
        class="button"
        onClick={explain}
        disabled={view.state === "loading"}
        data-testid="sb-explain-button"
      >
        {view.state === "loading" ? "Explaining…" : `Explain version ${version}`}
      </button>
      <div aria-live="polite" aria-busy={view.state === "loading"}>
        {view.state === "loading" && <p class="muted">The analyst is reading the strategy…</p>}
        {view.state === "error" && (
          <p class="ticket-refusal" role="alert" data-testid="sb-explain-error">
            Could not explain it: {view.message}
          </p>
        )}
        {view.state === "ready" && <Explanation data={view.data} />}
      </div>
    </div>
  );
}

function Explanation({ data }: { data: Explained }) {
  const run = data.run;
  return (
    <article class="sb-explanation" data-testid="sb-explanation">
      <p class="muted">
        By the {data.analyst === "claude" ? "Claude analyst" : "offline analyst"}
        {data.source === "replay" && <span class="badge badge--replay">REPLAY</span>}
      </p>
      <Markdown text={data.text} unverified={data.unverified} />
      {data.unverified.length > 0 && (
        <p class="ticket-refusal" data-testid="sb-explain-unverified">
          Not found in the strategy or its backtest (treat with care): {data.unverified.join(", ")}
        </p>
      )}
      {run
        ? (
          <>
            <h3 class="section-title">
              Figures it was given: backtest run #{run.id}
              {run.strategyVersion ? `, version ${run.strategyVersion}` : ""}, {run.start} to{" "}
              {run.end}, {run.symbols.length > 8
                ? `${run.symbols.slice(0, 8).join(", ")} and ${run.symbols.length - 8} more`
                : run.symbols.join(", ")}
            </h3>
            <dl class="sizer-figures" data-testid="sb-explain-figures">
              {GROUNDED.map((g) => (
                <div key={g.key}>
                  <dt>{g.label}</dt>
                  <dd>{g.show(run.metrics[g.key] ?? null)}</dd>
                </div>
              ))}
            </dl>
          </>
        )
        : <p class="muted">No backtest yet: the explanation covers the rules only.</p>}
    </article>
  );
}
