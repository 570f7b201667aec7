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

Deno.test("ratios, gaps and factors: schema round trip, JSON Schema, sentences, bounds", () => {
  const input = {
    name: "Breakout on volume",
    universe: { type: "all" },
    params: { k: { default: 1.05 } },
    entry: {
      all: [
        {
          left: { type: "price", field: "close" },
          op: ">",
          right: { type: "indicator", name: "highest", input: "high", period: 20, barsAgo: 1 },
        },
        {
          left: { type: "indicator", name: "volume_ratio", period: 20 },
          op: ">=",
          right: { type: "const", value: 1.5 },
        },
        {
          left: { type: "indicator", name: "atr_pct", period: 14 },
          op: "<",
          right: { type: "const", value: 4 },
        },
      ],
    },
    exit: {
      any: [
        {
          left: { type: "price", field: "close" },
          op: "<=",
          right: { type: "indicator", name: "sma", period: 50, times: { param: "k" } },
        },
        {
          left: { type: "indicator", name: "gap_pct" },
          op: "<",
          right: { type: "const", value: -3 },
        },
      ],
    },
  };
  const r = parseRules(input);
  assert.ok(r.ok, r.ok ? "" : r.errors.join("\n"));
  const again = parseRules(JSON.parse(JSON.stringify(r.rules)));
  assert.ok(again.ok);
  assert.deepEqual(again.rules, r.rules);
  const resolved = resolveParams(r.rules, { k: 0.98 });
  const exit = resolved.exit as { any: { right: { times?: unknown } }[] };
  assert.equal(exit.any[0].right.times, 0.98);

  const schema = JSON.stringify(rulesJsonSchema());
  for (const word of ['"volume_ratio"', '"atr_pct"', '"gap_pct"', '"times"']) {
    assert.ok(schema.includes(word), word);
  }

  assert.deepEqual(describeRules(resolved).filter((s) => /^(Buy|Sell) when/.test(s)), [
    "Buy when the close is above the highest high of the 20 bars before and the volume is at " +
    "least 1.5× its average over the 20 bars before and ATR(14) as a % of the close is below 4.",
    "Sell when (the close is at or below 0.98 × SMA(50) or the opening gap (% from the previous " +
    "close) is below -3).",
  ]);
  // Unresolved, the factor is named as its parameter.
  assert.ok(describeRules(r.rules).some((s) => s.includes("«k» × SMA(50)")));

  for (const times of [0, -1, -0.5]) {
    const bad = parseRules({
      name: "x",
      universe: { type: "all" },
      entry: {
        left: { type: "price", field: "close", times },
        op: ">",
        right: { type: "const", value: 1 },
      },
    });
    assert.equal(bad.ok, false, `times ${times}`);
    if (!bad.ok) assert.match(bad.errors.join("\n"), /^entry\.left\.times: /m);
  }
});
