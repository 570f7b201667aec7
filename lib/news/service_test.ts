import assert from "node:assert/strict";
import { AlpacaNews } from "./source.ts";
import { positionImpact, scoredNews, sentimentOverTime } from "./service.ts";
import { loadModel } from "../ml/sentiment/model.ts";
import type { MarketEvent } from "./events.ts";
import type { Position } from "../broker/types.ts";
import { FAKE_KEY, startFakeAlpacaNews } from "../../tests/fakes/alpaca_news.ts";

const now = new Date("2024-06-20T16:00:00Z");
const articles = [
  {
    id: 1,
    headline: "Apple downgraded to sell, shares plunge",
    summary: "",
    created_at: "2024-06-20T13:00:00Z",
    symbols: ["AAPL"],
  },
  {
    id: 2,
    headline: "Apple upgraded to buy, shares jump to record",
    summary: "",
    created_at: "2024-06-20T14:00:00Z",
    symbols: ["AAPL"],
  },
  {
    id: 3,
    headline: "Microsoft to hold annual meeting on Tuesday",
    summary: "",
    created_at: "2024-06-19T14:00:00Z",
    symbols: ["MSFT", "AAPL"],
  },
  {
    id: 4,
    headline: "Old news",
    summary: "",
    created_at: "2024-05-01T14:00:00Z",
    symbols: ["AAPL"],
  },
];

Deno.test("Alpaca news is scored by the model, filtered by sentiment and counted per symbol and day", async () => {
  const fake = startFakeAlpacaNews(articles);
  const source = new AlpacaNews({ ...FAKE_KEY, baseUrl: fake.url });
  try {
    const model = await loadModel();
    const all = await scoredNews(source, { symbols: ["AAPL"], days: 5, now });
    assert.deepEqual(
      all.items.map((i) => i.id),
      ["2", "1", "3"],
      "newest first, old news left out",
    );
    for (const item of all.items) assert.deepEqual(item.sentiment, model.predict(item.headline));
    assert.equal(fake.requests[0].searchParams.get("start"), "2024-06-15T16:00:00.000Z");
    const aapl = all.sentimentOverTime.AAPL;
    assert.deepEqual(aapl.map((d) => d.date), ["2024-06-19", "2024-06-20"]);
    const day = aapl[1];
    assert.equal(day.bullish + day.bearish + day.neutral, 2);
    assert.equal(day.net, (day.bullish - day.bearish) / 2);
    const bearish = await scoredNews(source, {
      symbols: ["AAPL"],
      days: 5,
      now,
      sentiment: "bearish",
    });
    assert.ok(bearish.items.every((i) => i.sentiment.label === "bearish"));
    assert.ok(bearish.items.some((i) => i.id === "1"));
  } finally {
    source.close();
    await fake.close();
  }
});

Deno.test("per-symbol sentiment counts every symbol an item names", () => {
  const item = (id: string, symbols: string[], label: "bullish" | "bearish" | "neutral") => ({
    id,
    headline: id,
    summary: "",
    author: "",
    createdAt: "2024-01-02T10:00:00Z",
    updatedAt: "2024-01-02T10:00:00Z",
    url: null,
    symbols,
    source: "x",
    sentiment: { label, confidence: 1, scores: { bearish: 0, bullish: 0, neutral: 0, [label]: 1 } },
  });
  const out = sentimentOverTime([item("a", ["A", "B"], "bullish"), item("b", ["A"], "bearish")]);
  assert.deepEqual(out.A, [{ date: "2024-01-02", bullish: 1, bearish: 1, neutral: 0, net: 0 }]);
  assert.deepEqual(out.B, [{ date: "2024-01-02", bullish: 1, bearish: 0, neutral: 0, net: 1 }]);
});

Deno.test("a short position gains when the event's move is down", () => {
  const e: MarketEvent = {
    date: "2020-03-16",
    symbol: "X",
    kind: "gap",
    direction: "down",
    title: "",
    numbers: { gapPercent: -10, previousClose: 10, open: 9 },
    source: "derived from prices",
  };
  const short = { symbol: "X", qty: -5, side: "short", marketValue: -500 } as Position;
  assert.deepEqual(positionImpact(e, short), {
    qty: -5,
    side: "short",
    marketValue: -500,
    movePercent: -10,
    sameMoveUsd: 50,
  });
  assert.equal(positionImpact(e, undefined), null);
  const high = { ...e, kind: "high_52w" as const, numbers: { close: 1, previousHigh: 1 } };
  assert.equal(positionImpact(high, short)?.sameMoveUsd, null);
});
