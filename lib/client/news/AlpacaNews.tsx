/**
 * The Alpaca news part of the News feed: each item with the model's sentiment badge and an
 * Explain, and the per-symbol sentiment by day.
 */
import { confidenceText, type SentimentLabel } from "./view.ts";
import { formatDate } from "../../shared/format.ts";
import { ExplainItem } from "./ExplainItem.tsx";

export interface NewsItem {
  id: string;
  headline: string;
  summary: string;
  createdAt: string;
  url: string | null;
  symbols: string[];
  source: string;
  sentiment: { label: SentimentLabel; confidence: number };
}

export interface AlpacaNewsAnswer {
  items: NewsItem[];
  truncated: boolean;
  sentimentOverTime: Record<
    string,
    { date: string; bullish: number; bearish: number; neutral: number; net: number }[]
  >;
}

export function AlpacaNews({ news, csrf }: { news: AlpacaNewsAnswer; csrf: string }) {
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
            {n.symbols[0] && (
              <ExplainItem
                item={{ type: "news", id: n.id, symbol: n.symbols[0], createdAt: n.createdAt }}
                label={n.headline}
                csrfToken={csrf}
              />
            )}
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
