import { useState } from "preact/hooks";
import { useFetched } from "../lib/client/use_fetched.ts";
import {
  byDay,
  DEFAULT_FILTERS,
  eventFigures,
  type FeedEvent,
  type FeedFilters,
  feedUrl,
  impactText,
  KIND_LABELS,
  SCOPE_LABELS,
  symbolHref,
} from "../lib/client/news/view.ts";
import { formatDate } from "../lib/shared/format.ts";
import { ExplainItem } from "../lib/client/news/ExplainItem.tsx";
import { AlpacaNews, type AlpacaNewsAnswer } from "../lib/client/news/AlpacaNews.tsx";

interface FeedAnswer {
  mode: "offline" | "alpaca";
  asOf: string;
  events: {
    from: string | null;
    through: string | null;
    symbols: string[];
    skipped: string[];
    events: FeedEvent[];
  };
  news: AlpacaNewsAnswer | null;
}

/**
 * The News Review feed: market events derived from prices as of the replayed day for the
 * user's positions, watchlist or everything, with filters; with Alpaca keys, also the real news
 * scored by the sentiment model. Each item has an Explain (the analyst, asked only on a click).
 */
export default function NewsFeed({ csrfToken }: { csrfToken: string }) {
  const [filters, setFilters] = useState<FeedFilters>(DEFAULT_FILTERS);
  // Typing in the search box waits a moment; a choice from a menu asks at once.
  const { answer, problem, busy } = useFetched<FeedAnswer>(
    feedUrl(filters),
    filters.symbol ? 300 : 0,
  );

  const set = (key: keyof FeedFilters) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    setFilters({ ...filters, [key]: key === "days" ? Number(value) : value });
  };
  const events = answer?.events.events ?? [];

  return (
    <section class="news-panel glass" aria-labelledby="news-feed-title" data-testid="news-feed">
      <header class="news-panel-header">
        <h2 id="news-feed-title" class="section-title">Market events</h2>
        <span
          class="badge badge--replay"
          title="Computed from the shipped daily prices; not news reports."
        >
          derived from prices
        </span>
      </header>
      <form
        class="sizer-form"
        onSubmit={(e) =>
          e.preventDefault()}
        aria-label="Filter the events"
      >
        <label>
          Show
          <select name="scope" value={filters.scope} onChange={set("scope")}>
            {Object.entries(SCOPE_LABELS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </label>
        <label>
          Symbol
          <input
            name="symbol"
            value={filters.symbol}
            onInput={set("symbol")}
            maxLength={10}
            placeholder="any"
          />
        </label>
        <label>
          Event
          <select name="kind" value={filters.kind} onChange={set("kind")}>
            <option value="">Any event</option>
            {Object.entries(KIND_LABELS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </label>
        <label>
          Period
          <select name="days" value={String(filters.days)} onChange={set("days")}>
            {[1, 5, 20, 60].map((d) => (
              <option key={d} value={d}>Last {d} trading day{d > 1 ? "s" : ""}</option>
            ))}
          </select>
        </label>
        {answer?.mode === "alpaca" && (
          <label>
            News sentiment
            <select name="sentiment" value={filters.sentiment} onChange={set("sentiment")}>
              <option value="">Any</option>
              <option value="bullish">Bullish</option>
              <option value="bearish">Bearish</option>
              <option value="neutral">Neutral</option>
            </select>
          </label>
        )}
      </form>
      {answer && (
        <p class="muted" data-testid="news-window">
          As of the replayed day {formatDate(answer.asOf)}: {answer.events.from
            ? `events from ${formatDate(answer.events.from)} through the close of ${
              formatDate(answer.events.through!)
            }`
            : "no completed trading days yet"}
          {answer.events.skipped.length > 0 &&
            ` (no history yet for ${answer.events.skipped.join(", ")})`}.
        </p>
      )}
      {problem && <p class="ticket-refusal" role="alert">{problem.message}</p>}
      {busy && <p class="muted" aria-live="polite" data-testid="news-loading">Loading events…</p>}
      {!busy && answer && events.length === 0 && (
        <p class="muted" data-testid="news-empty">
          {filters.scope !== "all" && answer.events.symbols.length === 0
            ? `No symbols in ${SCOPE_LABELS[filters.scope].toLowerCase()} yet.`
            : "No events match in this period."}
        </p>
      )}
      <div class="news-days" aria-busy={busy}>
        {byDay(events).map(([day, list]) => (
          <section key={day} class="news-day">
            <h3 class="news-day-title">{formatDate(day)}</h3>
            <ul class="news-list">
              {list.map((e) => (
                <EventItem key={`${e.symbol}-${e.kind}-${e.date}`} e={e} csrf={csrfToken} />
              ))}
            </ul>
          </section>
        ))}
      </div>
      {answer?.news && <AlpacaNews news={answer.news} csrf={csrfToken} />}
    </section>
  );
}

function EventItem({ e, csrf }: { e: FeedEvent; csrf: string }) {
  const href = symbolHref(e.symbol);
  const impact = impactText(e.position);
  return (
    <li class={`news-item news-item--${e.direction}`} data-testid="news-event">
      <div class="news-item-head">
        {href
          ? <a class="news-symbol" href={href}>{e.symbol}</a>
          : <span class="news-symbol">{e.symbol}</span>}
        <span class="news-kind">{KIND_LABELS[e.kind]}</span>
      </div>
      <p class="news-title">{e.title}</p>
      <p class="news-figures muted">{eventFigures(e).join(" · ")}</p>
      {e.summary && (
        <p class="news-summary" data-testid="news-summary">
          <span class="muted">Summary from prices:</span> {e.summary}
        </p>
      )}
      {impact && <p class="news-impact" data-testid="news-impact">{impact}</p>}
      <ExplainItem
        item={{ type: "event", symbol: e.symbol, date: e.date, kind: e.kind }}
        label={e.title}
        csrfToken={csrf}
      />
    </li>
  );
}
