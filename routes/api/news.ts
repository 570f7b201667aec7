/**
 * `/api/news`: the News Review stage's data (lib/news/).
 *
 * `GET /?scope=all|positions|watchlist&symbol=&kind=&sentiment=&days=5` →
 * `{ mode: "offline"|"alpaca", asOf, events, news, prices }`. `events` are market events derived
 * from prices over the last `days` trading days before the replayed day (each labelled "derived
 * from prices", with its numbers and, for a symbol the user holds, what the same move means for
 * the position in USD). `news` is null offline; with Alpaca keys it holds Alpaca news of the
 * last `days` calendar days, each scored by the sentiment model, and the per-symbol sentiment
 * by day.
 *
 * `GET /headlines?split=&label=&q=&misses=&page=1&pageSize=20` → the shipped labelled headlines
 * (an undated public dataset) with the model's prediction beside the human label.
 *
 * `POST /explain` with `{ type: "event", symbol, date, kind }` (a market event, recomputed from
 * prices) or `{ type: "news", id, symbol, createdAt }` (an Alpaca news item, fetched again) →
 * the analyst's `{ summary, forPosition: { held, qty, value, pnl, whatItCouldMean } | null,
 * figures: [{ label, value, unit, source, asOf }], unverified, analyst, model }` for the caller's
 * own position (lib/news/explain.ts).
 */
import { Hono } from "hono";
import { analystHttpError } from "../../lib/ai/http_errors.ts";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { symbolSchema } from "../../lib/market/symbols.ts";
import { fromMarket } from "../../lib/market/api.ts";
import { fromBroker } from "../../lib/broker/api.ts";
import { requireKnownSymbols } from "../../lib/market/known_symbols.ts";
import { LABELS } from "../../lib/ml/sentiment/dataset.ts";
import { eventsForUser, newsSourceFor, scoredNews } from "../../lib/news/service.ts";
import { headlinesPage } from "../../lib/news/headlines.ts";
import { HttpError } from "../../lib/http/errors.ts";
import { AlpacaApiError, AlpacaTransportError } from "../../lib/broker/alpaca/http.ts";
import { explainItem } from "../../lib/news/explain.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const KINDS = [
  "gap",
  "big_move",
  "volume_spike",
  "high_52w",
  "low_52w",
  "drawdown",
  "vix_spike",
] as const;

const feedQuery = z.object({
  scope: z.enum(["all", "positions", "watchlist"]).default("all"),
  symbol: symbolSchema.optional(),
  kind: z.enum(KINDS).optional(),
  sentiment: z.enum(LABELS).optional(),
  days: z.coerce.number().int().min(1, "At least 1 day.").max(60, "At most 60 days.").default(5),
}).strict();

const headlinesQuery = z.object({
  split: z.enum(["train", "validation"]).optional(),
  label: z.enum(LABELS).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  misses: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
}).strict();

const explainBody = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("event"),
    symbol: symbolSchema,
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A date as YYYY-MM-DD."),
    kind: z.enum(KINDS),
  }),
  z.strictObject({
    type: z.literal("news"),
    id: z.string().regex(/^\d{1,20}$/, "An Alpaca news id (digits)."),
    symbol: symbolSchema,
    createdAt: z.iso.datetime({ offset: true }),
  }),
]);

const news = new Hono<AppEnv>();

describeRoutes(news, "News", {
  "GET /": {
    summary: "Market events derived from prices (and, with Alpaca keys, scored Alpaca news)",
    query: feedQuery,
    queryExample: { scope: "all", days: "5" },
    responses: { 200: "`{ mode, asOf, events, news, prices }`", 422: "`unknown_symbols`" },
  },
  "GET /headlines": {
    summary: "The shipped labelled headlines with the model's prediction beside the label",
    query: headlinesQuery,
    queryExample: { label: "bullish", page: "1", pageSize: "20" },
    responses: { 200: "A page of headlines" },
  },
  "POST /explain": {
    summary: "The analyst explains a market event or a news item for the caller's position",
    body: explainBody,
    example: { type: "event", symbol: "AAPL", date: "2021-04-19", kind: "big_move" },
    responses: {
      200: "`{ summary, forPosition, figures, unverified, analyst, model }`",
      404: "No such event or news item",
      422: "`unknown_symbols`",
      503: "`news_unavailable`",
    },
  },
});

news.get("/", async (c) => {
  const user = requireUser(c);
  const q = feedQuery.parse(c.req.query());
  const services = c.get("services");
  if (q.symbol) await requireKnownSymbols(services, [q.symbol]);
  const events = await fromBroker(() => fromMarket(() => eventsForUser(services, user.id, q)));
  const source = newsSourceFor(services);
  let scored = null;
  if (source) {
    try {
      scored = await scoredNews(source, {
        symbols: q.symbol ? [q.symbol] : q.scope === "all" ? [] : events.symbols,
        days: q.days,
        now: new Date(),
        sentiment: q.sentiment,
      });
    } catch (err) {
      if (err instanceof AlpacaApiError || err instanceof AlpacaTransportError) {
        throw new HttpError(503, "news_unavailable", "Alpaca news is unavailable right now.");
      }
      throw err;
    }
  }
  c.header("Cache-Control", "no-store");
  return c.json({
    mode: source ? "alpaca" : "offline",
    asOf: events.asOf,
    events,
    news: scored,
    prices: services.market.source,
  });
});

news.get("/headlines", async (c) => {
  requireUser(c);
  const q = headlinesQuery.parse(c.req.query());
  return c.json(await headlinesPage(q));
});

news.post("/explain", async (c) => {
  const user = requireUser(c);
  const body = explainBody.parse(await jsonBody(c));
  const services = c.get("services");
  await requireKnownSymbols(services, [body.symbol]);
  const explained = await fromAnalyst(() =>
    fromBroker(() => fromMarket(() => explainItem(services, user.id, body, c.req.raw.signal)))
  );
  c.header("Cache-Control", "no-store");
  return c.json(explained);
});

/** The analyst's and the news source's failures as 429/503 answers, never a 500. */
async function fromAnalyst<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AlpacaApiError || err instanceof AlpacaTransportError) {
      throw new HttpError(503, "news_unavailable", "Alpaca news is unavailable right now.");
    }
    throw analystHttpError(err);
  }
}

export default news;
