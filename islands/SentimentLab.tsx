import { useState } from "preact/hooks";
import type { ApiProblem } from "../lib/client/trading_api.ts";
import { callApi } from "../lib/client/trading_fetch.ts";
import { confidenceText, type SentimentLabel } from "../lib/client/news/view.ts";

interface Scored {
  label: SentimentLabel;
  confidence: number;
  scores: Record<SentimentLabel, number>;
  words: { word: string; weight: number }[];
}

const LABELS: SentimentLabel[] = ["bearish", "bullish", "neutral"];

/** Paste a headline, see the model's label, its confidence and the words that drove it. */
export default function SentimentLab({ csrfToken }: { csrfToken: string }) {
  const [text, setText] = useState("");
  const [result, setResult] = useState<Scored | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setProblem(null);
    const res = await callApi<{ results: Scored[] }>("/api/ml-sentiment", {
      method: "POST",
      body: { texts: [text], explain: true },
      csrfToken,
    });
    setBusy(false);
    if (res.ok) setResult(res.data.results[0]);
    else {
      setResult(null);
      setProblem(res.problem);
    }
  };

  return (
    <section class="news-panel glass" aria-labelledby="lab-title" data-testid="sentiment-lab">
      <h2 id="lab-title" class="section-title">Sentiment lab</h2>
      <form class="lab-form" onSubmit={submit}>
        <label for="lab-text">Headline (up to 1,000 characters)</label>
        <textarea
          id="lab-text"
          name="text"
          rows={3}
          maxLength={1000}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          placeholder="e.g. $AAPL upgraded to buy at Goldman Sachs"
        />
        <button
          class="button"
          type="submit"
          disabled={busy || !text.trim()}
          data-testid="lab-submit"
        >
          {busy ? "Scoring…" : "Score it"}
        </button>
      </form>
      {problem && <p class="ticket-refusal" role="alert">{problem.message}</p>}
      {result && (
        <div class="lab-result" aria-live="polite" data-testid="lab-result">
          <p>
            <span
              class={`sentiment-badge sentiment-badge--${result.label}`}
              data-testid="lab-label"
            >
              {result.label}
            </span>{" "}
            confidence {confidenceText(result.confidence)}
          </p>
          <dl class="lab-scores">
            {LABELS.map((l) => (
              <div key={l}>
                <dt>{l}</dt>
                <dd>
                  <meter min={0} max={1} value={result.scores[l]} aria-label={`${l} probability`} />
                  {" "}
                  {confidenceText(result.scores[l])}
                </dd>
              </div>
            ))}
          </dl>
          {result.words.length > 0 && (
            <p class="muted" data-testid="lab-words">
              Words that drove it: {result.words.map((w, i) => (
                <span key={w.word}>
                  {i > 0 && ", "}
                  <strong>{w.word}</strong> ({w.weight > 0 ? "towards" : "away from"}{" "}
                  {result.label}, {w.weight.toFixed(2)})
                </span>
              ))}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
