import assert from "node:assert/strict";
import { AlpacaNews } from "./source.ts";
import { AlpacaApiError } from "../broker/alpaca/http.ts";
import { Cache } from "../cache.ts";
import { FAKE_KEY, type FakeArticle, startFakeAlpacaNews } from "../../tests/fakes/alpaca_news.ts";

const articles: FakeArticle[] = Array.from({ length: 120 }, (_, i) => ({
  id: 1000 + i,
  headline: `Headline ${i}`,
  summary: `Summary ${i}`,
  created_at: new Date(Date.UTC(2024, 5, 1) + i * 3_600_000).toISOString(),
  symbols: i % 3 === 0 ? ["AAPL"] : ["MSFT"],
}));

async function withFake(
  fn: (f: ReturnType<typeof startFakeAlpacaNews>, news: AlpacaNews) => Promise<void>,
) {
  const fake = startFakeAlpacaNews(articles);
  const news = new AlpacaNews({ ...FAKE_KEY, baseUrl: fake.url, backoffBaseMs: 1 });
  try {
    await fn(fake, news);
  } finally {
    news.close();
    await fake.close();
  }
}

Deno.test("news pages through next_page_token up to the limit, newest first", async () => {
  await withFake(async (fake, news) => {
    const page = await news.news({ symbols: ["MSFT"], limit: 70 });
    assert.equal(page.items.length, 70);
    assert.equal(page.truncated, true);
    assert.equal(fake.requests.length, 2);
    assert.equal(fake.requests[0].searchParams.get("limit"), "50");
    assert.equal(fake.requests[1].searchParams.get("limit"), "20");
    assert.ok(fake.requests[1].searchParams.get("page_token"));
    for (const item of page.items) assert.deepEqual(item.symbols, ["MSFT"]);
    for (let i = 1; i < page.items.length; i++) {
      assert.ok(page.items[i - 1].createdAt >= page.items[i].createdAt);
    }
    const msft = articles.filter((a) => a.symbols.includes("MSFT")).length;
    const all = await news.news({ symbols: ["MSFT"], limit: 500 });
    assert.equal(all.items.length, msft);
    assert.equal(all.truncated, false);
    assert.equal(new Set(all.items.map((i) => i.id)).size, msft, "no item twice across pages");
  });
});

Deno.test("an empty answer is an empty list, with the time range sent", async () => {
  await withFake(async (fake, news) => {
    const page = await news.news({ symbols: ["AAPL"], start: "2030-01-01", limit: 10 });
    assert.deepEqual(page, { items: [], truncated: false });
    assert.equal(fake.requests[0].searchParams.get("start"), "2030-01-01");
    assert.equal(fake.requests[0].searchParams.get("symbols"), "AAPL");
  });
});

Deno.test("errors: bad keys fail at once, a 503 is retried, a lasting 500 surfaces", async () => {
  await withFake(async (fake) => {
    const wrong = new AlpacaNews({
      keyId: "x",
      secretKey: "y",
      baseUrl: fake.url,
      backoffBaseMs: 1,
    });
    await assert.rejects(
      wrong.news({ limit: 5 }),
      (e) => e instanceof AlpacaApiError && e.status === 401,
    );
    assert.equal(fake.requests.length, 1, "a 401 is not retried");
    wrong.close();
  });
  await withFake(async (fake, news) => {
    fake.failNext(503);
    const page = await news.news({ limit: 5 });
    assert.equal(page.items.length, 5);
    assert.equal(fake.requests.length, 2);
    fake.failNext(500, 5);
    await assert.rejects(
      news.news({ limit: 5 }),
      (e) => e instanceof AlpacaApiError && e.status === 500,
    );
  });
});

Deno.test("answers are cached in KV with the news TTL", async () => {
  const kv = await Deno.openKv(":memory:");
  let now = Date.UTC(2024, 0, 1);
  const cache = new Cache(kv, { now: () => now });
  const fake = startFakeAlpacaNews(articles);
  const news = new AlpacaNews({ ...FAKE_KEY, baseUrl: fake.url }, cache);
  try {
    const a = await news.news({ symbols: ["AAPL"], limit: 5 });
    const b = await news.news({ symbols: ["AAPL"], limit: 5 });
    assert.deepEqual(b, a);
    assert.equal(fake.requests.length, 1);
    now += 5 * 60_000 + 1;
    await news.news({ symbols: ["AAPL"], limit: 5 });
    assert.equal(fake.requests.length, 2, "refetched after five minutes");
  } finally {
    news.close();
    await fake.close();
    kv.close();
  }
});

Deno.test("sort and the time range: oldest first on asking, instants compared in any offset", async () => {
  await withFake(async (fake, news) => {
    const from = articles[10].created_at.replace(/Z$/, "+00:00");
    const asc = await news.news({ symbols: ["AAPL", "MSFT"], start: from, sort: "asc", limit: 3 });
    assert.deepEqual(asc.items.map((i) => i.id), ["1010", "1011", "1012"]);
    assert.equal(fake.requests[0].searchParams.get("sort"), "asc");
    // 2024-06-01T05:00Z written as 01:00 at -04:00: the same instant, so still inclusive.
    const ny = await news.news({ start: "2024-06-01T01:00:00-04:00", sort: "asc", limit: 1 });
    assert.equal(ny.items[0].id, "1005");
    const desc = await news.news({ end: "2024-06-01", limit: 2 });
    assert.deepEqual(
      desc.items.map((i) => i.id),
      ["1023", "1022"],
      "a bare end date is its whole day",
    );
    await assert.rejects(
      news.news({ start: "June", limit: 1 }),
      (e) => e instanceof AlpacaApiError && e.status === 400,
    );
  });
});
