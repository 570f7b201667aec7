import { deepEqual, equal, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { ReplayClock, sessionState, weekdaysBetween } from "./clock.ts";
import { nyInstant } from "../exchange_time.ts";

// A small calendar with a holiday (01-20) and a weekend, like the data's.
const days = [
  "2020-01-14",
  "2020-01-15",
  "2020-01-16",
  "2020-01-17",
  "2020-01-21",
  "2020-01-22",
];
// 2026-11-02 is a Monday.
const at = (
  date: string,
  h: number,
  o: Partial<ConstructorParameters<typeof ReplayClock>[0]> = {},
) =>
  new ReplayClock({ days, start: "2020-01-15", speed: 1, epoch: "2026-11-02", ...o }).at(
    nyInstant(date, h * 3600),
  );

Deno.test("weekdays between dates skip weekends, both directions", () => {
  equal(weekdaysBetween("2026-11-02", "2026-11-02"), 0);
  equal(weekdaysBetween("2026-11-02", "2026-11-09"), 5);
  equal(weekdaysBetween("2026-11-06", "2026-11-09"), 1); // Fri → Mon
  equal(weekdaysBetween("2026-11-07", "2026-11-09"), 0); // Sat → Mon
  equal(weekdaysBetween("2026-11-09", "2026-11-02"), -5);
});

Deno.test("session states follow New York exchange hours", () => {
  deepEqual(
    [3.99, 4, 9.49, 9.5, 15.99, 16, 19.99, 20].map((h) => sessionState(h * 3600)),
    ["closed", "premarket", "premarket", "open", "open", "postmarket", "postmarket", "closed"],
  );
});

Deno.test("day 0 is the first trading day on or after the start, one day per real weekday", () => {
  const p = at("2026-11-02", 11);
  equal(p.date, "2020-01-15");
  equal(p.state, "open");
  equal(p.seconds, 11 * 3600);
  equal(at("2026-11-03", 8).date, "2020-01-16");
  equal(at("2026-11-03", 8).state, "premarket");
  // Real Wednesday → 2020-01-17; real Thursday → the next trading day after the holiday.
  equal(at("2026-11-04", 12).date, "2020-01-17");
  equal(at("2026-11-05", 12).date, "2020-01-21");
  equal(at("2026-11-02", 12, { start: "2020-01-18" }).date, "2020-01-21");
});

Deno.test("on a weekend the clock rests at the end of Friday's replay day, closed", () => {
  for (const [date, h] of [["2026-11-07", 12], ["2026-11-08", 23.9]] as const) {
    const p = at(date, h);
    equal(p.date, "2020-01-22");
    equal(p.state, "closed");
    ok(p.seconds > 23.99 * 3600);
  }
});

Deno.test("with weekends the replay keeps going on Saturday and Sunday, a day per real day", () => {
  // Epoch Monday 2026-11-02: Saturday is day 5 and Sunday day 6; one pass is 5 days (01-15 to
  // 01-22), so they wrap to the start day and the day after it.
  const sat = at("2026-11-07", 12, { weekends: true });
  equal(sat.state, "open");
  equal(sat.date, "2020-01-15");
  equal(sat.cycle, 1);
  const sun = at("2026-11-08", 12, { weekends: true });
  equal(sun.state, "open");
  equal(sun.date, "2020-01-16");
  // Weekdays map the same way in both modes before the first weekend.
  deepEqual(at("2026-11-04", 10, { weekends: true }), at("2026-11-04", 10));
});

Deno.test("the replay wraps to the start day after the last day of data", () => {
  // Five days in the cycle (01-15 … 01-22): the sixth weekday is the start again.
  const p = at("2026-11-06", 12);
  equal(p.date, "2020-01-22");
  equal(p.cycle, 0);
  const wrapped = at("2026-11-09", 12);
  equal(wrapped.date, "2020-01-15");
  equal(wrapped.cycle, 1);
  // Before the epoch the cycle counts backwards.
  equal(at("2026-10-30", 12).date, "2020-01-22");
  equal(at("2026-10-30", 12).cycle, -1);
});

Deno.test("speed N runs N historical days per real weekday and the session clock as fast", () => {
  const p = at("2026-11-02", 6, { speed: 2 });
  equal(p.date, "2020-01-15");
  equal(p.seconds, 12 * 3600);
  equal(at("2026-11-02", 13, { speed: 2 }).date, "2020-01-16");
  equal(at("2026-11-02", 13, { speed: 2 }).seconds, 2 * 3600);
  equal(at("2026-11-03", 0, { speed: 2 }).date, "2020-01-17");
});

Deno.test("invalid options are refused with a clear message", () => {
  throws(() => at("2026-11-02", 1, { start: "2021-01-01" }), /after the last day of data/);
  throws(() => at("2026-11-02", 1, { speed: 0 }), /positive/);
  throws(() => at("2026-11-02", 1, { epoch: "2026/11/02" }), /YYYY-MM-DD/);
});

Deno.test("replay time never goes backwards while real time goes forwards (within a cycle)", () => {
  const clock = new ReplayClock({ days, start: "2020-01-14", speed: 1, epoch: "2026-11-02" });
  const t0 = nyInstant("2026-11-02", 0);
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 5 * 86_400_000 }),
    fc.integer({ min: 0, max: 3 * 86_400_000 }),
    fc.double({ min: 0.25, max: 4, noNaN: true }),
    (a, d, speed) => {
      const c = new ReplayClock({ days, start: "2020-01-14", speed, epoch: "2026-11-02" });
      const p = c.at(t0 + a);
      const q = c.at(t0 + a + d);
      const key = (x: typeof p) => (x.cycle * days.length + x.index) * 86_400 + x.seconds;
      ok(key(q) >= key(p) - 1e-6, `${JSON.stringify(p)} then ${JSON.stringify(q)}`);
    },
  ));
  equal(clock.cycleLength, 6);
});
