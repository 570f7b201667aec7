import { equal, ok } from "node:assert/strict";
import { dateSession } from "./session.ts";

Deno.test("date sessions follow the calendar: later dates, larger numbers", () => {
  equal(dateSession("1970-01-02"), 1);
  equal(dateSession("2026-11-05") - dateSession("2026-11-04"), 1);
  // Friday to Monday: a gap, still in order.
  ok(dateSession("2026-11-09") > dateSession("2026-11-06"));
  ok(dateSession("2027-01-01") > dateSession("2026-12-31"));
});
