import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import { ReplayLabel } from "../components/ReplayLabel.tsx";
import { loadModel, type ModelMeta } from "../lib/ml/sentiment/model.ts";
import { asOfDay } from "../lib/news/service.ts";
import NewsFeed from "../islands/NewsFeed.tsx";
import SentimentLab from "../islands/SentimentLab.tsx";
import HeadlineSample from "../islands/HeadlineSample.tsx";

interface Data {
  /** The replayed day, when prices are replayed and the day could be read. */
  replayDate: string | null;
  model: ModelMeta;
  offline: boolean;
}

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const { market, config } = ctx.state.services;
    let replayDate: string | null = null;
    if (market.source === "replay") {
      try {
        replayDate = await asOfDay(market);
      } catch {
        // The feed island reads the day itself and shows the error if it persists.
      }
    }
    const model = (await loadModel()).meta;
    return ctx.render({ replayDate, model, offline: !config.ALPACA_KEY_ID });
  },
};

/**
 * News Review. Offline (no Alpaca keys) it shows only what is real: market events derived from
 * the shipped prices as of the replayed day, the sentiment lab, and the labelled headlines as an
 * undated sample.
 */
export default function NewsPage({ data, state }: PageProps<Data, State>) {
  const stage = stageById("news");
  const v = data.model.validation;
  return (
    <div class="ticket-page" style={`--stage-color: ${stage.color}`} data-testid="news-stage">
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">{stage.name}</h1>
        <p class="muted">
          {data.offline
            ? "No news archive exists for the replayed years, so nothing here is invented: the events below are computed from the shipped daily prices, up to the last close before the replayed day."
            : "Alpaca news scored by PaiiD's sentiment model, beside the market events computed from prices."}
        </p>
        {data.replayDate && (
          <ReplayLabel
            id="news-replay"
            date={data.replayDate}
            note="Events are computed from completed daily bars before this day."
            testId="news-replay-label"
          />
        )}
      </header>
      <NewsFeed csrfToken={state.csrfToken ?? ""} />
      <SentimentLab csrfToken={state.csrfToken ?? ""} />
      <p class="muted news-model" data-testid="news-model">
        Model{" "}
        {data.model.name}: word and character n-grams with logistic regression, trained on the
        dataset's training split. On its validation split ({v.rows.toLocaleString("en-US")}{" "}
        rows): accuracy {(v.accuracy * 100).toFixed(1)} %, macro-F1{" "}
        {v.macroF1.toFixed(3)}. It reads the tone of short finance texts, not their market impact
        (see lib/ml/sentiment/MODEL_CARD.md).
      </p>
      <HeadlineSample />
    </div>
  );
}
