import assert from "node:assert/strict";
import { safeNext } from "./forms.ts";

Deno.test("safeNext: same-site paths only", () => {
  assert.equal(safeNext("/risk"), "/risk");
  assert.equal(safeNext("/symbol/AAPL?range=1y#chart"), "/symbol/AAPL?range=1y#chart");
  for (
    const bad of [
      "//evil.example/x",
      "/.//evil.example",
      "/a/..//evil.example/x",
      "/%2e//evil.example",
      "/\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "/\t/evil.example",
      "risk",
      "",
      "/login",
      "/logout?x=1",
      null,
      42,
      "/" + "a".repeat(3000),
    ]
  ) {
    assert.equal(safeNext(bad), "/", String(bad));
  }
});
