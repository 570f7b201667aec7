/**
 * `deno task train`: fits the market-regime model on the shipped S&P 500 and VIX history with
 * the fixed seed and writes lib/ml/regime_model.json. Running it again gives the same file.
 */
import { History } from "../market/replay/history.ts";
import { regimeFeatures, trainRegimes } from "./regime.ts";
import { baseline, measurePatterns } from "./patterns.ts";
import { replayUniverse } from "../scanner/universe.ts";

export const MODEL_URL = new URL("./regime_model.json", import.meta.url);
export const PATTERN_RECORD_URL = new URL("./pattern_record.json", import.meta.url);

if (import.meta.main) {
  const history = new History();
  const started = performance.now();
  const rows = regimeFeatures(await history.series("SPX"), await history.series("VIX"));
  const model = trainRegimes(rows, { k: 4, seed: 16 });
  const ms = performance.now() - started;
  await Deno.writeTextFile(MODEL_URL, JSON.stringify(model, null, 2) + "\n");
  console.log(
    `trained ${model.k} states on ${rows.length} days (${model.trainedFrom}..${model.trainedThrough})` +
      ` in ${ms.toFixed(0)} ms`,
  );
  for (const s of model.states) {
    console.log(
      `${s.name.padEnd(18)} days ${String(s.days).padStart(4)}  ` +
        `ret20 ${s.means.return20.toFixed(2)} %  vol ${s.means.vol20.toFixed(1)} %  ` +
        `VIX ${s.means.vix.toFixed(1)}  fwd20 ${s.forward.mean.toFixed(2)} % ` +
        `(${(s.forward.hitRate * 100).toFixed(0)} % up, n=${s.forward.n})`,
    );
  }
  const stocks = await replayUniverse(history);
  const t0 = performance.now();
  const record = { patterns: measurePatterns(stocks), baseline: baseline(stocks) };
  await Deno.writeTextFile(PATTERN_RECORD_URL, JSON.stringify(record, null, 2) + "\n");
  console.log(
    `measured patterns on ${stocks.length} stocks in ${(performance.now() - t0).toFixed(0)} ms`,
  );
  for (const p of record.patterns) {
    console.log(
      `${p.name.padEnd(34)} n ${String(p.n).padStart(4)}  fwd20 ${p.meanForward.toFixed(2)} %  ` +
        `went its way ${(p.hitRate * 100).toFixed(0)} %`,
    );
  }
  console.log(
    `any day: fwd20 ${record.baseline.meanForward.toFixed(2)} %, up ${
      (record.baseline.upRate * 100).toFixed(0)
    } % (n=${record.baseline.n})`,
  );
}
