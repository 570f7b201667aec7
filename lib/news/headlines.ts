/**
 * The shipped labelled headlines as a browsable sample: an undated public dataset, each row
 * with the human label beside the model's prediction.
 */
import {
  type LabelledHeadline,
  loadDataset,
  type SentimentLabel,
} from "../ml/sentiment/dataset.ts";
import { loadModel, type Prediction, type SentimentModel } from "../ml/sentiment/model.ts";

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

const predictions: { model: SentimentModel | null; byId: Map<number, Prediction> } = {
  model: null,
  byId: new Map(),
};

export const DATASET_LABEL = "Undated public dataset (twitter-financial-news-sentiment, MIT)";

export async function headlinesPage(query: HeadlinesQuery) {
  const [rows, model] = await Promise.all([loadDataset(), loadModel()]);
  const needle = query.q?.toLowerCase();
  // The model and the rows are fixed for the life of the process, so each row is scored once.
  if (predictions.model !== model) {
    predictions.model = model;
    predictions.byId.clear();
  }
  const predict = (r: LabelledHeadline) => {
    let p = predictions.byId.get(r.id);
    if (!p) predictions.byId.set(r.id, p = model.predict(r.text));
    return p;
  };
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
