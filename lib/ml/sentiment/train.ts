/**
 * Training the sentiment model: multinomial logistic regression fitted by seeded SGD with L2
 * regularisation (Bottou's decaying step), hyper-parameters chosen by k-fold cross-validation on
 * the training split only. Everything is deterministic for a given seed, so `deno task train`
 * writes the same weights every time.
 */
import { DIMENSIONS, fitIdf, type SparseVector, tokenize, vectorize } from "./features.ts";
import { type LabelledHeadline, LABELS, type SentimentLabel } from "./dataset.ts";
import { type ModelMeta, SentimentModel, softmax } from "./model.ts";

export interface TrainParams {
  /** L2 strength. */
  lambda: number;
  epochs: number;
  /** Weight classes by inverse frequency (helps the small bearish class, i.e. macro-F1). */
  balanced: boolean;
  seed: number;
}

export const DEFAULT_SEED = 17;

/** mulberry32: a small seeded generator, so the shuffles are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: T[], random: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Fits weights on vectorized examples; `y` holds label indices. */
export function fit(
  xs: SparseVector[],
  y: number[],
  p: TrainParams,
): { weights: Float32Array; bias: Float32Array } {
  const K = LABELS.length;
  // v holds the weights divided by the running shrink factor `scale` (lazy L2).
  const v = new Float64Array(K * DIMENSIONS);
  const bias = new Float64Array(K);
  let scale = 1;
  const counts = new Array(K).fill(0);
  for (const c of y) counts[c]++;
  const classWeight = counts.map((n) => p.balanced ? y.length / (K * Math.max(n, 1)) : 1);
  const random = rng(p.seed);
  const order = xs.map((_, i) => i);
  // Bottou's schedule: eta_t = 1 / (lambda * (t + t0)), t0 chosen so the first step is ~0.5.
  const t0 = 1 / (0.5 * p.lambda);
  let t = 0;
  const z = new Float64Array(K);
  // Averaging the weights of the second half of the epochs smooths out SGD's last steps.
  const avg = new Float64Array(K * DIMENSIONS);
  const avgBias = new Float64Array(K);
  let averaged = 0;
  for (let epoch = 0; epoch < p.epochs; epoch++) {
    for (const i of shuffled(order, random)) {
      const eta = 1 / (p.lambda * (t0 + t++));
      const x = xs[i];
      for (let c = 0; c < K; c++) {
        let s = bias[c];
        const off = c * DIMENSIONS;
        for (let j = 0; j < x.indices.length; j++) s += v[off + x.indices[j]] * x.values[j];
        // Only the weights carry the shrink factor, not the bias.
        z[c] = bias[c] + (s - bias[c]) * scale;
      }
      const prob = softmax(z);
      scale *= 1 - eta * p.lambda;
      if (scale < 1e-9) {
        for (let k = 0; k < v.length; k++) v[k] *= scale;
        scale = 1;
      }
      const w = classWeight[y[i]];
      for (let c = 0; c < K; c++) {
        const g = w * (prob[c] - (c === y[i] ? 1 : 0));
        if (g === 0) continue;
        const off = c * DIMENSIONS;
        const step = (eta * g) / scale;
        for (let j = 0; j < x.indices.length; j++) v[off + x.indices[j]] -= step * x.values[j];
        bias[c] -= eta * g * 0.1;
      }
    }
    if (epoch >= Math.floor(p.epochs / 2)) {
      for (let k = 0; k < v.length; k++) avg[k] += v[k] * scale;
      for (let c = 0; c < K; c++) avgBias[c] += bias[c];
      averaged++;
    }
  }
  const weights = new Float32Array(K * DIMENSIONS);
  for (let k = 0; k < v.length; k++) weights[k] = avg[k] / averaged;
  return { weights, bias: Float32Array.from(avgBias, (b) => b / averaged) };
}

export interface Evaluation {
  rows: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<
    SentimentLabel,
    { precision: number; recall: number; f1: number; support: number }
  >;
  /** confusion[true][predicted], in LABELS order. */
  confusion: number[][];
}

export function evaluate(truth: number[], predicted: number[]): Evaluation {
  const K = LABELS.length;
  const confusion = LABELS.map(() => new Array(K).fill(0));
  truth.forEach((t, i) => confusion[t][predicted[i]]++);
  let correct = 0;
  for (let c = 0; c < K; c++) correct += confusion[c][c];
  const perClass = {} as Evaluation["perClass"];
  let f1Sum = 0;
  LABELS.forEach((label, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, row) => a + row[c], 0);
    const precision = predictedC ? tp / predictedC : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    f1Sum += f1;
    perClass[label] = { precision, recall, f1, support };
  });
  return {
    rows: truth.length,
    accuracy: truth.length ? correct / truth.length : 0,
    macroF1: f1Sum / K,
    perClass,
    confusion,
  };
}

function argmaxScores(model: { weights: Float32Array; bias: Float32Array }, x: SparseVector) {
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0; c < LABELS.length; c++) {
    let s = model.bias[c];
    const off = c * DIMENSIONS;
    for (let j = 0; j < x.indices.length; j++) s += model.weights[off + x.indices[j]] * x.values[j];
    if (s > bestScore) [best, bestScore] = [c, s];
  }
  return best;
}

const labelIndex = (l: SentimentLabel) => LABELS.indexOf(l);

/** Mean macro-F1 and accuracy of `params` over k folds of `rows` (IDF refitted per fold). */
export function crossValidate(
  rows: LabelledHeadline[],
  params: TrainParams,
  folds = 5,
): { accuracy: number; macroF1: number } {
  const order = shuffled(rows.map((_, i) => i), rng(params.seed + 1));
  const tokens = rows.map((r) => tokenize(r.text));
  let acc = 0;
  let f1 = 0;
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, i) => i % folds === f);
    const train = order.filter((_, i) => i % folds !== f);
    const idf = fitIdf(train.map((i) => tokens[i]));
    const model = fit(
      train.map((i) => vectorize(tokens[i], idf)),
      train.map((i) => labelIndex(rows[i].label)),
      params,
    );
    const e = evaluate(
      test.map((i) => labelIndex(rows[i].label)),
      test.map((i) => argmaxScores(model, vectorize(tokens[i], idf))),
    );
    acc += e.accuracy / folds;
    f1 += e.macroF1 / folds;
  }
  return { accuracy: acc, macroF1: f1 };
}

/** Fits the final model on all of `rows` with `params`. */
export function trainModel(
  rows: LabelledHeadline[],
  params: TrainParams,
  meta: Omit<ModelMeta, "labels" | "dimensions" | "params" | "validation">,
): SentimentModel {
  const tokens = rows.map((r) => tokenize(r.text));
  const idf = fitIdf(tokens);
  const { weights, bias } = fit(
    tokens.map((t) => vectorize(t, idf)),
    rows.map((r) => labelIndex(r.label)),
    params,
  );
  return new SentimentModel(
    {
      ...meta,
      labels: LABELS,
      dimensions: DIMENSIONS,
      params: { ...params },
      validation: { rows: 0, accuracy: 0, macroF1: 0 },
    },
    idf,
    weights,
    bias,
  );
}

/** The model's figures on labelled rows. */
export function evaluateModel(model: SentimentModel, rows: LabelledHeadline[]): Evaluation {
  return evaluate(
    rows.map((r) => labelIndex(r.label)),
    rows.map((r) => labelIndex(model.predict(r.text).label)),
  );
}
