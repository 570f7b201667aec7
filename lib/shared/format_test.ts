import assert from "node:assert/strict";
import {
  direction,
  formatChange,
  formatChangePercent,
  formatDate,
  formatFixed,
  formatFractionPercent,
  formatPrice,
  formatVolume,
  MISSING,
} from "./format.ts";

Deno.test("prices to the cent with grouping; missing values are a dash", () => {
  assert.equal(formatPrice(1234.5), "1,234.50");
  assert.equal(formatPrice(0.004), "0.00");
  assert.equal(formatPrice(null), MISSING);
  assert.equal(formatPrice(Number.NaN), MISSING);
});

Deno.test("changes always carry a sign and percent a unit", () => {
  assert.equal(formatChange(1.5), "+1.50");
  assert.equal(formatChange(-0.2), "−0.20");
  assert.equal(formatChange(0), "0.00");
  // Rounds to zero: no sign on a change that shows as nothing.
  assert.equal(formatChange(-0.001), "0.00");
  assert.equal(formatChangePercent(1.234), "+1.23 %");
  assert.equal(formatChangePercent(-12.5), "−12.50 %");
  assert.equal(formatChangePercent(undefined), MISSING);
});

Deno.test("volumes are compact above ten thousand", () => {
  assert.equal(formatVolume(950), "950");
  assert.equal(formatVolume(12_345_678), "12.35M");
  assert.equal(formatVolume(null), MISSING);
});

Deno.test("fractions, fixed digits and direction", () => {
  assert.equal(formatFractionPercent(0.2534), "25.3 %");
  assert.equal(formatFixed(-0.00001, 3), "0.000");
  assert.equal(formatFixed(-0.0456, 3), "−0.046");
  assert.equal(direction(2), "gain");
  assert.equal(direction(-2), "loss");
  assert.equal(direction(0), "flat");
  assert.equal(direction(null), "flat");
});

Deno.test("dates read as calendar dates", () => {
  assert.equal(formatDate("2020-01-02"), "Thu 2 Jan 2020");
  assert.equal(formatDate("2024-02-29"), "Thu 29 Feb 2024");
  assert.equal(formatDate("not a date"), "not a date");
});
