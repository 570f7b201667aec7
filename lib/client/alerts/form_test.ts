import assert from "node:assert/strict";
import { alertBody, defaultLevel, expiryFor } from "./form.ts";

Deno.test("first levels sit 1 % beyond the price, or at the textbook levels", () => {
  assert.equal(defaultLevel("price_above", 100), 101);
  assert.equal(defaultLevel("price_below", 100), 99);
  assert.equal(defaultLevel("price_above", 0.5), 0.505);
  assert.equal(defaultLevel("price_above", null), 0);
  assert.equal(defaultLevel("rsi_below", 50), 30);
  assert.equal(defaultLevel("volume_above", 50), 2);
});

Deno.test("the body carries a number level, and bad levels say why", () => {
  assert.deepEqual(alertBody("AAPL", "price_above", "101.5", "margin"), {
    ok: true,
    body: { symbol: "AAPL", condition: "price_above", threshold: 101.5, rearm: "margin" },
  });
  assert.equal(alertBody("AAPL", "price_above", "", "margin").ok, false);
  assert.equal(alertBody("AAPL", "price_above", "abc", "margin").ok, false);
  assert.equal(alertBody("AAPL", "price_below", "-1", "session").ok, false);
  assert.equal(alertBody("AAPL", "change_below", "3", "session").ok, true);
});

Deno.test("an expiry choice becomes an instant that many days on, or none", () => {
  const now = Date.parse("2026-12-04T15:00:00Z");
  assert.equal(expiryFor("never", now), null);
  assert.equal(expiryFor("1d", now), "2026-12-05T15:00:00.000Z");
  assert.equal(expiryFor("1m", now), "2027-01-03T15:00:00.000Z");
  const built = alertBody("AAPL", "price_above", "1", "margin", "2026-12-05T15:00:00.000Z");
  assert.ok(built.ok && built.body.expiresAt === "2026-12-05T15:00:00.000Z");
});
