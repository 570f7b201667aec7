/**
 * ML training costs on the shipped history: the regime model (k-means, k = 4, seed 16, on 2,320
 * days of S&P 500 and VIX features) and measuring every chart pattern's record over the 107
 * stocks (what `deno task train` does after loading the data).
 * `deno bench -A bench/ml_bench.ts`
 */
import { History } from "../lib/market/replay/history.ts";
import { regimeFeatures, trainRegimes } from "../lib/ml/regime.ts";
import { measurePatterns } from "../lib/ml/patterns.ts";
import { replayUniverse } from "../lib/scanner/universe.ts";

const history = new History();
const spx = await history.series("SPX");
const vix = await history.series("VIX");
const stocks = await replayUniverse(history);

Deno.bench("regime: features and k-means training, whole history", () => {
  trainRegimes(regimeFeatures(spx, vix), { k: 4, seed: 16 });
});

Deno.bench("patterns: detect and measure over 107 stocks, whole history", { n: 5 }, () => {
  measurePatterns(stocks);
});
