import assert from "node:assert/strict";
import { startOfMarketDay } from "./market_day.ts";

Deno.test("start of the market day is New York midnight, in winter and in summer", () => {
  // 2024-01-15 03:00 UTC is still the 14th in New York (EST, UTC−5).
  assert.equal(startOfMarketDay(new Date("2024-01-15T03:00:00Z")), "2024-01-14T05:00:00.000Z");
  assert.equal(startOfMarketDay(new Date("2024-01-15T18:00:00Z")), "2024-01-15T05:00:00.000Z");
  // July: EDT, UTC−4.
  assert.equal(startOfMarketDay(new Date("2024-07-04T12:00:00Z")), "2024-07-04T04:00:00.000Z");
  // The day clocks spring forward (10 Mar 2024): midnight was still EST.
  assert.equal(startOfMarketDay(new Date("2024-03-10T15:00:00Z")), "2024-03-10T05:00:00.000Z");
  // The day clocks fall back (3 Nov 2024): midnight was still EDT.
  assert.equal(startOfMarketDay(new Date("2024-11-03T15:00:00Z")), "2024-11-03T04:00:00.000Z");
});
