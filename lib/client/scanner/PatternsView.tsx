import { useEffect, useState } from "preact/hooks";
import { callApi } from "../trading_fetch.ts";
import { formatChangePercent, formatDate, formatPrice } from "../../shared/format.ts";

interface Hit {
  symbol: string;
  name: string;
  type: string;
  pattern: string;
  direction: "bullish" | "bearish";
  date: string;
  level: number;
}
interface PatternRecord {
  type: string;
  name: string;
  direction: string;
  forwardDays: number;
  n: number;
  meanForward: number;
  hitRate: number;
}
interface Level {
  kind: "support" | "resistance";
  price: number;
  touches: number;
}
interface Answer {
  asOf: string;
  source: string;
  hits: Hit[];
  levels: Level[] | null;
  record: {
    patterns: PatternRecord[];
    baseline: { forwardDays: number; n: number; meanForward: number; upRate: number };
  };
}

/**
 * Chart patterns the universe completed in the last days, each shown with its measured record
 * over the shipped history (how often it went its way, the mean 20-day return, the sample) next
 * to what any day did, so no pattern is shown as a claim without its numbers.
 */
export function PatternsView(
  { symbol, days = 5 }: { symbol?: string; days?: number },
) {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const query = new URLSearchParams({ days: String(days) });
    if (symbol) query.set("symbol", symbol);
    callApi<Answer>(`/api/ml/patterns?${query}`).then((r) =>
      r.ok ? setAnswer(r.data) : setProblem(r.problem.message)
    );
  }, [symbol, days]);
  if (problem) return <p class="ticket-refusal" role="alert">{problem}</p>;
  if (!answer) return <p class="muted">Looking for chart patterns…</p>;
  const record = new Map(answer.record.patterns.map((p) => [p.type, p]));
  const base = answer.record.baseline;
  const recordText = (r: PatternRecord | undefined) =>
    r
      ? `went its way ${
        (r.hitRate * 100).toFixed(0)
      } % of ${r.n} times; next ${r.forwardDays} days ${
        formatChangePercent(r.meanForward)
      } on average`
      : "no record";
  return (
    <div data-testid="patterns">
      <p class="muted">
        Completed in the {days} trading days through the close of {formatDate(answer.asOf)}
        {answer.source === "replay" ? " (replay of shipped history)" : ""}. Record over the shipped
        history, 2012–2021; any stock on any day: next {base.forwardDays} days{" "}
        {formatChangePercent(base.meanForward)} on average, up {(base.upRate * 100).toFixed(0)} % of
        {" "}
        {base.n.toLocaleString("en-US")} times.
      </p>
      {answer.levels && (
        <p data-testid="pattern-levels">
          {answer.levels.length === 0
            ? "No support or resistance level: no two swing points of the last 120 days line up."
            : answer.levels.map((l) =>
              `${l.kind} ${formatPrice(l.price)} USD (${l.touches} touches)`
            )
              .join(" · ")}
        </p>
      )}
      {answer.hits.length === 0
        ? <p class="muted" data-testid="patterns-empty">No pattern completed in those days.</p>
        : (
          <div class="scan-table-wrap">
            <table class="positions-table" data-testid="patterns-table">
              <thead>
                <tr>
                  <th scope="col">Symbol</th>
                  <th scope="col">Pattern</th>
                  <th scope="col">Completed</th>
                  <th scope="col">Level crossed (USD)</th>
                  <th scope="col">Its record</th>
                </tr>
              </thead>
              <tbody>
                {answer.hits.map((h) => (
                  <tr key={`${h.symbol}-${h.type}-${h.date}`}>
                    <th scope="row">
                      <a href={`/symbol/${encodeURIComponent(h.symbol)}`}>{h.symbol}</a>
                    </th>
                    <td class="scan-pattern">
                      {h.pattern}{" "}
                      <span class={h.direction === "bullish" ? "gain" : "loss"}>
                        ({h.direction})
                      </span>
                    </td>
                    <td>{formatDate(h.date)}</td>
                    <td class="positions-num">{formatPrice(h.level)}</td>
                    <td class="scan-reasons">{recordText(record.get(h.type))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      <details>
        <summary>Every pattern's record</summary>
        <ul>
          {answer.record.patterns.map((p) => (
            <li key={p.type}>
              {p.name} ({p.direction}): {recordText(p)}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
