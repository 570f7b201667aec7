import { deepEqual, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import { SESSION_SECONDS } from "./clock.ts";
import {
  type DailyBar,
  intradayBars,
  simulateDay,
  spreadAt,
  stats,
  volumeThrough,
} from "./intraday.ts";

/** Any valid daily bar: low ≤ min(open, close), high ≥ max(open, close), 4-decimal prices. */
const dailyBar = fc.record({
  low: fc.integer({ min: 100, max: 50_000_000 }),
  a: fc.integer({ min: 0, max: 2_000_000 }),
  b: fc.integer({ min: 0, max: 2_000_000 }),
  up: fc.integer({ min: 0, max: 2_000_000 }),
  volume: fc.oneof(fc.constant(NaN), fc.integer({ min: 1, max: 500_000_000 })),
  day: fc.integer({ min: 0, max: 3000 }),
}).map(({ low, a, b, up, volume, day }): DailyBar => {
  const p = (x: number) => x / 1e4;
  return {
    date: new Date(Date.UTC(2012, 0, 3) + day * 86_400_000).toISOString().slice(0, 10),
    low: p(low),
    open: p(low + a),
    close: p(low + b),
    high: p(low + Math.max(a, b) + up),
    volume,
  };
});

Deno.test("the same symbol and day always give the same path and volume", () => {
  fc.assert(
    fc.property(dailyBar, fc.constantFrom("AAPL", "SPX", "VIX"), (bar, symbol) => {
      const a = simulateDay(symbol, bar);
      const b = simulateDay(symbol, bar);
      deepEqual(a.prices, b.prices);
      deepEqual(a.minuteVolume, b.minuteVolume);
    }),
    { numRuns: 20 },
  );
  const bar = { date: "2020-03-16", open: 10, high: 12, low: 9, close: 11, volume: 1e6 };
  ok(simulateDay("AAPL", bar).prices.some((x, i) => x !== simulateDay("MSFT", bar).prices[i]));
});

Deno.test("a path runs from the real open to the real close and touches the real high and low", () => {
  fc.assert(
    fc.property(dailyBar, (bar) => {
      const day = simulateDay("TEST", bar);
      const p = day.prices;
      equal(p.length, SESSION_SECONDS);
      equal(p[0], bar.open);
      equal(p[SESSION_SECONDS - 1], bar.close);
      let hi = -Infinity, lo = Infinity;
      for (const x of p) (hi = Math.max(hi, x), lo = Math.min(lo, x));
      equal(hi, bar.high);
      equal(lo, bar.low);
      const all = stats(day, 0, SESSION_SECONDS - 1);
      ok(all.high >= all.low);
    }),
    { numRuns: 60 },
  );
});

Deno.test("volume adds up to the real day's volume and never decreases", () => {
  fc.assert(
    fc.property(dailyBar, fc.integer({ min: 0, max: SESSION_SECONDS - 2 }), (bar, s) => {
      const day = simulateDay("TEST", bar);
      const total = Number.isFinite(bar.volume) ? bar.volume : 0;
      equal(volumeThrough(day, SESSION_SECONDS - 1), total);
      equal(volumeThrough(day, -1), 0);
      ok(volumeThrough(day, s + 1) >= volumeThrough(day, s));
      ok(day.minuteVolume.every((v) => v >= 0 && Number.isInteger(v)));
    }),
    { numRuns: 40 },
  );
});

Deno.test("volume is U-shaped: the first and last half hours outweigh midday", () => {
  const day = simulateDay("AAPL", {
    date: "2020-01-02",
    open: 74.06,
    high: 75.15,
    low: 73.7975,
    close: 75.0875,
    volume: 135_480_400,
  });
  const sum = (a: number, b: number) => day.minuteVolume.slice(a, b).reduce((x, y) => x + y, 0);
  ok(sum(0, 30) > 1.5 * sum(180, 210));
  ok(sum(360, 390) > 1.5 * sum(180, 210));
});

Deno.test("intraday bars cover the session so far in order, consistent with the path", () => {
  fc.assert(
    fc.property(
      dailyBar,
      fc.constantFrom(1, 5, 15),
      fc.integer({ min: 0, max: SESSION_SECONDS - 1 }),
      (bar, minutes, through) => {
        const day = simulateDay("TEST", bar);
        const bars = intradayBars(day, minutes, through);
        equal(bars.length, Math.floor(through / (minutes * 60)) + 1);
        for (let i = 0; i < bars.length; i++) {
          equal(bars[i].second, i * minutes * 60);
          ok(bars[i].low <= Math.min(bars[i].open, bars[i].close));
          ok(bars[i].high >= Math.max(bars[i].open, bars[i].close));
          ok(bars[i].high <= bar.high && bars[i].low >= bar.low);
        }
        equal(bars.at(-1)!.close, day.prices[through]);
        equal(bars.reduce((a, b) => a + b.volume, 0), volumeThrough(day, through));
      },
    ),
    { numRuns: 30 },
  );
});

Deno.test("bid ≤ last ≤ ask, a cent apart at least, sizes in round lots", () => {
  fc.assert(
    fc.property(
      dailyBar,
      fc.integer({ min: 0, max: SESSION_SECONDS - 1 }),
      (bar, s) => {
        const day = simulateDay("TEST", bar);
        const last = day.prices[s];
        const q = spreadAt(bar, day.seed, s, last);
        ok(q.bid <= last + 1e-9 && last <= q.ask + 1e-9, JSON.stringify({ q, last }));
        ok(q.ask - q.bid >= 0.0099);
        equal(q.bidSize % 100, 0);
        equal(q.askSize % 100, 0);
      },
    ),
    { numRuns: 100 },
  );
});

Deno.test("a large cap's spread is a few basis points", () => {
  const bar = { date: "2020-01-02", open: 74, high: 75, low: 73, close: 75, volume: 135e6 };
  const q = spreadAt(bar, 1, 100, 74.5);
  ok((q.ask - q.bid) / 74.5 < 10e-4, JSON.stringify(q));
});
