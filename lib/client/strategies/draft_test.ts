import assert from "node:assert/strict";
import { type Doc, fieldValue, readDoc, withField } from "./draft.ts";

Deno.test("form fields read and write the rule document", () => {
  const doc: Doc = { name: "x", universe: { type: "symbols", symbols: ["AAPL"] }, exits: {} };
  const d = withField(withField(doc, "symbols", "aapl, msft"), "stopLossPercent", "8");
  assert.deepEqual(d.universe, { type: "symbols", symbols: ["AAPL", "MSFT"] });
  assert.equal(d.exits.stopLossPercent, 8);
  assert.equal(fieldValue(d, "symbols"), "AAPL, MSFT");
  assert.equal(fieldValue(d, "stopLossPercent"), "8");
  assert.equal(withField(d, "stopLossPercent", "").exits.stopLossPercent, undefined);
  assert.deepEqual(withField(d, "symbols", "").universe, { type: "all" });
  assert.deepEqual(withField(d, "sizingPercent", "10").sizing, {
    method: "percent_equity",
    percent: 10,
  });
  // Not a number: kept as typed, so the server's validation names it.
  assert.equal(withField(d, "maxBars", "ten").exits.maxBars, "ten");
  assert.equal(doc.exits.stopLossPercent, undefined, "the original is untouched");
  assert.equal(readDoc("{").ok, false);
  assert.equal(readDoc("[]").ok, false);
});
