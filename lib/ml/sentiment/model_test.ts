import assert from "node:assert/strict";
import fc from "fast-check";
import { LABELS, loadDataset } from "./dataset.ts";
import { gunzip, loadModel, MODEL_URL, SentimentModel } from "./model.ts";
import { evaluateModel, trainModel, type TrainParams } from "./train.ts";

Deno.test("the shipped model meets the accuracy and macro-F1 floor on the validation split", async () => {
  const [model, rows] = await Promise.all([loadModel(), loadDataset()]);
  const validation = rows.filter((r) => r.split === "validation");
  assert.equal(validation.length, 2388);
  const e = evaluateModel(model, validation);
  assert.ok(e.accuracy >= 0.85, `accuracy ${e.accuracy}`);
  assert.ok(e.macroF1 >= 0.78, `macro-F1 ${e.macroF1}`);
  // The figures the model carries (and the card prints) are the ones it really has.
  assert.equal(model.meta.validation.accuracy, Math.round(e.accuracy * 10_000) / 10_000);
  assert.equal(model.meta.validation.macroF1, Math.round(e.macroF1 * 10_000) / 10_000);
  // Far above always answering "neutral" (0.656 on this split).
  const neutral = validation.filter((r) => r.label === "neutral").length / validation.length;
  assert.ok(e.accuracy > neutral + 0.15);
});

Deno.test("retraining with the shipped parameters reproduces the shipped weights exactly", async () => {
  const [model, rows] = await Promise.all([loadModel(), loadDataset()]);
  const again = trainModel(
    rows.filter((r) => r.split === "train"),
    model.meta.params as unknown as TrainParams,
    { name: model.meta.name },
  );
  again.meta.validation = model.meta.validation;
  const shipped = await gunzip(await Deno.readFile(MODEL_URL));
  assert.deepEqual(again.serialize(), shipped);
});

Deno.test("predictions are probabilities in the dataset's label names, and read tone", async () => {
  const model = await loadModel();
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      const p = model.predict(text);
      assert.ok(LABELS.includes(p.label));
      const sum = LABELS.reduce((a, l) => a + p.scores[l], 0);
      assert.ok(Math.abs(sum - 1) < 1e-3);
      assert.equal(p.confidence, Math.max(...LABELS.map((l) => p.scores[l])));
      assert.equal(p.scores[p.label], p.confidence);
    }),
    { numRuns: 200 },
  );
  assert.equal(
    model.predict("$XYZ downgraded to sell, shares plunge on weak guidance").label,
    "bearish",
  );
  assert.equal(
    model.predict("$XYZ upgraded to buy at Goldman, shares jump to record high").label,
    "bullish",
  );
});

Deno.test("the words that drove a label come from the text and the strongest pulls towards it", async () => {
  const model = await loadModel();
  const text = "Shares plunge after the company cuts its outlook";
  const { label } = model.predict(text);
  const words = model.explain(text, label);
  assert.ok(words.length > 0);
  for (const w of words) assert.ok(text.toLowerCase().includes(w.word), w.word);
  assert.ok(words.some((w) => ["plunge", "cuts"].includes(w.word) && w.weight > 0));
  for (let i = 1; i < words.length; i++) {
    assert.ok(Math.abs(words[i - 1].weight) >= Math.abs(words[i].weight));
  }
});

Deno.test("a model file survives serialize and deserialize, and a foreign file is refused", async () => {
  const model = await loadModel();
  const copy = SentimentModel.deserialize(model.serialize());
  assert.deepEqual(copy.meta, model.meta);
  assert.deepEqual(copy.predict("Apple beats estimates"), model.predict("Apple beats estimates"));
  assert.throws(() => SentimentModel.deserialize(new TextEncoder().encode("GIF89a.....")));
});
