import assert from "node:assert/strict";
import { settingsPatchSchema } from "./settings.ts";

Deno.test("watchlist symbols follow the API's ticker rule and come back canonical", () => {
  const ok = settingsPatchSchema.safeParse({ watchlist: [" brk.b", "^GSPC", "nvda"] });
  assert.deepEqual(ok.success && ok.data.watchlist, ["BRK.B", "SPX", "NVDA"]);
  // Symbols the quote endpoints would refuse are refused here too.
  for (const bad of ["A1", "TOOLONG", "BRK.BB", ""]) {
    const r = settingsPatchSchema.safeParse({ watchlist: [bad] });
    assert.equal(r.success, false, bad);
  }
  // Two spellings of one index are one symbol.
  const twice = settingsPatchSchema.safeParse({ watchlist: ["SPX", "$SPX"] });
  assert.equal(twice.success, false);
});
