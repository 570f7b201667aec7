/**
 * One recommendation: action and confidence, the levels on a small chart, the size from the
 * user's risk settings, the reasoning, and the evidence (each with its source and day) behind a
 * disclosure. The buttons come from the caller (the island), so the page can render it too.
 */
import type { ComponentChildren } from "preact";
import type { RecView } from "../../lib/shared/recommendation.ts";
import { formatUsd as usd } from "../../lib/shared/money.ts";
import { LevelsChart } from "./LevelsChart.tsx";

export function RecCard({ rec, children }: { rec: RecView; children?: ComponentChildren }) {
  const id = `rec-${rec.id}`;
  return (
    <article
      class={`rec-card glass rec-card--${rec.action}`}
      aria-labelledby={id}
      data-testid="rec-card"
    >
      <header class="rec-card-head">
        <h3 id={id}>
          <span class={`rec-action rec-action--${rec.action}`}>{rec.action.toUpperCase()}</span>
          {" "}
          <a href={`/symbol/${encodeURIComponent(rec.symbol)}`} data-testid="rec-symbol">
            {rec.symbol}
          </a>
        </h3>
        <span class="rec-confidence" title={rec.confidenceBasis ?? undefined}>
          Confidence {rec.confidence}/100
        </span>
      </header>
      <div class="rec-card-body">
        <LevelsChart entry={rec.entry} stop={rec.stop} target={rec.target} />
        <dl class="rec-figures">
          <div>
            <dt>Entry</dt>
            <dd>{usd(rec.entry)}</dd>
          </div>
          <div>
            <dt>Stop</dt>
            <dd>{usd(rec.stop)}</dd>
          </div>
          <div>
            <dt>Target</dt>
            <dd>{usd(rec.target)}</dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd title={rec.size?.rule} data-testid="rec-size">
              {rec.suggestedShares} shares{rec.size ? ` (${usd(rec.size.value)})` : ""}
            </dd>
          </div>
          <div>
            <dt>Horizon</dt>
            <dd>{rec.horizonDays} trading days</dd>
          </div>
        </dl>
      </div>
      {rec.confidenceBasis && <p class="muted rec-basis">{rec.confidenceBasis}</p>}
      <p class="rec-reasoning">{rec.reasoning}</p>
      <details class="rec-evidence">
        <summary>Evidence ({rec.evidence.length})</summary>
        <ul>
          {rec.evidence.map((e, i) => (
            <li key={i}>
              <strong>{e.signal}</strong>: {e.value}
              {e.unit ? ` ${e.unit}` : ""}
              {e.detail ? ` · ${e.detail}` : ""} <span class="muted">({e.source}, {e.asOf})</span>
            </li>
          ))}
        </ul>
      </details>
      <footer class="rec-card-foot">
        <span class="muted">
          {rec.analyst === "claude" ? `Claude (${rec.model})` : "Offline analyst"} · data as of{" "}
          {rec.asOf}
          {rec.source === "replay" && (
            <>
              {" "}
              <span class="badge badge--replay" title="Signals from the replay of shipped history">
                REPLAY
              </span>
            </>
          )}
        </span>
        {children}
      </footer>
    </article>
  );
}
