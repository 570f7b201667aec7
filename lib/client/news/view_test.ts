import assert from "node:assert/strict";
import fc from "fast-check";
import {
  byDay,
  DEFAULT_FILTERS,
  DEFAULT_SAMPLE,
  eventFigures,
  feedUrl,
  impactText,
  type MarketEvent,
  sampleUrl,
  symbolHref,
} from "./view.ts";

Deno.test("feed and sample URLs carry only the filters that are set", () => {
  assert.equal(feedUrl(DEFAULT_FILTERS), "/api/news?scope=all&days=5");
  assert.equal(
    feedUrl({ ...DEFAULT_FILTERS, scope: "positions", symbol: " aapl ", kind: "gap", days: 20 }),
    "/api/news?scope=positions&days=20&symbol=AAPL&kind=gap",
  );
  assert.equal(
    sampleUrl(DEFAULT_SAMPLE),
    "/api/news/headlines?page=1&pageSize=20&split=validation",
  );
  assert.equal(
    sampleUrl({ split: "", label: "bearish", q: " cut ", misses: true, page: 3 }),
    "/api/news/headlines?page=3&pageSize=20&label=bearish&q=cut&misses=true",
  );
});

const event = (kind: MarketEvent["kind"], numbers: Record<string, number>): MarketEvent => ({
  date: "2020-03-16",
  symbol: "AAPL",
  kind,
  direction: "down",
  title: "t",
  numbers,
  source: "derived from prices",
});

Deno.test("event figures show the triggering numbers with units", () => {
  assert.deepEqual(
    eventFigures(event("gap", { gapPercent: -12.96, previousClose: 69.49, open: 60.49 })),
    [
      "gap \u221212.96 %",
      "prev. close $69.49",
      "open $60.49",
    ],
  );
  assert.deepEqual(
    eventFigures(event("volume_spike", { volume: 1_000_000, averageVolume: 250_000, ratio: 4 })),
    ["1,000,000 shares", "20-day avg 250,000", "4×"],
  );
});

Deno.test("the position impact says what is held and the same move in USD", () => {
  assert.equal(impactText(null), null);
  assert.equal(
    impactText({ qty: 3, side: "long", marketValue: 900, movePercent: -10, sameMoveUsd: -90 }),
    "You hold 3 shares long ($900.00 now). The same \u221210 % move on it today would be \u2212$90.00.",
  );
  assert.equal(
    impactText({ qty: 3, side: "long", marketValue: 900, movePercent: null, sameMoveUsd: null }),
    "You hold 3 shares long ($900.00 now).",
  );
  assert.equal(symbolHref("SPX"), null);
  assert.equal(symbolHref("BRK.B"), "/symbol/BRK.B");
});

Deno.test("grouping by day keeps every item once, days newest first", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({ date: fc.constantFrom("2020-01-02", "2020-01-03", "2019-12-31"), n: fc.nat() }),
      ),
      (items) => {
        const groups = byDay(items);
        assert.equal(groups.flatMap(([, xs]) => xs).length, items.length);
        for (let i = 1; i < groups.length; i++) assert.ok(groups[i - 1][0] > groups[i][0]);
        for (const [day, xs] of groups) assert.ok(xs.every((x) => x.date === day));
      },
    ),
  );
});
