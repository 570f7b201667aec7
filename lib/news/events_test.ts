/**
 * Market events against values computed here straight from the shipped CSV files (not through
 * the replay or events.ts), for fixed replayed days.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { createReplayMarketData } from "../market/replay/mod.ts";
import { BarsMemo, eventsFeed } from "./feed.ts";
import { stockEventsOn } from "./events.ts";
import type { Bar } from "../market/types.ts";

const DATA = new URL("../../data/market/", import.meta.url);

async function csvRows(file: string): Promise<{ date: string; o: number; c: number; v: number }[]> {
  const bytes = await Deno.readFile(new URL(file, DATA));
  const text = await new Response(
    new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const [head, ...lines] = text.trim().split("\n");
  const cols = head.split(",");
  return lines.map((l) => {
    const f = l.split(",");
    return {
      date: f[0],
      o: +f[cols.indexOf("open")],
      c: +f[cols.indexOf("close")],
      v: +f[cols.indexOf("volume")],
    };
  });
}

/** A replay whose replayed day is `day` (its session open). */
function replayOn(day: string) {
  return createReplayMarketData({ start: day, now: () => Date.parse("2026-11-02T15:30:00Z") });
}

Deno.test("events of 2020-03-16 match the shipped CSVs: gaps, volume, the S&P drawdown, the VIX", async () => {
  const md = replayOn("2020-03-17");
  try {
    const feed = await eventsFeed(new BarsMemo(md), {
      asOf: "2020-03-17",
      days: 1,
      symbols: ["AAPL", "XOM", "JNJ"],
      market: true,
    });
    assert.equal(feed.through, "2020-03-16");
    assert.equal(feed.from, "2020-03-16");
    for (const symbol of ["AAPL", "XOM", "JNJ"]) {
      const rows = await csvRows(`stocks/${symbol}.csv.gz`);
      const t = rows.findIndex((r) => r.date === "2020-03-16");
      const gap = (rows[t].o / rows[t - 1].c - 1) * 100;
      const got = feed.events.find((e) => e.symbol === symbol && e.kind === "gap");
      assert.equal(!!got, Math.abs(gap) >= 3, `${symbol} gap ${gap}`);
      if (got) assert.equal(got.numbers.gapPercent, Math.round(gap * 100) / 100);
      const avg = rows.slice(t - 20, t).reduce((a, r) => a + r.v, 0) / 20;
      const spike = feed.events.find((e) => e.symbol === symbol && e.kind === "volume_spike");
      assert.equal(!!spike, rows[t].v > 3 * avg, `${symbol} volume ${rows[t].v} vs ${avg}`);
      const prevYear = rows.slice(t - 252, t).map((r) => r.c);
      const low = feed.events.some((e) => e.symbol === symbol && e.kind === "low_52w");
      assert.equal(low, rows[t].c < Math.min(...prevYear), `${symbol} 52-week low`);
    }
    const spx = await csvRows("index/GSPC.csv.gz");
    const s = spx.findIndex((r) => r.date === "2020-03-16");
    const dd = (i: number) => {
      const peak = Math.max(...spx.slice(i - 252, i + 1).map((r) => r.c));
      return (spx[i].c / peak - 1) * 100;
    };
    const drawdown = feed.events.find((e) => e.kind === "drawdown");
    assert.ok(dd(s - 1) > -20 && dd(s) <= -20, "the day crossed the 20 % line");
    assert.equal(drawdown?.numbers.line, -20);
    assert.equal(drawdown?.numbers.drawdownPercent, Math.round(dd(s) * 100) / 100);
    const vix = await csvRows("index/VIX.csv.gz");
    const v = vix.findIndex((r) => r.date === "2020-03-16");
    const jump = (vix[v].c / vix[v - 1].c - 1) * 100;
    const spike = feed.events.find((e) => e.kind === "vix_spike");
    assert.equal(spike?.numbers.changePercent, Math.round(jump * 100) / 100);
    assert.ok(jump >= 20);
    for (const e of feed.events) assert.equal(e.source, "derived from prices");
  } finally {
    await md.close();
  }
});

