import assert from "node:assert/strict";
import { MISSING } from "./format.ts";
import { formatMarketTime, marketDate } from "./format_time.ts";

Deno.test("times of day read in New York, winter and summer", () => {
  assert.equal(formatMarketTime("2020-01-02T14:35:07Z"), "09:35:07");
  assert.equal(formatMarketTime("2020-07-02T14:35:07Z"), "10:35:07");
  assert.equal(formatMarketTime("nope"), MISSING);
});

Deno.test("marketDate is the New York calendar date of an instant", () => {
  assert.equal(marketDate("2020-01-03T02:00:00Z"), "2020-01-02");
  assert.equal(marketDate("2020-01-02T15:00:00Z"), "2020-01-02");
  assert.equal(marketDate("garbage"), null);
});
