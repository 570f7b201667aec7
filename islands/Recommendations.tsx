import { RecCard } from "../components/recommendations/RecCard.tsx";
import { useRecs } from "../lib/client/recommendations/use_recs.ts";
import { proposalFor, type RecView } from "../lib/shared/recommendation.ts";

/**
 * The live recommendations as cards, "Refresh ideas" with its progress, and each card's
 * dismiss, snooze (one day or a week) and "Make a proposal".
 */
export default function Recommendations(
  { initial, csrfToken, analyst }: { initial: RecView[]; csrfToken: string; analyst: string },
) {
  const s = useRecs(initial, csrfToken);
  return (
    <section class="recs" aria-labelledby="recs-title" data-testid="recommendations">
      <div class="recs-toolbar">
        <h2 id="recs-title" class="section-title">Ideas</h2>
        <button
          type="button"
          class="button"
          onClick={() => void s.runRefresh()}
          disabled={s.refresh !== null}
          data-testid="recs-refresh"
        >
          Refresh ideas
        </button>
        <span class="muted">
          {analyst === "claude" ? "Claude analyst" : "Offline analyst (no API key): fixed rules"}
        </span>
      </div>
      {s.refresh && (
        <div class="recs-progress" role="status" aria-live="polite">
          <progress max={1} value={s.refresh.progress} /> {s.refresh.message}
        </div>
      )}
      {s.problem && <p class="ticket-refusal" role="alert">{s.problem}</p>}
      {s.recs.length === 0 && !s.refresh && (
        <p class="muted" data-testid="recs-empty">
          No live ideas. Refresh to have the analyst read today's signals.
        </p>
      )}
      <div class="recs-grid">
        {s.recs.map((r) => (
          <RecCard key={r.id} rec={r}>
            <div class="rec-actions">
              {proposalFor(r) && (
                <button
                  type="button"
                  class={`button button--small rec-propose rec-propose--${r.action}`}
                  onClick={() => void s.propose(r)}
                >
                  Make a proposal
                </button>
              )}
              <button
                type="button"
                class="button button--small"
                onClick={() => void s.snooze(r, 1)}
              >
                Snooze a day
              </button>
              <button
                type="button"
                class="button button--small"
                onClick={() => void s.snooze(r, 7)}
              >
                Snooze a week
              </button>
              <button type="button" class="button button--small" onClick={() => void s.dismiss(r)}>
                Dismiss
              </button>
            </div>
            {s.notes[r.id] && <p class="muted" role="status">{s.notes[r.id]}</p>}
          </RecCard>
        ))}
      </div>
    </section>
  );
}
