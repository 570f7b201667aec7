import assert from "node:assert/strict";
import { clampSplit, SPLIT_DEFAULT, splitCookie, splitFromCookieHeader } from "./split.ts";

Deno.test("splitFromCookieHeader: reads paiid_split among other cookies", () => {
  assert.equal(splitFromCookieHeader("a=1; paiid_split=45; b=2"), 45);
  assert.equal(splitFromCookieHeader("paiid_split=30"), 30);
});

Deno.test("splitFromCookieHeader: clamps to 20–60", () => {
  assert.equal(splitFromCookieHeader("paiid_split=5"), 20);
  assert.equal(splitFromCookieHeader("paiid_split=99"), 60);
});

Deno.test("splitFromCookieHeader: default without a cookie or with a malformed one", () => {
  for (
    const header of [null, "", "other=1", "paiid_split=", "paiid_split=38abc", "paiid_split=-5"]
  ) {
    assert.equal(splitFromCookieHeader(header), SPLIT_DEFAULT, String(header));
  }
  assert.equal(splitFromCookieHeader("xpaiid_split=50"), SPLIT_DEFAULT);
});

Deno.test("clampSplit: custom bounds, and non-numbers fall back to the default", () => {
  assert.equal(clampSplit(10, 30, 50), 30);
  assert.equal(clampSplit(70, 30, 50), 50);
  assert.equal(clampSplit(Number.NaN), SPLIT_DEFAULT);
});

Deno.test("splitCookie: whole percent, site-wide, for a year", () => {
  assert.equal(splitCookie(41.6), "paiid_split=42; Path=/; Max-Age=31536000; SameSite=Lax");
  assert.equal(splitCookie(90), "paiid_split=60; Path=/; Max-Age=31536000; SameSite=Lax");
});
