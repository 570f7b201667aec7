import { useState } from "preact/hooks";
import { useFetched } from "../lib/client/use_fetched.ts";
import {
  confidenceText,
  DEFAULT_SAMPLE,
  SAMPLE_PAGE_SIZE,
  type SampleFilters,
  sampleUrl,
  type SentimentLabel,
} from "../lib/client/news/view.ts";

interface SampleAnswer {
  dataset: string;
  total: number;
  page: number;
  rows: {
    id: number;
    split: string;
    text: string;
    label: SentimentLabel;
    predicted: { label: SentimentLabel; confidence: number };
    agrees: boolean;
  }[];
}

/** The shipped labelled headlines: an undated sample, the human label beside the model's. */
export default function HeadlineSample() {
  const [filters, setFilters] = useState<SampleFilters>(DEFAULT_SAMPLE);
  // Typing in the search box waits a moment; a choice from a menu asks at once.
  const { answer, problem, busy } = useFetched<SampleAnswer>(
    sampleUrl(filters),
    filters.q ? 300 : 0,
  );

  const set = (key: keyof SampleFilters) => (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    setFilters({ ...filters, [key]: key === "misses" ? el.checked : el.value, page: 1 });
  };
  const pages = answer ? Math.max(1, Math.ceil(answer.total / SAMPLE_PAGE_SIZE)) : 1;

  return (
    <section class="news-panel glass" aria-labelledby="sample-title" data-testid="headline-sample">
      <header class="news-panel-header">
        <h2 id="sample-title" class="section-title">Labelled headlines</h2>
        <span
          class="badge badge--todo"
          title="These rows carry no dates: they are not news of any replayed day."
        >
          undated public dataset
        </span>
      </header>
      <p class="muted">
        {answer?.dataset ?? "Undated public dataset"}: finance-news tweets labelled by people, shown
        as a sample with the model's prediction beside the human label. They are not news of the
        replayed day.
      </p>
      <form
        class="sizer-form"
        onSubmit={(e) =>
          e.preventDefault()}
        aria-label="Filter the sample"
      >
        <label>
          Split
          <select name="split" value={filters.split} onChange={set("split")}>
            <option value="validation">Validation</option>
            <option value="train">Training</option>
            <option value="">Both</option>
          </select>
        </label>
        <label>
          Human label
          <select name="label" value={filters.label} onChange={set("label")}>
            <option value="">Any</option>
            <option value="bullish">Bullish</option>
            <option value="bearish">Bearish</option>
            <option value="neutral">Neutral</option>
          </select>
        </label>
        <label>
          Text contains
          <input name="q" value={filters.q} onInput={set("q")} maxLength={100} />
        </label>
        <label class="check-label">
          <input type="checkbox" name="misses" checked={filters.misses} onChange={set("misses")} />
          Only where the model disagrees
        </label>
      </form>
      {problem && <p class="ticket-refusal" role="alert">{problem.message}</p>}
      {busy && !answer && <p class="muted">Loading the sample…</p>}
      {answer && answer.total === 0 && <p class="muted">No rows match.</p>}
      {answer && answer.total > 0 && (
        <>
          <table class="news-table" aria-busy={busy}>
            <caption class="muted">
              {answer.total.toLocaleString("en-US")} rows · page {answer.page} of {pages}
            </caption>
            <thead>
              <tr>
                <th scope="col">Text</th>
                <th scope="col">Human label</th>
                <th scope="col">Model</th>
              </tr>
            </thead>
            <tbody>
              {answer.rows.map((r) => (
                <tr key={r.id} data-testid="sample-row">
                  <td class="news-sample-text">{r.text}</td>
                  <td>
                    <span class={`sentiment-badge sentiment-badge--${r.label}`}>{r.label}</span>
                  </td>
                  <td>
                    <span class={`sentiment-badge sentiment-badge--${r.predicted.label}`}>
                      {r.predicted.label}
                    </span>{" "}
                    {confidenceText(r.predicted.confidence)}
                    {!r.agrees && <span class="muted">(disagrees)</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="news-pager" aria-label="Sample pages">
            <button
              class="button"
              type="button"
              disabled={filters.page <= 1 || busy}
              onClick={() => setFilters({ ...filters, page: filters.page - 1 })}
            >
              Previous
            </button>
            <button
              class="button"
              type="button"
              disabled={filters.page >= pages || busy}
              onClick={() =>
                setFilters({ ...filters, page: filters.page + 1 })}
            >
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
