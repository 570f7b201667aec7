import assert from "node:assert/strict";
import { parseRules, resolveParams, rulesJsonSchema } from "./schema.ts";
import { describeRules } from "./sentences.ts";
import { TEMPLATE_IDS, TEMPLATES } from "./templates.ts";

Deno.test("every template is a valid rule document with its own sentences", () => {
  for (const id of TEMPLATE_IDS) {
    const t = TEMPLATES[id];
    assert.equal(parseRules(t.rules).ok, true, id);
    assert.ok(describeRules(t.rules).length >= 4, id);
  }
  const sma = describeRules(resolveParams(TEMPLATES["sma-cross"].rules));
  assert.ok(sma.includes("Buy when SMA(20) crosses above SMA(50)."), sma.join("\n"));
  assert.ok(sma.includes("Sell when SMA(20) crosses below SMA(50)."));
  const unresolved = describeRules(TEMPLATES["sma-cross"].rules);
  assert.ok(unresolved.some((s) => s.includes("SMA(«fast»)")), "parameters are named");
});

Deno.test("errors name the path in the document", () => {
  const r = parseRules({
    name: "x",
    universe: { type: "symbols", symbols: ["AAPL"] },
    entry: {
      all: [{
        left: { type: "price", field: "close", barsAgo: -1 },
        op: ">",
        right: { type: "indicator", name: "sma", period: { param: "nope" } },
      }],
    },
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.ok(r.errors.some((e) => e.startsWith("entry.all.0.left.barsAgo:")), r.errors.join("\n"));
  assert.ok(
    r.errors.some((e) => e.includes('Parameter "nope" is not declared')),
    r.errors.join("\n"),
  );
  // An indicator's window is a whole number of bars from 1: the compiler has no meaning for 0,
  // -5 or 2.5, and the builder's form shows this message under the period field.
  for (const period of [0, -5, 2.5]) {
    const bad = parseRules({
      name: "x",
      universe: { type: "all" },
      entry: {
        left: { type: "indicator", name: "rsi", period },
        op: "<",
        right: { type: "const", value: 30 },
      },
    });
    assert.equal(bad.ok, false, `period ${period}`);
    if (!bad.ok) assert.match(bad.errors.join("\n"), /^entry\.left\.period: A period is/m);
  }
  const none = parseRules({ name: "x", universe: { type: "all" } });
  assert.equal(none.ok, false);
  if (!none.ok) assert.ok(none.errors.some((e) => e.startsWith("entry:")));
  const risk = parseRules({
    name: "x",
    universe: { type: "all" },
    entry: { left: { type: "const", value: 1 }, op: ">", right: { type: "const", value: 0 } },
    sizing: { method: "risk_percent", percent: 1 },
  });
  assert.equal(risk.ok, false);
  if (!risk.ok) assert.ok(risk.errors.some((e) => e.startsWith("sizing.method:")));
});

Deno.test("parameters resolve to numbers; unknown ones are refused", () => {
  const t = TEMPLATES["sma-cross"].rules;
  const r = resolveParams(t, { fast: 5, slow: 30 });
  const entry = r.entry as { left: { period: unknown }; right: { period: unknown } };
  assert.equal(entry.left.period, 5);
  assert.equal(entry.right.period, 30);
  assert.equal(r.params.fast.default, 5);
  assert.throws(() => resolveParams(t, { nope: 1 }), /Unknown parameter/);
  // The original is untouched.
  assert.deepEqual((t.entry as { left: { period: unknown } }).left.period, { param: "fast" });
});

Deno.test("the rule language exports as JSON Schema for tool inputs", () => {
  const s = rulesJsonSchema() as {
    type: string;
    properties: Record<string, unknown>;
    required: string[];
  };
  assert.equal(s.type, "object");
  for (
    const k of ["universe", "entry", "exit", "ranking", "sizing", "exits", "constraints", "costs"]
  ) {
    assert.ok(k in s.properties, k);
  }
  assert.deepEqual(s.required.sort(), ["name", "universe"]);
  // It round-trips through JSON.
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

Deno.test("a rule document round-trips through JSON and the schema unchanged", () => {
  for (const id of TEMPLATE_IDS) {
    const rules = TEMPLATES[id].rules;
    const again = parseRules(JSON.parse(JSON.stringify(rules)));
    assert.equal(again.ok, true, id);
    if (again.ok) assert.deepEqual(again.rules, rules, id);
    const resolved = resolveParams(rules);
    const back = parseRules(JSON.parse(JSON.stringify(resolved)));
    if (back.ok) assert.deepEqual(back.rules, resolved, id);
    else assert.fail(`${id}: ${back.errors.join("; ")}`);
  }
});
