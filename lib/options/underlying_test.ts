import { equal } from "node:assert/strict";
import { underlyingOf } from "./underlying.ts";
import { formatOcc, parseOcc } from "./occ.ts";

Deno.test("underlyingOf: the root is the ticker, except SPXW and dotless class shares", () => {
  equal(underlyingOf(parseOcc(formatOcc("AAPL", "2024-06-21", "call", 150))!.underlying), "AAPL");
  equal(underlyingOf("SPXW"), "SPX");
  equal(underlyingOf("SPX"), "SPX");
  equal(underlyingOf("BRKB"), "BRK.B");
});
