/**
 * Market regime: k-means (ml-kmeans, k-means++ seeding with a fixed seed) over four daily
 * features of the S&P 500 and the VIX, each standardized with the training set's mean and
 * standard deviation:
 *
 * - `return20`: the S&P 500's 20-day return, %;
 * - `vol20`: its realized volatility over 20 daily log returns, annualized, %;
 * - `vix`: the VIX close;
 * - `vixChange5`: the VIX's 5-day change, %.
 *
 * The clusters are named by their statistics (see `nameStates`), and each carries the S&P 500's
 * measured forward return over the days that fell in it. Features on day t read closes through
 * t only; forward returns read t + 20 and exist only for the record.
 *
 * @module
 */
import { kmeans } from "ml-kmeans";

export const FEATURES = ["return20", "vol20", "vix", "vixChange5"] as const;
export type Feature = typeof FEATURES[number];
export const FORWARD_DAYS = 20;

export interface Closes {
  dates: readonly string[];
  close: ArrayLike<number>;
}

export interface FeatureRow {
  date: string;
  x: number[];
  /** The S&P 500's return over the next FORWARD_DAYS days (%), null near the end. */
  forward: number | null;
}

export interface RegimeState {
  id: number;
  name: string;
  /** Mean of each feature over the state's training days, raw units. */
  means: Record<Feature, number>;
  days: number;
  /** S&P 500 forward returns of the training days in this state. */
  forward: { days: number; n: number; mean: number; hitRate: number };
}

export interface RegimeModel {
  version: 1;
  k: number;
  seed: number;
  trainedFrom: string;
  trainedThrough: string;
  scale: { mean: number[]; sd: number[] };
  /** Centroids in standardized units, indexed by state id. */
  centroids: number[][];
  states: RegimeState[];
}

/** Feature rows for every S&P 500 day with 20 days behind it and a VIX close on it. */
export function regimeFeatures(spx: Closes, vix: Closes): FeatureRow[] {
  const vixRow = new Map<string, number>();
  vix.dates.forEach((d, i) => vixRow.set(d, i));
  const out: FeatureRow[] = [];
  const c = spx.close;
  for (let t = 20; t < spx.dates.length; t++) {
    const v = vixRow.get(spx.dates[t]);
    if (v === undefined || v < 5) continue;
    let sum = 0;
    let sq = 0;
    for (let i = t - 19; i <= t; i++) {
      const r = Math.log(c[i] / c[i - 1]);
      sum += r;
      sq += r * r;
    }
    const variance = (sq - (sum * sum) / 20) / 19;
    const vixNow = vix.close[v];
    out.push({
      date: spx.dates[t],
      x: [
        (c[t] / c[t - 20] - 1) * 100,
        Math.sqrt(Math.max(variance, 0) * 252) * 100,
        vixNow,
        (vixNow / vix.close[v - 5] - 1) * 100,
      ],
      forward: t + FORWARD_DAYS < spx.dates.length ? (c[t + FORWARD_DAYS] / c[t] - 1) * 100 : null,
    });
  }
  return out;
}

function standardize(x: number[], scale: RegimeModel["scale"]): number[] {
  return x.map((v, j) => (v - scale.mean[j]) / scale.sd[j]);
}

/** The nearest centroid's state id. */
export function classify(model: RegimeModel, x: number[]): number {
  const z = standardize(x, model.scale);
  let best = 0;
  let bestD = Infinity;
  model.centroids.forEach((c, k) => {
    const d = c.reduce((s, cj, j) => s + (cj - z[j]) ** 2, 0);
    if (d < bestD) (bestD = d, best = k);
  });
  return best;
}

/**
 * Names from the statistics: the falling state with the highest mean VIX is "crisis", other
 * falling ones (mean 20-day return < 0) "correction"; rising ones are "calm uptrend" for the
 * lowest mean volatility and "volatile uptrend" for the others. Repeated names get a number.
 */
export function nameStates(means: Record<Feature, number>[]): string[] {
  const ids = means.map((_, i) => i);
  const falling = ids.filter((i) => means[i].return20 < 0).sort((a, b) =>
    means[b].vix - means[a].vix
  );
  const rising = ids.filter((i) => means[i].return20 >= 0).sort((a, b) =>
    means[a].vol20 - means[b].vol20
  );
  const names: string[] = new Array(means.length);
  // One falling state is a correction; with more, the most fearful of them is the crisis.
  falling.forEach((i, n) => (names[i] = n === 0 && falling.length > 1 ? "crisis" : "correction"));
  rising.forEach((i, n) => (names[i] = n === 0 ? "calm uptrend" : "volatile uptrend"));
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} ${count}`;
  });
}

/** Trains the model on `rows` (deterministic for a given seed). */
export function trainRegimes(rows: FeatureRow[], { k = 4, seed = 16 } = {}): RegimeModel {
  if (rows.length < k * 10) throw new RangeError(`too few days (${rows.length}) for ${k} states`);
  const dims = FEATURES.length;
  const mean = new Array(dims).fill(0);
  const sd = new Array(dims).fill(0);
  for (const r of rows) r.x.forEach((v, j) => (mean[j] += v / rows.length));
  for (const r of rows) r.x.forEach((v, j) => (sd[j] += (v - mean[j]) ** 2 / (rows.length - 1)));
  for (let j = 0; j < dims; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  const scale = { mean, sd };
  const data = rows.map((r) => standardize(r.x, scale));
  const fit = kmeans(data, k, { seed, initialization: "kmeans++", maxIterations: 300 });
  const members: FeatureRow[][] = Array.from({ length: k }, () => []);
  fit.clusters.forEach((c, i) => members[c].push(rows[i]));
  const means = members.map((m) =>
    Object.fromEntries(
      FEATURES.map((f, j) => [f, m.reduce((s, r) => s + r.x[j], 0) / Math.max(m.length, 1)]),
    ) as Record<Feature, number>
  );
  const names = nameStates(means);
  const states = members.map((m, id): RegimeState => {
    const fwd = m.map((r) => r.forward).filter((v): v is number => v !== null);
    return {
      id,
      name: names[id],
      means: means[id],
      days: m.length,
      forward: {
        days: FORWARD_DAYS,
        n: fwd.length,
        mean: fwd.length ? fwd.reduce((a, b) => a + b, 0) / fwd.length : NaN,
        hitRate: fwd.length ? fwd.filter((v) => v > 0).length / fwd.length : NaN,
      },
    };
  });
  return {
    version: 1,
    k,
    seed,
    trainedFrom: rows[0].date,
    trainedThrough: rows.at(-1)!.date,
    scale,
    centroids: fit.centroids,
    states,
  };
}
