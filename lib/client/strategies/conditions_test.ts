import assert from "node:assert/strict";
import {
  conditionOf,
  formShows,
  groupOf,
  newRow,
  numFrom,
  numText,
  operandFor,
  rowErrors,
  slotErrors,
  sourceKey,
  SOURCES,
  withGroup,
} from "./conditions.ts";
import { INDICATORS } from "../../strategy/schema.ts";

const rsiBelow30 = {
  left: { type: "indicator", name: "rsi", period: 14 },
  op: "<",
  right: { type: "const", value: 30 },
};

Deno.test("conditions: flat conditions become rows and back", () => {
  assert.deepEqual(groupOf(undefined), { join: "all", rows: [] });
  assert.deepEqual(groupOf(rsiBelow30), { join: "all", rows: [rsiBelow30] });
  const both = { any: [rsiBelow30, newRow()] };
  assert.deepEqual(groupOf(both), { join: "any", rows: both.any });
  // Round trips: one row is the comparison itself, several are joined, none is no condition.
  assert.deepEqual(conditionOf({ join: "all", rows: [rsiBelow30] }), rsiBelow30);
  assert.deepEqual(conditionOf(groupOf(both)!), both);
  assert.equal(conditionOf({ join: "any", rows: [] }), undefined);
});

Deno.test("conditions: deeper conditions are not forced into the form", () => {
  assert.equal(groupOf({ not: rsiBelow30 }), null);
  assert.equal(groupOf({ all: [rsiBelow30, { any: [rsiBelow30] }] }), null);
  assert.equal(groupOf({ all: [rsiBelow30], any: [rsiBelow30] }), null);
  assert.equal(groupOf("rsi"), null);
});

Deno.test("conditions: writing a group into the document leaves the rest alone", () => {
  const doc = { name: "x", entry: rsiBelow30, exit: rsiBelow30, exits: { stopLossPercent: 8 } };
  const d = withGroup(doc, "exit", { join: "all", rows: [] });
  assert.equal("exit" in d, false);
  assert.deepEqual(d.entry, rsiBelow30);
  assert.deepEqual(d.exits, { stopLossPercent: 8 });
  assert.ok("exit" in doc, "the original is untouched");
  const two = withGroup(doc, "entry", { join: "all", rows: [rsiBelow30, newRow()] });
  assert.equal(two.entry.all.length, 2);
});

Deno.test("conditions: operands from the select, with usual periods and outputs", () => {
  assert.deepEqual(operandFor("sma"), { type: "indicator", name: "sma", period: 50 });
  assert.deepEqual(operandFor("price:high"), { type: "price", field: "high" });
  assert.deepEqual(operandFor("const", 70), { type: "const", value: 70 });
  assert.deepEqual(operandFor("macd"), { type: "indicator", name: "macd", output: "line" });
  assert.equal(operandFor("bollinger").output, "middle");
  for (const key of ["sma", "price:high", "const", "macd"]) {
    assert.equal(sourceKey(operandFor(key)), key);
  }
  // Every indicator of the rule language can be picked (a strategy made from a scan shows its own).
  const offered = new Set(SOURCES.map((x) => x.key));
  for (const name of INDICATORS) assert.ok(offered.has(name), name);
  assert.deepEqual(operandFor("gap_pct"), { type: "indicator", name: "gap_pct" });
});

Deno.test("conditions: number fields read numbers, parameter names and anything else", () => {
  assert.equal(numFrom(" 14 "), 14);
  assert.equal(numFrom(""), undefined);
  assert.deepEqual(numFrom("fast"), { param: "fast" });
  assert.equal(numFrom("1 4"), "1 4", "kept as typed so the server names the problem");
  assert.equal(numText({ param: "fast" }), "fast");
  assert.equal(numText(2.5), "2.5");
  assert.equal(numText(undefined), "");
});

Deno.test("conditions: server errors are matched to their row", () => {
  const errors = [
    "entry.all.1.right.period: Too small: expected number to be >=1",
    "entry.all.0.op: Invalid option",
    "exit: A strategy needs an exit.",
    "name: Too short",
  ];
  const g = { join: "all" as const, rows: [rsiBelow30, newRow()] };
  assert.deepEqual(rowErrors(errors, "entry", g, 0), ["op: Invalid option"]);
  assert.deepEqual(rowErrors(errors, "entry", g, 1), [
    "Compared with period: Too small: expected number to be >=1",
  ]);
  assert.deepEqual(rowErrors(["exit.left.period: bad"], "exit", groupOf(rsiBelow30)!, 0), [
    "Indicator period: bad",
  ]);
  assert.deepEqual(slotErrors(errors, "exit"), ["A strategy needs an exit."]);
  assert.deepEqual(slotErrors(errors, "entry"), []);
});

Deno.test("conditions: the summary leaves out what the form marks", () => {
  const doc = { entry: rsiBelow30, exit: { not: rsiBelow30 } };
  assert.equal(formShows(doc, "entry.left.period: A period is 1 bar or more."), true);
  assert.equal(formShows(doc, "exit.not.left.period: A period is 1 bar or more."), false);
  assert.equal(formShows(doc, "sizing.percent: Expected number"), false);
  assert.equal(formShows({}, "entry: A strategy needs an entry condition or a ranking."), true);
});
