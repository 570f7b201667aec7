/**
 * "Explain" on one News item: nothing is asked until the button is pressed; then the analyst's
 * summary (`POST /api/news/explain`), what it could mean for the user's own position (shares,
 * USD, %), the figures it rests on with their source and day, any figure the grounding check
 * could not trace, and which analyst wrote it.
 */
import { useState } from "preact/hooks";
import { callApi } from "../trading_fetch.ts";
import { type ExplainAnswer, type ExplainRef, figureText, positionLine } from "./explain.ts";

type View =
  | { state: "idle" }
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ready"; data: ExplainAnswer };

export function ExplainItem(
  { item, csrfToken, label }: { item: ExplainRef; csrfToken: string; label: string },
) {
  const [view, setView] = useState<View>({ state: "idle" });
  const [open, setOpen] = useState(false);

  const explain = async () => {
    if (view.state === "ready") return setOpen(!open);
    setOpen(true);
    setView({ state: "loading" });
    const r = await callApi<ExplainAnswer>("/api/news/explain", {
      method: "POST",
      body: item,
      csrfToken,
    });
    setView(
      r.ok ? { state: "ready", data: r.data } : { state: "error", message: r.problem.message },
    );
  };

  return (
    <div class="news-explain" data-testid="news-explain">
      <button
        type="button"
        class="button button--small"
        onClick={explain}
        disabled={view.state === "loading"}
        aria-expanded={open}
        aria-label={`Explain ${label}`}
        data-testid="news-explain-button"
      >
        {view.state === "loading"
          ? "Explaining…"
          : view.state === "ready" && open
          ? "Hide explanation"
          : "Explain"}
      </button>
      {open && (
        <div aria-live="polite" aria-busy={view.state === "loading"}>
          {view.state === "loading" && <p class="muted">The analyst is reading the item…</p>}
          {view.state === "error" && (
            <p class="ticket-refusal" role="alert" data-testid="news-explain-error">
              Could not explain it: {view.message}
            </p>
          )}
          {view.state === "ready" && <Explanation data={view.data} />}
        </div>
      )}
    </div>
  );
}

function Explanation({ data }: { data: ExplainAnswer }) {
  const p = data.forPosition;
  return (
    <article class="news-explanation" data-testid="news-explanation">
      <p class="muted">
        <span class="badge" data-testid="news-explain-analyst">
          {data.analyst === "claude" ? `Claude (${data.model})` : "Offline analyst"}
        </span>{" "}
        prices as of the replayed day {data.asOf}
      </p>
      <p data-testid="news-explain-summary">{data.summary}</p>
      {p && (
        <div class="news-explain-position" data-testid="news-explain-position">
          <p class="muted">{positionLine(p)}</p>
          <p>{p.whatItCouldMean}</p>
        </div>
      )}
      {data.unverified.length > 0 && (
        <p class="ticket-refusal" data-testid="news-explain-unverified">
          Not found in the item or your position (treat with care): {data.unverified.join(", ")}
        </p>
      )}
      {data.figures.length > 0 && (
        <table class="news-table news-explain-figures">
          <caption>Figures it rests on</caption>
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
              <th scope="col">As of</th>
            </tr>
          </thead>
          <tbody>
            {data.figures.map((f, i) => (
              <tr key={i}>
                <td>{f.label}</td>
                <td class="num">{figureText(f)}</td>
                <td>{f.source}</td>
                <td>{f.asOf}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
