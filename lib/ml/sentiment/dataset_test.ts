import assert from "node:assert/strict";
import fc from "fast-check";
import { parseCsv, parseDataset } from "./dataset.ts";
import { evaluate, rng, shuffled } from "./train.ts";
import { hash, tokenize } from "./features.ts";

const quote = (f: string) => /[",\n\r]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f;

Deno.test("CSV fields with commas, quotes and newlines come back as written", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 2, maxLength: 4 }), {
        minLength: 1,
        maxLength: 6,
      }),
      (rows) => {
        const text = rows.map((r) => r.map(quote).join(",")).join("\n") + "\n";
        assert.deepEqual(parseCsv(text), rows);
      },
    ),
  );
});

Deno.test("dataset rows keep split, label, tickers and multi-line text; bad labels are refused", () => {
  const rows = parseDataset(
    'split,label,sentiment,tickers,text\ntrain,0,bearish,CCL RCL,"$CCL, $RCL\nweak"\n' +
      "validation,2,neutral,,Markets open\n",
  );
  assert.deepEqual(rows, [
    { id: 0, split: "train", label: "bearish", tickers: ["CCL", "RCL"], text: "$CCL, $RCL\nweak" },
    { id: 1, split: "validation", label: "neutral", tickers: [], text: "Markets open" },
  ]);
  assert.throws(() => parseDataset("split,label,sentiment,tickers,text\ntrain,9,great,,x\n"));
});

Deno.test("tokens drop links, fold cashtags and digits", () => {
  assert.deepEqual(tokenize("$AAPL up 5.2% https://t.co/abc Beats!"), [
    "_ticker",
    "up",
    "0.0%",
    "beats",
    "!",
  ]);
  // FNV-1a reference values: the hashed features must never change under a shipped model.
  assert.equal(hash(""), 0x811c9dc5);
  assert.equal(hash("a"), 0xe40c292c);
});

Deno.test("metrics: accuracy, per-class F1 and the confusion matrix from a known case", () => {
  // truth/predicted over bearish=0, bullish=1, neutral=2
  const e = evaluate([0, 0, 1, 1, 2, 2, 2, 2], [0, 2, 1, 1, 2, 2, 0, 2]);
  assert.deepEqual(e.confusion, [[1, 0, 1], [0, 2, 0], [1, 0, 3]]);
  assert.equal(e.accuracy, 6 / 8);
  assert.equal(e.perClass.bearish.f1, 0.5);
  assert.equal(e.perClass.bullish.f1, 1);
  assert.ok(Math.abs(e.perClass.neutral.f1 - 0.75) < 1e-12);
  assert.ok(Math.abs(e.macroF1 - 0.75) < 1e-12);
});

Deno.test("the seeded shuffle is a permutation and repeats for a seed", () => {
  fc.assert(
    fc.property(fc.array(fc.integer()), fc.integer(), (items, seed) => {
      const a = shuffled(items, rng(seed));
      assert.deepEqual(a, shuffled(items, rng(seed)));
      assert.deepEqual([...a].sort((x, y) => x - y), [...items].sort((x, y) => x - y));
    }),
  );
});
