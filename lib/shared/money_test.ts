import assert from "node:assert/strict";
import {
  formatShares,
  formatSignedPercent,
  formatSignedUsd,
  formatUsd,
  sharesWithUnit,
  tone,
} from "./money.ts";

Deno.test("money: dollars to the cent with a real minus; P&L always signed", () => {
  assert.equal(formatUsd(1234.5), "$1,234.50");
  assert.equal(formatUsd(-3), "−$3.00");
  assert.equal(formatUsd(-0.001), "$0.00");
  assert.equal(formatUsd(null), "—");
  assert.equal(formatSignedUsd(12.3), "+$12.30");
  assert.equal(formatSignedUsd(-4), "−$4.00");
  assert.equal(formatSignedUsd(0.004), "$0.00");
  assert.equal(formatSignedUsd(Number.NaN), "—");
});

Deno.test("percent from a fraction, signed; shares as typed with a unit", () => {
  assert.equal(formatSignedPercent(0.0123), "+1.23 %");
  assert.equal(formatSignedPercent(-0.5), "−50.00 %");
  assert.equal(formatSignedPercent(0), "0.00 %");
  assert.equal(formatSignedPercent(null), "—");
  assert.equal(formatShares(10), "10");
  assert.equal(formatShares(1234.5), "1,234.5");
  assert.equal(formatShares(0.12345678), "0.12345678");
  assert.equal(formatShares(-5), "−5");
  assert.equal(sharesWithUnit(1), "1 share");
  assert.equal(sharesWithUnit(2.5), "2.5 shares");
  assert.equal(tone(1), "gain");
  assert.equal(tone(-1), "loss");
  assert.equal(tone(0.001), "flat");
});