Deno.test("a quiet day has no S&P drawdown or VIX event, and the window is the days before", async () => {
  const md = replayOn("2017-07-13");
  try {
    const feed = await eventsFeed(new BarsMemo(md), {
      asOf: "2017-07-13",
      days: 5,
      symbols: ["MSFT"],
      market: true,
    });
    assert.equal(feed.through, "2017-07-12");
    assert.equal(feed.from, "2017-07-06");
    const vix = await csvRows("index/VIX.csv.gz");
    const inWindow = vix.filter((r) => r.date >= feed.from! && r.date <= feed.through!);
    assert.equal(inWindow.length, 5);
    assert.equal(feed.events.some((e) => e.kind === "drawdown"), false);
    const expectedVix = inWindow.filter((r) => {
      const prev = vix[vix.indexOf(r) - 1].c;
      return r.c / prev - 1 >= 0.2 || (prev < 30 && r.c >= 30);
    }).length;
    assert.equal(feed.events.filter((e) => e.kind === "vix_spike").length, expectedVix);
  } finally {
    await md.close();
  }
});

Deno.test("no event is ever dated on or after the replayed day", async () => {
  const md = replayOn("2018-02-06");
  try {
    const memo = new BarsMemo(md);
    for (const days of [1, 5, 20]) {
      const feed = await eventsFeed(memo, {
        asOf: "2018-02-06",
        days,
        symbols: ["AAPL", "AMZN", "NVDA", "TSLA"],
        market: true,
      });
      assert.ok(feed.events.length > 0, "early February 2018 was eventful");
      for (const e of feed.events) assert.ok(e.date < "2018-02-06", `${e.symbol} ${e.date}`);
    }
  } finally {
    await md.close();
  }
});

Deno.test("the stock rules never read past their day: later bars change nothing", () => {
  const bar = fc.record({
    open: fc.double({ min: 1, max: 500, noNaN: true }),
    close: fc.double({ min: 1, max: 500, noNaN: true }),
    volume: fc.integer({ min: 0, max: 1e9 }),
  });
  fc.assert(
    fc.property(
      fc.array(bar, { minLength: 70, maxLength: 300 }),
      fc.array(bar, { maxLength: 5 }),
      (xs, more) => {
        const toBars = (list: typeof xs): Bar[] =>
          list.map((b, i) => ({
            time: new Date(Date.UTC(2015, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
            open: b.open,
            high: Math.max(b.open, b.close),
            low: Math.min(b.open, b.close),
            close: b.close,
            volume: b.volume,
          }));
        const bars = toBars(xs);
        const longer = toBars([...xs, ...more]);
        const t = bars.length - 1;
        assert.deepEqual(stockEventsOn("X", longer, t), stockEventsOn("X", bars, t));
      },
    ),
    { numRuns: 50 },
  );
});

Deno.test("each event's summary carries the day's move beside the S&P 500's and the move since", async () => {
  const md = replayOn("2020-03-20");
  try {
    const feed = await eventsFeed(new BarsMemo(md), {
      asOf: "2020-03-20",
      days: 5,
      symbols: ["AAPL"],
      market: false,
    });
    const e = feed.events.find((x) => x.date === "2020-03-16" && x.kind === "gap")!;
    const rows = await csvRows("stocks/AAPL.csv.gz");
    const spx = await csvRows("index/GSPC.csv.gz");
    const at = (list: typeof rows, d: string) => list.findIndex((r) => r.date === d);
    const t = at(rows, "2020-03-16");
    const s = at(spx, "2020-03-16");
    const r2 = (v: number) => Math.round(v * 100) / 100;
    assert.equal(e.context.returnPercent, r2((rows[t].c / rows[t - 1].c - 1) * 100));
    assert.equal(e.context.sp500Percent, r2((spx[s].c / spx[s - 1].c - 1) * 100));
    assert.equal(e.context.sinceDate, "2020-03-19");
    assert.equal(
      e.context.sincePercent,
      r2((rows[at(rows, "2020-03-19")].c / rows[t].c - 1) * 100),
    );
    assert.match(e.summary, new RegExp(`${Math.abs(e.context.returnPercent!).toFixed(2)} %`));
    assert.match(e.summary, /S&P 500/);
    const last = feed.events.find((x) => x.date === "2020-03-19");
    if (last) assert.equal(last.context.sincePercent, null, "no move since the last close");
  } finally {
    await md.close();
  }
});
