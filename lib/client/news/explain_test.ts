import assert from "node:assert/strict";
import { figureText, positionLine } from "./explain.ts";

Deno.test("explain figures carry their unit and sign", () => {
  assert.equal(figureText({ value: -4.95, unit: "%" }), "\u22124.95 %");
  assert.equal(figureText({ value: 3.2, unit: "%" }), "+3.2 %");
  assert.equal(figureText({ value: 1234.5, unit: "USD" }), "$1,234.50");
  assert.equal(figureText({ value: 3, unit: "shares" }), "3 shares");
  assert.equal(figureText({ value: 1, unit: "shares" }), "1 share");
  assert.equal(figureText({ value: 3.456, unit: "x" }), "3.46×");
  assert.equal(figureText({ value: -2.83, unit: "σ" }), "\u22122.83 σ");
  assert.equal(figureText({ value: 3100.25, unit: "points" }), "3,100.25 points");
});

Deno.test("the position line says shares, USD and P&L, or that nothing is held", () => {
  const p = { held: true, qty: 3, value: 81.56, pnl: -0.1, whatItCouldMean: "" };
  assert.equal(positionLine(p), "Your position: 3 shares, worth $81.56, unrealized \u2212$0.10.");
  assert.equal(
    positionLine({ ...p, held: false, qty: 0, value: null, pnl: null }),
    "Your position: none.",
  );
  assert.equal(positionLine({ ...p, value: null, pnl: null }), "Your position: 3 shares.");
});
