/**
 * Text → sparse hashed features for the sentiment model: word 1-2-grams and character 2-5-grams
 * inside words (with word-boundary padding), each group TF-IDF weighted (sublinear tf) and
 * L2-normalised. Hashing keeps the shipped weights a fixed, small size with no vocabulary file.
 */

/** Number of hash buckets (2^18): collisions cost well under a point of accuracy here. */
export const DIMENSIONS = 1 << 18;
export const CHAR_MIN = 2;
export const CHAR_MAX = 5;

/** A sparse vector: sorted unique indices with their values. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** The words of a text after cleaning, in order; what the model (and its explanations) sees. */
export function tokenize(text: string): string[] {
  const cleaned = text
    .toLowerCase()
    // Links are shortened t.co ids: random strings that only add noise.
    .replace(/https?:\/\/\S+/g, " ")
    // A cashtag says "about a stock", not which one should be bullish.
    .replace(/\$[a-z][a-z.]*/g, " _ticker ")
    .replace(/\d+/g, "0");
  return cleaned.match(/_ticker|[a-z0-9][a-z0-9'.%]*[a-z0-9%]|[a-z0-9%]|[+\-!?]/g) ?? [];
}

/** 32-bit FNV-1a of a string, the same in training and serving. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const bucket = (key: string) => hash(key) & (DIMENSIONS - 1);

/** The feature keys one word contributes by itself (its unigram and its character n-grams). */
export function wordKeys(word: string): string[] {
  const keys = [`w:${word}`];
  const padded = ` ${word} `;
  for (let n = CHAR_MIN; n <= CHAR_MAX; n++) {
    for (let i = 0; i + n <= padded.length; i++) keys.push(`c:${padded.slice(i, i + n)}`);
  }
  return keys;
}

/** Raw term counts per group, keyed by bucket. */
export function countFeatures(
  tokens: string[],
): { words: Map<number, number>; chars: Map<number, number> } {
  const words = new Map<number, number>();
  const chars = new Map<number, number>();
  const add = (m: Map<number, number>, key: string) => {
    const b = bucket(key);
    m.set(b, (m.get(b) ?? 0) + 1);
  };
  for (let i = 0; i < tokens.length; i++) {
    const keys = wordKeys(tokens[i]);
    add(words, keys[0]);
    for (let k = 1; k < keys.length; k++) add(chars, keys[k]);
    if (i + 1 < tokens.length) add(words, `b:${tokens[i]} ${tokens[i + 1]}`);
  }
  return { words, chars };
}

/** Smoothed inverse document frequency per bucket, learned from the training texts only. */
export function fitIdf(docs: string[][]): Float32Array {
  const df = new Uint32Array(DIMENSIONS);
  for (const tokens of docs) {
    const { words, chars } = countFeatures(tokens);
    for (const b of words.keys()) df[b]++;
    for (const b of chars.keys()) df[b]++;
  }
  const idf = new Float32Array(DIMENSIONS);
  const n = docs.length;
  for (let b = 0; b < DIMENSIONS; b++) idf[b] = Math.log((1 + n) / (1 + df[b])) + 1;
  return idf;
}

/** The L2-normalised TF-IDF vector of a tokenized text. */
export function vectorize(tokens: string[], idf: Float32Array): SparseVector {
  const { words, chars } = countFeatures(tokens);
  const merged = new Map<number, number>();
  for (const group of [words, chars]) {
    let norm = 0;
    const weighted: [number, number][] = [];
    for (const [b, tf] of group) {
      const v = (1 + Math.log(tf)) * idf[b];
      weighted.push([b, v]);
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [b, v] of weighted) merged.set(b, (merged.get(b) ?? 0) + v / norm);
  }
  const indices = Uint32Array.from([...merged.keys()].sort((a, b) => a - b));
  const values = new Float32Array(indices.length);
  indices.forEach((b, i) => values[i] = merged.get(b)!);
  return { indices, values };
}
