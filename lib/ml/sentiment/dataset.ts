/**
 * The shipped labelled headlines (data/news/twitter_financial_news_sentiment.csv.gz): finance-news
 * tweets with a human sentiment label, split into the dataset's own train and validation sets.
 * They carry no dates, so nothing may present them as news of a replayed day.
 */

export const LABELS = ["bearish", "bullish", "neutral"] as const;
export type SentimentLabel = typeof LABELS[number];

export interface LabelledHeadline {
  /** Row number in the file (0-based, header excluded), a stable id for the sample browser. */
  id: number;
  split: "train" | "validation";
  label: SentimentLabel;
  tickers: string[];
  text: string;
}

export const DATASET_URL = new URL(
  "../../../data/news/twitter_financial_news_sentiment.csv.gz",
  import.meta.url,
);

/** Splits CSV text into records; quoted fields may hold commas, doubled quotes and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses the dataset's CSV (`split,label,sentiment,tickers,text`). */
export function parseDataset(text: string): LabelledHeadline[] {
  const [header, ...body] = parseCsv(text);
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`dataset has no ${name} column`);
    return i;
  };
  const [iSplit, iSent, iTick, iText] = [
    col("split"),
    col("sentiment"),
    col("tickers"),
    col("text"),
  ];
  const out: LabelledHeadline[] = [];
  for (const f of body) {
    if (f.length < header.length) continue;
    const split = f[iSplit];
    const label = f[iSent] as SentimentLabel;
    if ((split !== "train" && split !== "validation") || !LABELS.includes(label)) {
      throw new Error(`bad dataset row ${out.length}: ${f.join(",")}`);
    }
    out.push({
      id: out.length,
      split,
      label,
      tickers: f[iTick] ? f[iTick].split(" ").filter(Boolean) : [],
      text: f[iText],
    });
  }
  return out;
}

let cached: Promise<LabelledHeadline[]> | undefined;

/** The whole dataset, read and parsed once per process. */
export function loadDataset(url: URL = DATASET_URL): Promise<LabelledHeadline[]> {
  if (url.href !== DATASET_URL.href) return readDataset(url);
  cached ??= readDataset(url);
  cached.catch(() => cached = undefined);
  return cached;
}

async function readDataset(url: URL): Promise<LabelledHeadline[]> {
  const bytes = await Deno.readFile(url);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return parseDataset(await new Response(stream).text());
}
