import assert from "node:assert/strict";
import fc from "fast-check";
import { checkGrounding, isFigure, numbersIn } from "./grounding.ts";
import type { ToolCallRecord } from "./types.ts";

const call = (output: unknown): ToolCallRecord => ({
  id: "t1",
  name: "quote",
  input: {},
  ok: true,
  source: "replay",
  asOf: "2020-03-02T15:30:00Z",
  output,
  ms: 1,
});

Deno.test("numbers are read with their currency, separators, decimals, percent and suffix", () => {
  const [a, b, c, d] = numbersIn("AAPL at $1,234.50, down -0.8% on 1.2M shares; RSI 27.4");
  assert.deepEqual([a.value, a.decimals, a.currency], [1234.5, 2, true]);
  assert.deepEqual([b.value, b.percent], [-0.8, true]);
  assert.deepEqual([c.value, c.scale], [1.2, 1e6]);
  assert.equal(d.value, 27.4);
  assert.equal(numbersIn("On 2024-01-02 at 15:30 nothing").length, 0, "dates and times");
  assert.equal(isFigure(numbersIn("RSI 14")[0]), false);
  assert.equal(isFigure(numbersIn("the S&P 500")[0]), false);
  assert.equal(isFigure(numbersIn("137 shares")[0]), true);
});

Deno.test("figures from tool output pass, rounded and formatted as prose writes them", () => {
  const calls = [call({ last: 80.3625, changePercent: -1.23, volume: 1_234_567, dayPl: 0.0082 })];
  const text = "AAPL last traded at $80.36 ($80.4), down 1.23% on 1.2M shares; " +
    "the day is 0.82 % in.";
  assert.deepEqual(checkGrounding(text, calls), { unverified: [], checked: 5 });
});

Deno.test("a figure no tool returned is flagged, one from the user's message is not", () => {
  const calls = [call({ last: 80.36 })];
  const r = checkGrounding("At $80.36 your 137 shares are worth $11,009.32.", calls, "I hold 137");
  assert.deepEqual(r.unverified, ["$11,009.32"]);
});

Deno.test("failed tool calls are not sources", () => {
  const failed = { ...call(undefined), ok: false, error: "price 99.5 unknown" };
  assert.deepEqual(checkGrounding("It is 99.5.", [failed]).unverified, ["99.5"]);
});

Deno.test("property: tool numbers written at any precision pass; altered ones are flagged", () => {
  fc.assert(fc.property(
    fc.double({ min: 0.01, max: 100_000, noNaN: true }),
    fc.integer({ min: 0, max: 4 }),
    fc.constantFrom("plain", "dollar", "commas"),
    fc.integer({ min: 2, max: 50 }),
    (value, decimals, style, shift) => {
      const calls = [call({ value })];
      const fixed = value.toFixed(decimals);
      const written = style === "dollar"
        ? `$${fixed}`
        : style === "commas"
        ? Number(fixed).toLocaleString("en-US", {
          minimumFractionDigits: decimals,
          maximumFractionDigits: decimals,
        })
        : fixed;
      // A whole number of 31 or less is not a figure: the % makes every case one.
      const ok = checkGrounding(`Price ${written}${decimals === 0 ? "%" : ""}.`, calls);
      const altered = (Number(fixed) + shift * 10 ** -decimals).toFixed(decimals);
      const bad = checkGrounding(`Price $${altered}.`, calls);
      return ok.checked === 1 && ok.unverified.length === 0 && bad.unverified.length === 1;
    },
  ));
});
