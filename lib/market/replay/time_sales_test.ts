import { equal, throws } from "node:assert/strict";
import { parseBound } from "./time_sales.ts";

const iso = (ms: number | null) => ms === null ? null : new Date(ms).toISOString();

Deno.test("time and sales bounds: a date, a New York wall time, or an instant", () => {
  equal(parseBound(undefined, false), null);
  equal(parseBound("", true), null);
  equal(iso(parseBound("2020-01-03", false)), "2020-01-03T05:00:00.000Z");
  equal(iso(parseBound("2020-01-03", true)), "2020-01-04T04:59:59.000Z");
  equal(iso(parseBound("2020-01-03 09:30", false)), "2020-01-03T14:30:00.000Z");
  equal(iso(parseBound("2020-07-01T16:00:30", true)), "2020-07-01T20:00:30.000Z");
  equal(iso(parseBound("2020-01-03T15:00:00Z", false)), "2020-01-03T15:00:00.000Z");
  throws(() => parseBound("noon", false), RangeError);
});

Deno.test("a bare date spans the whole New York day, 23 or 25 hours when clocks change", () => {
  // Spring forward (8 Mar 2020): midnight is EST, the day ends in EDT.
  equal(iso(parseBound("2020-03-08", false)), "2020-03-08T05:00:00.000Z");
  equal(iso(parseBound("2020-03-08", true)), "2020-03-09T03:59:59.000Z");
  // Fall back (1 Nov 2020): midnight is EDT, the day ends in EST.
  equal(iso(parseBound("2020-11-01", false)), "2020-11-01T04:00:00.000Z");
  equal(iso(parseBound("2020-11-01", true)), "2020-11-02T04:59:59.000Z");
});
