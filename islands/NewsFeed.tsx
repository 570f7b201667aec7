import { useState } from "preact/hooks";
import { useFetched } from "../lib/client/use_fetched.ts";
import {
  byDay,
  confidenceText,
  DEFAULT_FILTERS,
  eventFigures,
  type FeedEvent,
  type FeedFilters,
  feedUrl,
  impactText,
  KIND_LABELS,
  SCOPE_LABELS,
  type SentimentLabel,
  symbolHref,
} from "../lib/client/news/view.ts";
import { formatDate } from "../lib/shared/format.ts";

interface NewsItem {
  id: string;
  headline: string;
  summary: string;
  createdAt: string;
  url: string | null;
  symbols: string[];
  source: string;
  sentiment: { label: SentimentLabel; confidence: number };
}

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
  news: {
    items: NewsItem[];
    truncated: boolean;
    sentimentOverTime: Record<
      string,
      { date: string; bullish: number; bearish: number; neutral: number; net: number }[]
    >;
  } | null;
}

/**
 * The News Review feed: market events derived from prices as of the replayed day for the
 * user's positions, watchlist or everything, with filters; with Alpaca keys, also the real news
 * scored by the sentiment model.
 */
export default function NewsFeed() {
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
              {list.map((e) => <EventItem key={`${e.symbol}-${e.kind}-${e.date}`} e={e} />)}
            </ul>
          </section>
        ))}
      </div>
      {answer?.news && <AlpacaNews news={answer.news} />}
    </section>
  );
}

function EventItem({ e }: { e: FeedEvent }) {
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
    </li>
  );
}

function AlpacaNews({ news }: { news: NonNullable<FeedAnswer["news"]> }) {
  return (
    <section class="news-alpaca" aria-labelledby="alpaca-news-title" data-testid="alpaca-news">
      <h3 id="alpaca-news-title" class="section-title">Alpaca news, scored by the model</h3>
      {news.items.length === 0 && <p class="muted">No news in this period.</p>}
      <ul class="news-list">
        {news.items.map((n) => (
          <li key={n.id} class="news-item">
            <div class="news-item-head">
              {n.symbols.slice(0, 4).map((s) => (
                <a key={s} class="news-symbol" href={`/symbol/${encodeURIComponent(s)}`}>{s}</a>
              ))}
              <span class={`sentiment-badge sentiment-badge--${n.sentiment.label}`}>
                {n.sentiment.label} {confidenceText(n.sentiment.confidence)}
              </span>
              <span class="muted">
                {new Date(n.createdAt).toLocaleString("en-US")} · {n.source}
              </span>
            </div>
            <p class="news-title">
              {n.url
                ? <a href={n.url} rel="noopener noreferrer" target="_blank">{n.headline}</a>
                : n.headline}
            </p>
            {n.summary && <p class="muted">{n.summary}</p>}
          </li>
        ))}
      </ul>
      {Object.keys(news.sentimentOverTime).length > 0 && (
        <table class="news-table">
          <caption>Sentiment by symbol and day (model labels: bullish / bearish / neutral)</caption>
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Day</th>
              <th scope="col">Bullish</th>
              <th scope="col">Bearish</th>
              <th scope="col">Neutral</th>
              <th scope="col">Net</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(news.sentimentOverTime).flatMap(([symbol, days]) =>
              days.map((d) => (
                <tr key={`${symbol}-${d.date}`}>
                  <td>{symbol}</td>
                  <td>{formatDate(d.date)}</td>
                  <td>{d.bullish}</td>
                  <td>{d.bearish}</td>
                  <td>{d.neutral}</td>
                  <td>{d.net.toFixed(2)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
