/**
 * The sentiment model at serving time: a multinomial logistic regression over the hashed
 * features of features.ts. Weights are loaded from `data/ml/sentiment_model.bin.gz`, written by
 * `deno task train` (train_cli.ts).
 */
import { DIMENSIONS, hash, tokenize, vectorize, wordKeys } from "./features.ts";
import { LABELS, type SentimentLabel } from "./dataset.ts";

export const MODEL_URL = new URL("../../../data/ml/sentiment_model.bin.gz", import.meta.url);

export interface ModelMeta {
  /** Model name and version shown by the API, e.g. `paiid-sentiment-v1`. */
  name: string;
  labels: readonly SentimentLabel[];
  dimensions: number;
  /** Hyper-parameters chosen by cross-validation on the training split. */
  params: Record<string, number | string | boolean>;
  /** Validation-split figures measured when the weights were written. */
  validation: { rows: number; accuracy: number; macroF1: number };
}

export interface Prediction {
  label: SentimentLabel;
  confidence: number;
  scores: Record<SentimentLabel, number>;
}

export interface WordWeight {
  word: string;
  /** How much the word pushed towards the predicted label (negative: away from it). */
  weight: number;
}

export class SentimentModel {
  constructor(
    readonly meta: ModelMeta,
    readonly idf: Float32Array,
    /** Class-major weights: `weights[c * DIMENSIONS + b]`. */
    readonly weights: Float32Array,
    readonly bias: Float32Array,
  ) {
    if (idf.length !== DIMENSIONS || weights.length !== LABELS.length * DIMENSIONS) {
      throw new Error("sentiment weights do not match the feature dimensions");
    }
  }

  /** Class probabilities of one text. */
  probabilities(text: string): Float64Array {
    const x = vectorize(tokenize(text), this.idf);
    const z = new Float64Array(LABELS.length);
    for (let c = 0; c < LABELS.length; c++) {
      let s = this.bias[c];
      const off = c * DIMENSIONS;
      for (let i = 0; i < x.indices.length; i++) {
        s += this.weights[off + x.indices[i]] * x.values[i];
      }
      z[c] = s;
    }
    return softmax(z);
  }

  predict(text: string): Prediction {
    const p = this.probabilities(text);
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    const scores = {} as Record<SentimentLabel, number>;
    LABELS.forEach((l, c) => scores[l] = round4(p[c]));
    return { label: LABELS[best], confidence: round4(p[best]), scores };
  }

  /**
   * The words that drove the prediction towards `label`: for each distinct word, the summed
   * margin (the label's weight minus the mean of the others) of its unigram and character
   * n-gram features, at the values they take in this text. Bigrams are left out, so these are
   * the words' own pulls, strongest first.
   */
  explain(text: string, label: SentimentLabel, top = 6): WordWeight[] {
    const tokens = tokenize(text);
    const x = vectorize(tokens, this.idf);
    const value = new Map<number, number>();
    x.indices.forEach((b, i) => value.set(b, x.values[i]));
    const c = LABELS.indexOf(label);
    const seen = new Set<string>();
    const out: WordWeight[] = [];
    for (const word of tokens) {
      if (seen.has(word) || word === "_ticker" || /^[+\-!?%0.]+$/.test(word)) continue;
      seen.add(word);
      let w = 0;
      for (const key of new Set(wordKeys(word))) {
        const b = hash(key) & (DIMENSIONS - 1);
        const v = value.get(b) ?? 0;
        let others = 0;
        for (let k = 0; k < LABELS.length; k++) {
          if (k !== c) others += this.weights[k * DIMENSIONS + b];
        }
        w += v * (this.weights[c * DIMENSIONS + b] - others / (LABELS.length - 1));
      }
      out.push({ word, weight: round4(w) });
    }
    return out.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, top);
  }

  /** The file format: magic, meta JSON length, meta JSON, idf, weights, bias (little-endian). */
  serialize(): Uint8Array<ArrayBuffer> {
    const meta = new TextEncoder().encode(JSON.stringify(this.meta));
    const head = 8 + meta.length;
    const pad = (4 - (head % 4)) % 4;
    const floats = this.idf.length + this.weights.length + this.bias.length;
    const out = new Uint8Array(head + pad + floats * 4);
    const view = new DataView(out.buffer);
    out.set(new TextEncoder().encode("PSM1"), 0);
    view.setUint32(4, meta.length, true);
    out.set(meta, 8);
    let at = head + pad;
    for (const arr of [this.idf, this.weights, this.bias]) {
      for (let i = 0; i < arr.length; i++, at += 4) view.setFloat32(at, arr[i], true);
    }
    return out;
  }

  static deserialize(bytes: Uint8Array): SentimentModel {
    if (new TextDecoder().decode(bytes.subarray(0, 4)) !== "PSM1") {
      throw new Error("not a sentiment model file");
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const metaLen = view.getUint32(4, true);
    const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + metaLen))) as ModelMeta;
    const head = 8 + metaLen;
    let at = head + (4 - (head % 4)) % 4;
    const read = (n: number) => {
      const arr = new Float32Array(n);
      for (let i = 0; i < n; i++, at += 4) arr[i] = view.getFloat32(at, true);
      return arr;
    };
    const idf = read(DIMENSIONS);
    const weights = read(LABELS.length * DIMENSIONS);
    const bias = read(LABELS.length);
    return new SentimentModel(meta, idf, weights, bias);
  }
}

export function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  const p = new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += p[i] = Math.exp(z[i] - max);
  for (let i = 0; i < z.length; i++) p[i] /= sum;
  return p;
}

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

let shipped: Promise<SentimentModel> | undefined;

/** The shipped model, read once per process. */
export function loadModel(): Promise<SentimentModel> {
  shipped ??= Deno.readFile(MODEL_URL).then(gunzip).then(SentimentModel.deserialize);
  shipped.catch(() => shipped = undefined);
  return shipped;
}
