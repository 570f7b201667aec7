import assert from "node:assert/strict";
import { moveActive, symbolHref } from "./search_nav.ts";

Deno.test("arrow keys move through the options and wrap", () => {
  assert.equal(moveActive(-1, 1, 3), 0);
  assert.equal(moveActive(-1, -1, 3), 2);
  assert.equal(moveActive(0, 1, 3), 1);
  assert.equal(moveActive(2, 1, 3), 0);
  assert.equal(moveActive(0, -1, 3), 2);
  assert.equal(moveActive(0, 1, 0), -1);
});

Deno.test("symbolHref upper-cases and escapes", () => {
  assert.equal(symbolHref(" brk.b "), "/symbol/BRK.B");
  assert.equal(symbolHref("a/b"), "/symbol/A%2FB");
});
