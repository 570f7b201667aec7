import { deepEqual, equal, throws } from "node:assert/strict";
import fc from "fast-check";
import { CronSyntaxError, matches, nextRun, parseCron } from "./cron.ts";

const at = (iso: string) => new Date(iso);

Deno.test("next runs of the schedules PaiiD's jobs use", () => {
  // Every minute: the next whole minute, even from 59.9 s past.
  equal(
    nextRun("* * * * *", at("2026-03-06T10:15:59.900Z"))?.toISOString(),
    "2026-03-06T10:16:00.000Z",
  );
  equal(
    nextRun("*/5 * * * *", at("2026-03-06T10:15:00Z"))?.toISOString(),
    "2026-03-06T10:20:00.000Z",
  );
  equal(
    nextRun("*/15 * * * *", at("2026-03-06T23:50:00Z"))?.toISOString(),
    "2026-03-07T00:00:00.000Z",
  );
  equal(
    nextRun("17 4 * * *", at("2026-03-06T04:17:00Z"))?.toISOString(),
    "2026-03-07T04:17:00.000Z",
  );
  // Weekdays only: Friday evening's next is Monday morning.
  equal(
    nextRun("15 12 * * 1-5", at("2026-03-06T12:15:00Z"))?.toISOString(),
    "2026-03-09T12:15:00.000Z",
  );
  equal(
    nextRun("30 11,21 * * 1-5", at("2026-03-06T21:30:00Z"))?.toISOString(),
    "2026-03-09T11:30:00.000Z",
  );
  equal(
    nextRun("30 11,21 * * 1-5", at("2026-03-09T11:30:00Z"))?.toISOString(),
    "2026-03-09T21:30:00.000Z",
  );
});

Deno.test("months, leap days, Sunday as 7, and day-of-month OR day-of-week", () => {
  equal(
    nextRun("0 0 29 2 *", at("2026-03-01T00:00:00Z"))?.toISOString(),
    "2028-02-29T00:00:00.000Z",
  );
  equal(nextRun("0 0 31 2 *", at("2026-03-01T00:00:00Z")), null);
  deepEqual([...parseCron("0 0 * * 7").weekdays], [0]);
  // The 13th, or any Friday: from Monday 2026-03-09 the Friday (13th) comes first.
  equal(
    nextRun("0 9 13 * 5", at("2026-03-09T10:00:00Z"))?.toISOString(),
    "2026-03-13T09:00:00.000Z",
  );
  // Then the next Friday, the 20th, though it is not the 13th.
  equal(
    nextRun("0 9 13 * 5", at("2026-03-13T10:00:00Z"))?.toISOString(),
    "2026-03-20T09:00:00.000Z",
  );
  deepEqual([...parseCron("5/20 * * * *").minutes], [5, 25, 45]);
  deepEqual([...parseCron("10-20/5 * * * *").minutes], [10, 15, 20]);
});

Deno.test("what the subset does not read is refused with the field named", () => {
  for (
    const [expr, why] of [
      ["* * * *", /4 fields/],
      ["60 * * * *", /minute: 60 is outside/],
      ["* 24 * * *", /hour/],
      ["* * 0 * *", /day of month/],
      ["* * * 13 *", /month/],
      ["* * * * MON", /day of week/],
      ["*/0 * * * *", /step/],
      ["5-1 * * * *", /backwards/],
      ["* * L * *", /not understood/],
    ] as const
  ) {
    throws(() => parseCron(expr), (e) => e instanceof CronSyntaxError && why.test(e.message));
  }
});

/** The slow, obviously right answer: try every minute. */
function bruteForce(expr: string, after: Date, limitMinutes: number): Date | null {
  const s = parseCron(expr);
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  for (let i = 0; i < limitMinutes; i++) {
    t.setUTCMinutes(t.getUTCMinutes() + 1);
    if (matches(s, t)) return new Date(t.getTime());
  }
  return null;
}

Deno.test("nextRun agrees with trying every minute (property)", () => {
  const field = (min: number, max: number) =>
    fc.oneof(
      fc.constant("*"),
      fc.integer({ min, max }).map(String),
      fc.integer({ min: 1, max: Math.min(30, max) }).map((n) => `*/${n}`),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min, max }))
        .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 3 }).map((l) =>
        l.join(",")
      ),
    );
  const expression = fc.tuple(
    field(0, 59),
    field(0, 23),
    // Days and months kept common enough that a match comes within the brute force's reach.
    fc.oneof(fc.constant("*"), field(1, 28)),
    fc.constant("*"),
    field(0, 7),
  ).map((f) => f.join(" "));
  const start = fc.date({
    min: at("2020-01-01T00:00:00Z"),
    max: at("2030-01-01T00:00:00Z"),
    noInvalidDate: true,
  });
  fc.assert(
    fc.property(expression, start, (expr, after) => {
      const limit = 62 * 24 * 60;
      const expected = bruteForce(expr, after, limit);
      const got = nextRun(expr, after);
      if (expected === null) {
        return got === null || got.getTime() - after.getTime() > limit * 60_000 - 60_000;
      }
      return got?.getTime() === expected.getTime();
    }),
    { numRuns: 150 },
  );
});
