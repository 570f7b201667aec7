import { useEffect, useState } from "preact/hooks";
import { callApi } from "../trading_fetch.ts";
import { bandRuns, regimeColor } from "./regime_view.ts";
import { formatChangePercent, formatDate } from "../../shared/format.ts";

interface State {
  id: number;
  name: string;
  days: number;
  means: { return20: number; vol20: number; vix: number; vixChange5: number };
  forward: { days: number; n: number; mean: number; hitRate: number };
}
interface Answer {
  asOf: string;
  source: string;
  current: { state: number; name: string; features: State["means"] };
  history: { date: string; state: number }[];
  model: { states: State[]; note: string; seed: number; k: number };
}

const W = 600;

/**
 * The market regime: today's state with its features, the last year as a coloured band, and each
 * state's statistics with what the S&P 500 did next, measured on the shipped history.
 */
export function RegimeView() {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    callApi<Answer>("/api/ml/regime?days=252").then((r) =>
      r.ok ? setAnswer(r.data) : setProblem(r.problem.message)
    );
  }, []);
  if (problem) return <p class="ticket-refusal" role="alert">{problem}</p>;
  if (!answer) return <p class="muted">Loading the market regime…</p>;
  const { current, model } = answer;
  const f = current.features;
  return (
    <div class="regime" data-testid="regime">
      <p>
        Regime on the close of <strong>{formatDate(answer.asOf)}</strong>:{" "}
        <strong
          class="regime-name"
          style={`color: ${regimeColor(current.name)}`}
          data-testid="regime-current"
        >
          {current.name}
        </strong>{" "}
        <span class="muted">
          (S&P 500 20-day return {formatChangePercent(f.return20)}, volatility {f.vol20.toFixed(1)}
          {" "}
          % a year, VIX {f.vix.toFixed(2)}, VIX 5-day change {formatChangePercent(f.vixChange5)}
          {answer.source === "replay" ? "; replay of shipped history" : ""})
        </span>
      </p>
      <svg
        class="regime-band"
        viewBox={`0 0 ${W} 18`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Regime by day from ${answer.history[0]?.date} to ${answer.asOf}`}
      >
        {bandRuns(answer.history, W).map((r) => (
          <rect
            key={r.from}
            x={r.x}
            width={r.width + 0.5}
            y="0"
            height="18"
            fill={regimeColor(model.states[r.state].name)}
          >
            <title>{`${model.states[r.state].name}: ${r.from} to ${r.to}`}</title>
          </rect>
        ))}
      </svg>
      {/* Focusable so keyboard users can scroll the table when it is wider than its card. */}
      <div class="scan-table-wrap" tabIndex={0} role="region" aria-label="Regime states table">
        <table class="positions-table">
          <caption class="muted">
            {model.k} states, k-means with seed {model.seed}. {model.note}
          </caption>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Days</th>
              <th scope="col">Avg 20-day return</th>
              <th scope="col">Avg volatility</th>
              <th scope="col">Avg VIX</th>
              <th scope="col">Next 20 days: avg S&P 500 return</th>
              <th scope="col">Up (share)</th>
              <th scope="col">Sample</th>
            </tr>
          </thead>
          <tbody>
            {model.states.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <span class="regime-swatch" style={`background: ${regimeColor(s.name)}`} />{" "}
                  {s.name}
                </th>
                <td class="positions-num">{s.days}</td>
                <td class="positions-num">{formatChangePercent(s.means.return20)}</td>
                <td class="positions-num">{s.means.vol20.toFixed(1)} %</td>
                <td class="positions-num">{s.means.vix.toFixed(1)}</td>
                <td class="positions-num">{formatChangePercent(s.forward.mean)}</td>
                <td class="positions-num">{(s.forward.hitRate * 100).toFixed(0)} %</td>
                <td class="positions-num">n = {s.forward.n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
