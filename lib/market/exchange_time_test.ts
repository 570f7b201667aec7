import { equal } from "node:assert/strict";
import fc from "fast-check";
import { addDays, daysBetween, hhmm, nyInstant, nyTime, weekday } from "./exchange_time.ts";

Deno.test("New York open is 14:30 UTC in winter and 13:30 UTC in summer", () => {
  equal(new Date(nyInstant("2020-01-02", 9.5 * 3600)).toISOString(), "2020-01-02T14:30:00.000Z");
  // 2020-03-08 is the first day of daylight saving time.
  equal(new Date(nyInstant("2020-03-06", 9.5 * 3600)).toISOString(), "2020-03-06T14:30:00.000Z");
  equal(new Date(nyInstant("2020-03-09", 9.5 * 3600)).toISOString(), "2020-03-09T13:30:00.000Z");
  equal(new Date(nyInstant("2020-11-02", 16 * 3600)).toISOString(), "2020-11-02T21:00:00.000Z");
});

Deno.test("nyTime inverts nyInstant for every exchange second of any day", () => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 365 * 30 }),
    fc.integer({ min: 4 * 3600, max: 20 * 3600 - 1 }),
    (day, seconds) => {
      const date = addDays("2005-01-01", day);
      const t = nyTime(nyInstant(date, seconds));
      equal(t.date, date);
      equal(t.seconds, seconds);
    },
  ));
});

Deno.test("date helpers", () => {
  equal(daysBetween("2020-02-27", "2020-03-02"), 4);
  equal(daysBetween("2020-03-02", "2020-02-27"), -4);
  equal(addDays("2020-12-31", 1), "2021-01-01");
  equal(weekday("2020-01-02"), 4);
  equal(hhmm(9.5 * 3600), "09:30");
});
