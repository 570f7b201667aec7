import { deepEqual, equal } from "node:assert/strict";
import fc from "fast-check";
import { checkGrounding, extractNumbers } from "./grounding.ts";
import type { ToolCallRecord } from "./types.ts";

function call(output: unknown): ToolCallRecord {
  return { id: "t1", name: "get_quote", input: {}, ok: true, output, ms: 1 };
}

const USD = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

Deno.test("grounding: numbers are read as written, dates and times left out", () => {
  const found = extractNumbers(
    "AAPL at $80.36, up 0.82 % (-3%) on 1,234.5 and 12.5M shares, 1.2B, 3k; 2024-01-02 15:30.",
  );
  deepEqual(found.map((n) => n.raw), ["$80.36", "0.82 %", "-3%", "1,234.5", "12.5M", "1.2B", "3k"]);
  deepEqual(found.map((n) => n.value * n.scale), [80.36, 0.82, 3, 1234.5, 12.5e6, 1.2e9, 3000]);
});

Deno.test("grounding: rounding, percent fractions, signs and suffixes match; other numbers do not", () => {
  const calls = [
    call({ last: 80.3649, change: -0.66, pct: 0.0082, volume: 12_512_000, note: "$1.2B" }),
  ];
  const r = checkGrounding(
    "Last $80.36 (80.4), down 0.66 or -0.66, 0.82 %, 12.5M shares, 1.2 billion; 3 of them; 81.2.",
    calls,
    "What about 42.5?",
  );
  deepEqual(r.unverified, ["81.2"]);
  equal(r.checked, 8);
  deepEqual(checkGrounding("I read 42.5 from you.", [], "What about 42.5?").unverified, []);
  // A failed call grounds nothing.
  const failed: ToolCallRecord = { ...calls[0], ok: false, output: undefined, error: "no 80.36" };
  deepEqual(checkGrounding("It is 80.36.", [failed], "").unverified, ["80.36"]);
});

/** The ways an answer may write a source number `s` (positive) with `d` decimals. */
const formats: ((s: number, d: number) => string)[] = [
  (s, d) => s.toFixed(d),
  (s) => `$${USD.format(s)}`,
  (s, d) => `-${s.toFixed(d)}`,
  (s, d) => `${(s * 100).toFixed(d)} %`,
  (s, d) => `${(s / 1e6).toFixed(d)}M`,
];

Deno.test("grounding property: tool numbers written in a supported form are grounded", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.0001, max: 1e9, noNaN: true }),
      fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: 0, max: formats.length - 1 }),
      (s, d, f) => {
        const text = `The figure is ${formats[f](s, d)} today.`;
        deepEqual(checkGrounding(text, [call({ nested: [{ v: s }] })], "").unverified, []);
      },
    ),
  );
});

Deno.test("grounding property: a number moved beyond rounding is flagged", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 11, max: 1e6, noNaN: true }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 2, max: 1000 }),
      fc.boolean(),
      (s, d, steps, up) => {
        // At least two units of the last written decimal away: no rounding explains it.
        const unit = 10 ** -d;
        const moved = Number(s.toFixed(d)) + (up ? 1 : -1) * steps * unit;
        const text = `It was ${moved.toFixed(d)}.`;
        const r = checkGrounding(text, [call({ v: s })], "");
        deepEqual(r.unverified, [moved.toFixed(d)]);
      },
    ),
  );
});
