/**
 * The sentiment model's published figures, measured now: accuracy and macro-F1 of the shipped
 * weights on the dataset's validation split (2,388 rows), and how long scoring takes.
 * `deno run -A bench/sentiment_eval.ts`
 *
 * Goal (issue 17): accuracy >= 0.85 and macro-F1 >= 0.78. The per-headline speed is what the
 * News page needs: every headline on a page (50-100) scored on the server in a few ms.
 */
import { LABELS, loadDataset } from "../lib/ml/sentiment/dataset.ts";
import { loadModel } from "../lib/ml/sentiment/model.ts";
import { evaluateModel } from "../lib/ml/sentiment/train.ts";

const t0 = performance.now();
const model = await loadModel();
const loadMs = performance.now() - t0;
const validation = (await loadDataset()).filter((r) => r.split === "validation");
const e = evaluateModel(model, validation);
const texts = validation.map((r) => r.text);
// Warm up, then time three full passes and keep the fastest.
for (const t of texts.slice(0, 200)) model.predict(t);
let best = Infinity;
for (let pass = 0; pass < 3; pass++) {
  const start = performance.now();
  for (const t of texts) model.predict(t);
  best = Math.min(best, performance.now() - start);
}
console.log(`model ${model.meta.name}, weights loaded in ${loadMs.toFixed(0)} ms`);
console.log(
  `validation split (${e.rows} rows): accuracy ${e.accuracy.toFixed(4)}, macro-F1 ${
    e.macroF1.toFixed(4)
  }`,
);
for (const l of LABELS) {
  const c = e.perClass[l];
  console.log(
    `  ${l.padEnd(8)} precision ${c.precision.toFixed(3)} recall ${c.recall.toFixed(3)} F1 ${
      c.f1.toFixed(3)
    } (${c.support})`,
  );
}
console.log(
  `scoring: ${(best / texts.length * 1000).toFixed(1)} µs per headline, ${
    Math.round(texts.length / best * 1000).toLocaleString("en-US")
  } headlines/s (best of 3 passes over the split)`,
);
