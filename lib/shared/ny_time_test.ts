import assert from "node:assert/strict";
import fc from "fast-check";
import { nyMidnight, nyOffsetMs, nyTime, nyTimeIntl, startOfNyDay } from "./ny_time.ts";

const iso = (ms: number | Date) => new Date(ms).toISOString();

Deno.test("nyTime gives the New York date and seconds since its midnight", () => {
  // 03:00 UTC on the 15th is still the evening of the 14th in New York (EST).
  assert.deepEqual(nyTime(Date.parse("2024-01-15T03:00:00.250Z")), {
    date: "2024-01-14",
    seconds: 22 * 3600 + 0.25,
  });
  assert.deepEqual(nyTime(Date.parse("2024-07-04T13:30:00Z")), {
    date: "2024-07-04",
    seconds: 9.5 * 3600,
  });
});

Deno.test("the offset is -5 h in winter, -4 h in summer, and switches at 02:00 local", () => {
  assert.equal(nyOffsetMs(Date.parse("2024-01-15T12:00:00Z")), -5 * 3_600_000);
  assert.equal(nyOffsetMs(Date.parse("2024-07-15T12:00:00Z")), -4 * 3_600_000);
  // Spring forward on 10 Mar 2024 at 07:00 UTC (02:00 EST).
  assert.equal(nyOffsetMs(Date.parse("2024-03-10T06:59:59Z")), -5 * 3_600_000);
  assert.equal(nyOffsetMs(Date.parse("2024-03-10T07:00:00Z")), -4 * 3_600_000);
  // Fall back on 3 Nov 2024 at 06:00 UTC (02:00 EDT).
  assert.equal(nyOffsetMs(Date.parse("2024-11-03T05:59:59Z")), -4 * 3_600_000);
  assert.equal(nyOffsetMs(Date.parse("2024-11-03T06:00:00Z")), -5 * 3_600_000);
});

Deno.test("New York midnight on ordinary days and on both daylight-saving change days", () => {
  assert.equal(iso(nyMidnight("2024-01-15")), "2024-01-15T05:00:00.000Z");
  assert.equal(iso(nyMidnight("2024-07-04")), "2024-07-04T04:00:00.000Z");
  // Clocks spring forward at 02:00 on 10 Mar 2024: its midnight was still EST.
  assert.equal(iso(nyMidnight("2024-03-10")), "2024-03-10T05:00:00.000Z");
  assert.equal(iso(nyMidnight("2024-03-11")), "2024-03-11T04:00:00.000Z");
  // Clocks fall back at 02:00 on 3 Nov 2024: its midnight was still EDT, and the day lasts 25 h.
  assert.equal(iso(nyMidnight("2024-11-03")), "2024-11-03T04:00:00.000Z");
  assert.equal(nyMidnight("2024-11-04") - nyMidnight("2024-11-03"), 25 * 3_600_000);
  assert.equal(nyMidnight("2024-03-11") - nyMidnight("2024-03-10"), 23 * 3_600_000);
});

Deno.test("startOfNyDay: the last midnight in New York at or before any instant", () => {
  assert.equal(iso(startOfNyDay(Date.parse("2024-01-15T03:00:00Z"))), "2024-01-14T05:00:00.000Z");
  assert.equal(iso(startOfNyDay(new Date("2024-03-10T15:00:00Z"))), "2024-03-10T05:00:00.000Z");
  // One second after midnight and one second before it, around the fall-back day.
  assert.equal(iso(startOfNyDay(Date.parse("2024-11-03T04:00:01Z"))), "2024-11-03T04:00:00.000Z");
  assert.equal(iso(startOfNyDay(Date.parse("2024-11-03T03:59:59Z"))), "2024-11-02T04:00:00.000Z");
  assert.throws(() => startOfNyDay(new Date("nonsense")), RangeError);
  // Any instant from 2000 to 2040: its midnight is a New York 00:00:00 on the same date, at
  // most 25 hours earlier.
  fc.assert(fc.property(fc.integer({ min: 946_684_800, max: 2_208_988_800 }), (s) => {
    const ms = s * 1000;
    const start = startOfNyDay(ms).getTime();
    assert.ok(start <= ms && ms - start < 25 * 3_600_000);
    assert.deepEqual(nyTime(start), { date: nyTime(ms).date, seconds: 0 });
  }));
});

Deno.test("nyTime agrees with Intl to the millisecond, around every clock change too", () => {
  const same = (ms: number) => assert.deepEqual(nyTime(ms), nyTimeIntl(ms), iso(ms));
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }), same),
    { numRuns: 5_000 },
  );
  // Every millisecond of one second, where the seconds' fraction is added: the float must be
  // the one Intl's path gives, not one ulp off (05:00:01.118 was, once).
  const second = Date.parse("2024-01-15T05:00:01Z");
  for (let i = 0; i < 1000; i++) same(second + i);
  // Each side of the 2024 and 2025 changes, to the millisecond, and the hours around them.
  for (const change of ["2024-03-10T07:00:00Z", "2024-11-03T06:00:00Z", "2025-03-09T07:00:00Z"]) {
    const at = Date.parse(change);
    for (const delta of [-3_600_001, -3_600_000, -1, 0, 1, 999, 3_599_999, 3_600_000]) {
      same(at + delta);
    }
  }
  // Before 1970 the floored hour and day still line up; outside years 1000-9999 Intl answers.
  same(Date.UTC(1969, 11, 31, 23, 59, 59, 999));
  same(Date.UTC(1960, 5, 1, 4, 30));
  for (const year of [999, 1000, 9999, 12000]) same(Date.UTC(year, 6, 1, 12));
  assert.throws(() => nyTime(NaN), RangeError);
});
