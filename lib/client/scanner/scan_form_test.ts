import assert from "node:assert/strict";
import fc from "fast-check";
import { EMPTY_FORM, fromSpec, NEW_ROW, toSpec } from "./scan_form.ts";
import { PRESETS } from "../../scanner/presets.ts";

Deno.test("the default form is RSI(14) below 30", () => {
  const r = toSpec(EMPTY_FORM);
  assert.deepEqual(r, {
    ok: true,
    spec: {
      conditions: [{ left: { indicator: "rsi", period: 14 }, op: "<", right: { value: 30 } }],
      limit: 50,
    },
  });
});

Deno.test("every preset survives being opened in the builder (limit and sort aside)", () => {
  for (const p of PRESETS) {
    const back = toSpec(fromSpec(p.spec));
    assert.ok(back.ok, p.id);
    assert.deepEqual(back.spec.conditions, p.spec.conditions, p.id);
  }
});

Deno.test("row problems name the row", () => {
  const bad = toSpec({ ...EMPTY_FORM, rows: [NEW_ROW, { ...NEW_ROW, period: "0" }] });
  assert.deepEqual(bad, {
    ok: false,
    error: "Condition 2: the period must be a whole number of days, 1–500.",
  });
  assert.equal(toSpec({ ...EMPTY_FORM, rows: [] }).ok, false);
  assert.equal(toSpec({ ...EMPTY_FORM, rows: [{ ...NEW_ROW, value: "abc" }] }).ok, false);
  assert.equal(toSpec({ ...EMPTY_FORM, minPrice: "-1" }).ok, false);
  assert.equal(toSpec({ ...EMPTY_FORM, limit: "501" }).ok, false);
  const noPeriod = toSpec({ ...EMPTY_FORM, rows: [{ ...NEW_ROW, indicator: "gap", period: "" }] });
  assert.ok(noPeriod.ok);
  assert.deepEqual(noPeriod.spec.conditions[0].left, { indicator: "gap" });
});

Deno.test("floors and sector pass through as numbers", () => {
  fc.assert(fc.property(fc.nat(100_000), fc.nat(1e9), (price, dollars) => {
    const r = toSpec({
      ...EMPTY_FORM,
      sector: "Energy",
      minPrice: String(price),
      minDollarVolume: String(dollars),
    });
    assert.ok(r.ok);
    assert.equal(r.spec.minPrice, price);
    assert.equal(r.spec.minDollarVolume, dollars);
    assert.equal(r.spec.sector, "Energy");
  }));
});
