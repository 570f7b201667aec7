import assert from "node:assert/strict";
import { applyAppearance, changedFields, type EditableSettings, parseNumber } from "./form.ts";

const base: EditableSettings = {
  riskTolerance: 50,
  maxPositionPercent: 10,
  maxOrderValue: 25_000,
  dailyLossLimit: 5_000,
  allowShortSelling: false,
  defaultOrderSize: 10,
  defaultOrderType: "market",
  defaultTimeInForce: "day",
  startingCash: 100_000,
  toastKinds: ["alert", "order"],
  theme: "dark",
  density: "comfortable",
  telemetry: false,
};

Deno.test("only changed fields are sent; a reordered list is not a change", () => {
  assert.deepEqual(changedFields(base, { ...base }), {});
  assert.deepEqual(changedFields(base, { ...base, toastKinds: ["order", "alert"] }), {});
  assert.deepEqual(
    changedFields(base, {
      ...base,
      maxOrderValue: 10_000,
      toastKinds: ["order"],
      theme: "light",
      telemetry: true,
    }),
    { maxOrderValue: 10_000, toastKinds: ["order"], theme: "light", telemetry: true },
  );
});

Deno.test("typed numbers read the way people type them", () => {
  assert.equal(parseNumber("25,000"), 25_000);
  assert.equal(parseNumber("$1 000.50"), 1000.5);
  assert.equal(parseNumber("10 %"), 10);
  assert.ok(Number.isNaN(parseNumber("")));
  assert.ok(Number.isNaN(parseNumber("ten")));
});

Deno.test("an appearance applies to the page and to the cookie", () => {
  const doc = { documentElement: { dataset: {} as Record<string, string> }, cookie: "" };
  applyAppearance({ theme: "light", density: "compact" }, doc as unknown as Document);
  assert.deepEqual(doc.documentElement.dataset, { theme: "light", density: "compact" });
  assert.match(doc.cookie, /^paiid_look=light\.compact;/);
});
