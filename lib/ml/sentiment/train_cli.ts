/**
 * `deno task train`: chooses the sentiment model's hyper-parameters by 5-fold cross-validation on
 * the dataset's training split, fits on the whole training split, measures the validation split
 * once, and writes the weights (data/ml/sentiment_model.bin.gz) and the model card
 * (lib/ml/sentiment/MODEL_CARD.md). The seed is fixed, so a rerun writes the same weights.
 */
import { LABELS, loadDataset } from "./dataset.ts";
import {
  crossValidate,
  DEFAULT_SEED,
  evaluateModel,
  trainModel,
  type TrainParams,
} from "./train.ts";
import { gzip, MODEL_URL } from "./model.ts";
import { modelCard } from "./card.ts";

export const GRID = {
  lambda: [3e-6, 1e-5, 3e-5],
  balanced: [false, true],
  epochs: 20,
};

export const MODEL_NAME = "paiid-sentiment-v1";

if (import.meta.main) {
  const rows = await loadDataset();
  const train = rows.filter((r) => r.split === "train");
  const validation = rows.filter((r) => r.split === "validation");
  const tried: { params: TrainParams; accuracy: number; macroF1: number }[] = [];
  for (const lambda of GRID.lambda) {
    for (const balanced of GRID.balanced) {
      const params = { lambda, balanced, epochs: GRID.epochs, seed: DEFAULT_SEED };
      const cv = crossValidate(train, params);
      tried.push({ params, ...cv });
      console.log(
        `cv lambda=${lambda} balanced=${balanced}: accuracy ${cv.accuracy.toFixed(4)}, ` +
          `macro-F1 ${cv.macroF1.toFixed(4)}`,
      );
    }
  }
  // Both goals count: accuracy alone would favour ignoring the small bearish class, macro-F1
  // alone would over-call it.
  const score = (t: { accuracy: number; macroF1: number }) => t.accuracy + t.macroF1;
  const best = tried.reduce((a, b) => (score(b) > score(a) ? b : a));
  const model = trainModel(train, best.params, { name: MODEL_NAME });
  const e = evaluateModel(model, validation);
  model.meta.validation = { rows: e.rows, accuracy: round(e.accuracy), macroF1: round(e.macroF1) };
  await Deno.mkdir(new URL(".", MODEL_URL), { recursive: true });
  await Deno.writeFile(MODEL_URL, await gzip(model.serialize()));
  const card = new URL("./MODEL_CARD.md", import.meta.url);
  await Deno.writeTextFile(
    card,
    modelCard({ meta: model.meta, evaluation: e, tried, trainRows: train.length }),
  );
  // The repository's formatter owns markdown layout (tables, line width); `deno task check`
  // would otherwise fail on a freshly written card.
  await new Deno.Command(Deno.execPath(), { args: ["fmt", card.pathname] }).output();
  console.log(
    `chosen ${JSON.stringify(best.params)}; validation (${e.rows} rows): accuracy ` +
      `${e.accuracy.toFixed(4)}, macro-F1 ${e.macroF1.toFixed(4)}; labels ${LABELS.join("/")}`,
  );
}

function round(v: number) {
  return Math.round(v * 10_000) / 10_000;
}
