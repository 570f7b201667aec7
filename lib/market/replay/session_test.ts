import { deepEqual, equal } from "node:assert/strict";
import { CLOSE, OPEN, type ReplayPosition, SESSION_SECONDS, sessionState } from "./clock.ts";
import type { DailySeries } from "./history.ts";
import {
  intradayDays,
  MAX_INTRADAY_DAYS,
  sessionSecond,
  stampOf,
  visibleThrough,
} from "./session.ts";

const at = (date: string, seconds: number): ReplayPosition => ({
  index: 0,
  date,
  seconds,
  state: sessionState(seconds),
  cycle: 0,
});

Deno.test("the session second: -1 before the open, counting from 9:30, the last one after 16:00", () => {
  equal(sessionSecond(at("2020-01-03", OPEN - 1)), -1);
  equal(sessionSecond(at("2020-01-03", OPEN)), 0);
  equal(sessionSecond(at("2020-01-03", OPEN + 61.9)), 61);
  equal(sessionSecond(at("2020-01-03", CLOSE)), SESSION_SECONDS - 1);
  equal(sessionSecond(at("2020-01-03", 23 * 3600)), SESSION_SECONDS - 1);
});

Deno.test("a past day is visible whole, the replay day only up to the replayed second", () => {
  const pos = at("2020-01-03", OPEN + 600);
  equal(visibleThrough("2020-01-02", pos), SESSION_SECONDS - 1);
  equal(visibleThrough("2020-01-03", pos), 600);
  equal(visibleThrough("2020-01-03", at("2020-01-03", 8 * 3600)), -1);
});

Deno.test("intraday reads reach the last few trading days, never past the replay day", () => {
  const dates = ["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07", "2020-01-08"];
  dates.push("2020-01-09", "2020-01-10", "2020-01-13");
  const series = { dates } as DailySeries;
  const pos = at("2020-01-10", OPEN);
  deepEqual(intradayDays(series, pos, "2020-01-03", "2020-01-06"), ["2020-01-03", "2020-01-06"]);
  // An end after the replay day stops at it; a long window keeps only the latest days.
  const wide = intradayDays(series, pos, "2020-01-01", "2020-12-31");
  equal(wide.length, MAX_INTRADAY_DAYS);
  equal(wide.at(-1), "2020-01-10");
});

Deno.test("the stamp of a position is its New York instant", () => {
  equal(stampOf(at("2020-01-03", OPEN)), "2020-01-03T14:30:00.000Z");
  equal(stampOf(at("2020-07-01", OPEN)), "2020-07-01T13:30:00.000Z");
});
