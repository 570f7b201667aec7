import assert from "node:assert/strict";
import { settingsFrom, settingsPatchSchema } from "./settings.ts";

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

Deno.test("the option level defaults to spreads; naked is not a level", () => {
  assert.equal(settingsFrom({}).optionLevel, "spreads");
  assert.equal(settingsFrom({ optionLevel: "covered" }).optionLevel, "covered");
  assert.equal(settingsFrom({ optionLevel: "naked" }).optionLevel, "spreads");
  assert.equal(settingsPatchSchema.safeParse({ optionLevel: "none" }).success, true);
  assert.equal(settingsPatchSchema.safeParse({ optionLevel: "naked" }).success, false);
});
