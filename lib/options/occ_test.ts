import assert from "node:assert/strict";
import fc from "fast-check";
import { formatOcc, isOccSymbol, parseOcc } from "./occ.ts";

Deno.test("parseOcc: reads root, expiry, type and strike", () => {
  assert.deepEqual(parseOcc("AAPL240621P00200000"), {
    symbol: "AAPL240621P00200000",
    underlying: "AAPL",
    expiration: "2024-06-21",
    type: "put",
    strike: 200,
  });
  assert.equal(parseOcc("spy210115c00372500")?.strike, 372.5);
});

Deno.test("parseOcc: refuses tickers, impossible dates and a zero strike", () => {
  for (const s of ["AAPL", "AAPL240631C00100000", "AAPL241321C00100000", "AAPL240621C00000000"]) {
    assert.equal(isOccSymbol(s), false, s);
  }
});

Deno.test("formatOcc and parseOcc are inverses", () => {
  fc.assert(fc.property(
    fc.constantFrom("AAPL", "SPY", "BRK.B", "X"),
    fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }),
    fc.constantFrom("call" as const, "put" as const),
    fc.integer({ min: 1, max: 9_999_999 }),
    (root, d, type, milli) => {
      const expiration = d.toISOString().slice(0, 10);
      const strike = milli / 1000;
      const parsed = parseOcc(formatOcc(root, expiration, type, strike));
      assert.deepEqual(
        parsed && [parsed.underlying, parsed.expiration, parsed.type, parsed.strike],
        [
          root,
          expiration,
          type,
          strike,
        ],
      );
    },
  ));
});
