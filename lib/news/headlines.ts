/**
 * The shipped labelled headlines as a browsable sample: an undated public dataset, each row
 * with the human label beside the model's prediction.
 */
import {
  type LabelledHeadline,
  loadDataset,
  type SentimentLabel,
} from "../ml/sentiment/dataset.ts";
import { loadModel } from "../ml/sentiment/model.ts";

export interface HeadlinesQuery {
  split?: "train" | "validation";
  label?: SentimentLabel;
  /** Case-insensitive substring of the text. */
  q?: string;
  /** Only the rows the model gets wrong. */
  misses?: boolean;
  page: number;
  pageSize: number;
}

export const DATASET_LABEL = "Undated public dataset (twitter-financial-news-sentiment, MIT)";

export async function headlinesPage(query: HeadlinesQuery) {
  const [rows, model] = await Promise.all([loadDataset(), loadModel()]);
  const needle = query.q?.toLowerCase();
  const predict = (r: LabelledHeadline) => model.predict(r.text);
  const matches = rows.filter((r) =>
    (!query.split || r.split === query.split) && (!query.label || r.label === query.label) &&
    (!needle || r.text.toLowerCase().includes(needle)) &&
    (!query.misses || predict(r).label !== r.label)
  );
  const start = (query.page - 1) * query.pageSize;
  return {
    source: "dataset" as const,
    dataset: DATASET_LABEL,
    dated: false,
    total: matches.length,
    page: query.page,
    pageSize: query.pageSize,
    rows: matches.slice(start, start + query.pageSize).map((r) => {
      const p = predict(r);
      return {
        id: r.id,
        split: r.split,
        text: r.text,
        tickers: r.tickers,
        label: r.label,
        predicted: { label: p.label, confidence: p.confidence },
        agrees: p.label === r.label,
      };
    }),
    model: { name: model.meta.name, validation: model.meta.validation },
  };
}
