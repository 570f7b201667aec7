import assert from "node:assert/strict";
import { checkSymbol, isIndexSymbol, TICKER } from "./ticker.ts";

Deno.test("tickers are 1 to 5 letters with an optional .X or -X class", () => {
  for (const ok of ["A", "AAPL", "GOOGL", "BRK.B", "BRK-B"]) assert.ok(TICKER.test(ok), ok);
  for (const bad of ["", "TOOLONG", "AAPL1", "BRK.BB", "BRK_B", "aapl", "^GSPC"]) {
    assert.ok(!TICKER.test(bad), bad);
  }
});

Deno.test("symbols come back canonical: trimmed, upper-cased, index aliases resolved", () => {
  assert.deepEqual(checkSymbol(" brk.b "), { ok: true, symbol: "BRK.B" });
  assert.deepEqual(checkSymbol("^gspc"), { ok: true, symbol: "SPX" });
  assert.deepEqual(checkSymbol("$COMP"), { ok: true, symbol: "COMP" });
  assert.deepEqual(checkSymbol("vix"), { ok: true, symbol: "VIX" });
});

Deno.test("malformed symbols say why", () => {
  assert.deepEqual(checkSymbol("  "), { ok: false, message: "The symbol is empty." });
  const long = checkSymbol("ABCDEFGHIJ");
  assert.match(!long.ok ? long.message : "", /"ABCDEFGHIJ" is too long/);
  const odd = checkSymbol("A1");
  assert.match(!odd.ok ? odd.message : "", /"A1" is not a ticker .* nor an index \(SPX, VIX/);
});

Deno.test("only the named indexes are indexes", () => {
  assert.ok(isIndexSymbol("SPX"));
  assert.ok(!isIndexSymbol("AAPL"));
  assert.ok(!isIndexSymbol("GSPC"), "aliases are resolved by checkSymbol, not here");
  assert.ok(!isIndexSymbol("toString"), "inherited object keys are not symbols");
});
