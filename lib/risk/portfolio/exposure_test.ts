import { deepEqual, equal } from "node:assert/strict";
import fc from "fast-check";
import { exposure, UNCLASSIFIED } from "./exposure.ts";

Deno.test("exposure by symbol and sector, gross and net, in USD and % of equity", () => {
  const e = exposure([
    { symbol: "AAPL", qty: 10, price: 100, sector: "Information Technology" },
    { symbol: "MSFT", qty: -5, price: 200, sector: "Information Technology" },
    { symbol: "XOM", qty: 20, price: 50, sector: "Energy" },
    { symbol: "SPY", qty: 1, price: 300, sector: null },
  ], 10_000);
  equal(e.long, 2_300);
  equal(e.short, -1_000);
  equal(e.gross, 3_300);
  equal(e.net, 1_300);
  equal(e.grossPercent, 33);
  equal(e.netPercent, 13);
  deepEqual(e.bySymbol.map((s) => [s.symbol, s.value]), [
    ["AAPL", 1_000],
    ["MSFT", -1_000],
    ["XOM", 1_000],
    ["SPY", 300],
  ]);
  const it = e.bySector.find((s) => s.sector === "Information Technology")!;
  deepEqual([it.long, it.short, it.net, it.gross], [1_000, -1_000, 0, 2_000]);
  equal(e.bySector.find((s) => s.sector === UNCLASSIFIED)?.gross, 300);
});

Deno.test("sector figures add up to the totals (property)", () => {
  const holding = fc.record({
    symbol: fc.constantFrom("A", "B", "C", "D"),
    qty: fc.integer({ min: -1000, max: 1000 }),
    price: fc.integer({ min: 1, max: 100_000 }).map((c) => c / 100),
    sector: fc.constantFrom("Energy", "Utilities", null),
  });
  fc.assert(
    fc.property(fc.array(holding, { maxLength: 12 }), (hs) => {
      const e = exposure(hs, 100_000);
      const sum = (f: (s: (typeof e.bySector)[number]) => number) =>
        e.bySector.reduce((s, x) => s + f(x), 0);
      equal(Math.round(sum((s) => s.gross) * 100), Math.round(e.gross * 100));
      equal(Math.round(sum((s) => s.net) * 100), Math.round(e.net * 100));
      equal(e.gross >= Math.abs(e.net), true);
    }),
  );
});

Deno.test("no equity: percentages are absent, not infinite", () => {
  const e = exposure([{ symbol: "A", qty: 1, price: 10, sector: null }], 0);
  equal(e.grossPercent, null);
  equal(e.bySymbol[0].percentOfEquity, null);
});
