import { deepEqual } from "node:assert/strict";
import { splitSymbols } from "./onboarding.ts";

Deno.test("symbols typed in the form are split, upper-cased and de-duplicated", () => {
  deepEqual(splitSymbols(" aapl, msft;spy  AAPL "), ["AAPL", "MSFT", "SPY"]);
  deepEqual(splitSymbols(""), []);
});
