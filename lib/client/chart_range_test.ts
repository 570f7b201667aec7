import assert from "node:assert/strict";
import type { Bar } from "../market/types.ts";
import {
  applyQuote,
  barsSearch,
  bucketStart,
  chartTime,
  rangeQuery,
  RANGES,
} from "./chart_range.ts";

Deno.test("each range asks for the right interval, ending on the market's today", () => {
  assert.deepEqual(rangeQuery("1D", "2020-03-16"), {
    interval: "5min",
    start: "2020-03-16",
    end: "2020-03-16",
  });
  assert.deepEqual(rangeQuery("1M", "2020-03-16"), {
    interval: "daily",
    start: "2020-02-16",
    end: "2020-03-16",
  });
  assert.equal(rangeQuery("6M", "2020-03-16").start, "2019-09-16");
  assert.equal(rangeQuery("1Y", "2020-02-29").start, "2019-02-28");
  assert.deepEqual(rangeQuery("5Y", "2020-03-16"), {
    interval: "weekly",
    start: "2015-03-16",
    end: "2020-03-16",
  });
  // Month ends clamp instead of spilling into the next month.
  assert.equal(rangeQuery("1M", "2020-03-31").start, "2020-02-29");
  assert.equal(RANGES.length, 5);
  assert.throws(() => rangeQuery("1D", "16/03/2020"), RangeError);
});

Deno.test("barsSearch builds the API query string", () => {
  assert.equal(
    barsSearch(rangeQuery("1D", "2020-01-02")),
    "interval=5min&start=2020-01-02&end=2020-01-02",
  );
});

Deno.test("bucketStart floors to the bar width", () => {
  assert.equal(bucketStart("2020-01-02T14:37:59.900Z", 5), "2020-01-02T14:35:00.000Z");
  assert.equal(bucketStart("2020-01-02T14:40:00Z", 5), "2020-01-02T14:40:00.000Z");
});

const BAR: Bar = {
  time: "2020-01-02T14:35:00.000Z",
  open: 100,
  high: 101,
  low: 99,
  close: 100.5,
  volume: 1000,
};

Deno.test("a quote inside the last bar moves its close, range and volume", () => {
  const out = applyQuote(
    [BAR],
    { last: 102, volume: 5300, timestamp: "2020-01-02T14:38:00Z" },
    5000,
  );
  assert.deepEqual(out, [{ ...BAR, high: 102, close: 102, volume: 1300 }]);
  const lower = applyQuote(
    [BAR],
    { last: 98, volume: null, timestamp: "2020-01-02T14:36:00Z" },
    5000,
  );
  assert.deepEqual(lower, [{ ...BAR, low: 98, close: 98 }]);
});

Deno.test("a quote past the last bar opens a new one; an old or empty quote changes nothing", () => {
  const bars = [BAR];
  const out = applyQuote(
    bars,
    { last: 103, volume: 5100, timestamp: "2020-01-02T14:41:00Z" },
    5000,
  );
  assert.equal(out.length, 2);
  assert.deepEqual(out[1], {
    time: "2020-01-02T14:40:00.000Z",
    open: 103,
    high: 103,
    low: 103,
    close: 103,
    volume: 100,
  });
  assert.equal(
    applyQuote(bars, { last: 1, volume: 1, timestamp: "2020-01-02T14:00:00Z" }, 0),
    bars,
  );
  assert.equal(
    applyQuote(bars, { last: null, volume: 1, timestamp: "2020-01-02T14:39:00Z" }, 0),
    bars,
  );
  // The first quote of an empty day starts the chart.
  assert.equal(
    applyQuote([], { last: 5, volume: 9, timestamp: "2020-01-02T14:39:00Z" }, null).length,
    1,
  );
});

Deno.test("chartTime: dates stay dates, instants become New York wall-clock seconds", () => {
  assert.equal(chartTime({ time: "2020-01-02" }), "2020-01-02");
  // 14:35 UTC is 09:35 in New York in winter (UTC−5) …
  assert.equal(chartTime(BAR), Date.UTC(2020, 0, 2, 9, 35) / 1000);
  // … and 13:35 UTC is 09:35 in summer (UTC−4).
  assert.equal(chartTime({ time: "2020-07-01T13:35:00Z" }), Date.UTC(2020, 6, 1, 9, 35) / 1000);
});
