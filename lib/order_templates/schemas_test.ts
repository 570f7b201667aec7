import { deepEqual, equal, ok } from "node:assert/strict";
import { createTemplateSchema, patchTemplateSchema, templateIssues } from "./schemas.ts";

Deno.test("a template: defaults, a canonical symbol, a size and a trail where they belong", () => {
  deepEqual(createTemplateSchema.parse({ name: " Scalp ", side: "buy", type: "limit", qty: 100 }), {
    name: "Scalp",
    symbol: null,
    side: "buy",
    type: "limit",
    timeInForce: "day",
    qty: 100,
    notional: null,
    trailPrice: null,
    trailPercent: null,
  });
  equal(
    createTemplateSchema.parse({ name: "x", symbol: "brk.b", side: "sell", type: "market" })
      .symbol,
    "BRK.B",
  );
  ok(
    createTemplateSchema.safeParse({ name: "$500", side: "buy", type: "market", notional: 500 })
      .success,
  );
  ok(
    createTemplateSchema.safeParse({
      name: "trail",
      side: "sell",
      type: "trailing_stop",
      timeInForce: "gtc",
      qty: 10,
      trailPercent: 2.5,
    }).success,
  );
});

Deno.test("a template that breaks an order rule is refused, naming the field", () => {
  const base = { name: "t", side: "buy", type: "market" };
  const cases: [Record<string, unknown>, string][] = [
    [{ ...base, qty: 1, notional: 10 }, "qty"],
    [{ ...base, type: "limit", notional: 10 }, "notional"],
    [{ ...base, timeInForce: "gtc", qty: 1.5 }, "qty"],
    [{ ...base, trailPercent: 1 }, "trailPrice"],
    [{ ...base, type: "trailing_stop", trailPercent: 1, trailPrice: 1 }, "trailPrice"],
    [{ ...base, type: "trailing_stop", trailPercent: 51 }, "trailPercent"],
    [{ ...base, type: "trailing_stop", trailPercent: 1.00001 }, "trailPercent"],
    [{ ...base, symbol: "SPX" }, "symbol"],
    [{ ...base, name: "" }, "name"],
    [{ ...base, name: "x".repeat(65) }, "name"],
    [{ ...base, limitPrice: 100 }, ""],
    [{ ...base, type: "iceberg" }, "type"],
    [{ ...base, qty: 0 }, "qty"],
    // Postgres text cannot hold NUL: stored, it was a 500.
    [{ ...base, name: "a\u0000b" }, "name"],
  ];
  for (const [body, path] of cases) {
    const r = createTemplateSchema.safeParse(body);
    ok(!r.success, JSON.stringify(body));
    ok(r.error.issues.some((i) => i.path.join(".") === path), `${JSON.stringify(body)} → ${path}`);
  }
});

Deno.test("a change: any field, null clears, at least one; the whole is checked by templateIssues", () => {
  ok(!patchTemplateSchema.safeParse({}).success);
  deepEqual(patchTemplateSchema.parse({ symbol: null, qty: null }), { symbol: null, qty: null });
  ok(!patchTemplateSchema.safeParse({ limitPrice: 1 }).success);
  const shape = {
    type: "limit",
    timeInForce: "day",
    qty: null,
    notional: 100,
    trailPrice: null,
    trailPercent: null,
  };
  deepEqual(templateIssues(shape).map((i) => i.path), ["notional"]);
  deepEqual(templateIssues({ ...shape, type: "market" }), []);
});
