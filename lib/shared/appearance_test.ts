import assert from "node:assert/strict";
import { appearanceCookie, appearanceFromCookieHeader } from "./appearance.ts";

Deno.test("the appearance cookie round-trips, and anything odd falls back to the default", () => {
  const cookie = appearanceCookie({ theme: "light", density: "compact" });
  assert.match(cookie, /^paiid_look=light\.compact; Path=\/; Max-Age=31536000; SameSite=Lax$/);
  const header = `a=1; ${cookie.split(";")[0]}; b=2`;
  assert.deepEqual(appearanceFromCookieHeader(header), { theme: "light", density: "compact" });
  assert.deepEqual(appearanceFromCookieHeader(null), { theme: "dark", density: "comfortable" });
  assert.deepEqual(appearanceFromCookieHeader("paiid_look=<script>.x"), {
    theme: "dark",
    density: "comfortable",
  });
  assert.deepEqual(appearanceFromCookieHeader("paiid_look=system"), {
    theme: "system",
    density: "comfortable",
  });
});
