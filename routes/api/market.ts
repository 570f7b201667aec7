/**
 * `/api/market`: quotes, bars, clock, calendar and symbol search from the configured source
 * (Tradier or replay) through the KV cache. Every body names its `source` and `timestamp`;
 * `intraday: "simulated"` marks replay values simulated inside the real day (see
 * `IntradayLabel` in lib/market/types.ts), `stale: true` a cached answer served while the
 * source fails.
 *
 * - `GET /quote/:symbol` → Quote
 * - `GET /quotes?symbols=AAPL,MSFT` → `{ quotes, source, intraday?, timestamp }`
 * - `GET /bars/:symbol?interval=daily&start=YYYY-MM-DD&end=YYYY-MM-DD` → Bars
 * - `GET /clock` → MarketClock
 * - `GET /calendar?month=1-12&year=YYYY` → MarketCalendar
 * - `GET /search?q=apple` → SymbolSearch
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { fromMarket, isoDate, parseSymbol } from "../../lib/market/api.ts";
import { symbolListSchema, symbolSchema } from "../../lib/market/symbols.ts";
import { BadRequestError } from "../../lib/http/errors.ts";
import { sharedJson } from "../../lib/http/shared_json.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const market = new Hono<AppEnv>();

const barsQuery = z.object({
  interval: z.enum(["1min", "5min", "15min", "daily", "weekly", "monthly"]).default("daily"),
  start: isoDate.optional(),
  end: isoDate.optional(),
}).refine((q) => !q.start || !q.end || q.start <= q.end, {
  message: "start must not be after end.",
  path: ["start"],
});

const calendarQuery = z.object({
  month: z.coerce.number().int().min(1).max(12).optional(),
  year: z.coerce.number().int().min(1900).max(2100).optional(),
});

const searchQuery = z.object({
  q: z.string().trim().min(1, "Say what to search for: q=apple.").max(50),
});

const symbolParams = { symbol: symbolSchema };
describeRoutes(market, "Market data", {
  "GET /quote/:symbol": {
    summary: "A symbol's quote",
    params: symbolParams,
    responses: { 200: "Quote", 400: "`invalid_symbol`", 404: "Unknown symbol" },
  },
  "GET /quotes": {
    summary: "Quotes of several symbols",
    query: z.object({ symbols: symbolListSchema }),
    queryExample: { symbols: "AAPL,MSFT" },
    responses: {
      200: "`{ quotes, source, intraday?, timestamp, stale? }`",
      400: "`invalid_symbol`",
    },
  },
  "GET /bars/:symbol": {
    summary: "Price bars (intraday, daily, weekly or monthly) between two dates",
    params: symbolParams,
    query: barsQuery,
    queryExample: { interval: "daily", start: "2021-01-04", end: "2021-03-31" },
    responses: { 200: "Bars" },
  },
  "GET /clock": {
    summary: "The market clock: open or closed, and the next change",
    responses: { 200: "MarketClock" },
  },
  "GET /calendar": {
    summary: "A month's trading days",
    query: calendarQuery,
    queryExample: { month: "3", year: "2021" },
    responses: { 200: "MarketCalendar" },
  },
  "GET /search": {
    summary: "Search symbols by ticker or name",
    query: searchQuery,
    queryExample: { q: "apple" },
    responses: { 200: "SymbolSearch" },
  },
});

market.get("/quote/:symbol", async (c) => {
  const symbol = parseSymbol(c.req.param("symbol"));
  const [quote] = await fromMarket(() => c.get("services").market.quotes([symbol]));
  // A fresh quote is the cache's own shared entry: its JSON is made once, not per request.
  return sharedJson(c, quote);
});

market.get("/quotes", async (c) => {
  const parsed = symbolListSchema.safeParse(c.req.query("symbols") ?? "");
  if (!parsed.success) {
    throw new BadRequestError(parsed.error.issues[0].message, undefined, "invalid_symbol");
  }
  const { market: md } = c.get("services");
  const quotes = await fromMarket(() => md.quotes(parsed.data));
  return c.json({
    quotes,
    source: md.source,
    ...(quotes.some((q) => q.intraday) ? { intraday: "simulated" } : {}),
    timestamp: new Date().toISOString(),
    ...(quotes.some((q) => q.stale) ? { stale: true } : {}),
  });
});

market.get("/bars/:symbol", async (c) => {
  const symbol = parseSymbol(c.req.param("symbol"));
  const query = barsQuery.parse(c.req.query());
  return c.json(await fromMarket(() => c.get("services").market.bars(symbol, query)));
});

market.get("/clock", async (c) => {
  return c.json(await fromMarket(() => c.get("services").market.clock()));
});

market.get("/calendar", async (c) => {
  const { month, year } = calendarQuery.parse(c.req.query());
  return c.json(await fromMarket(() => c.get("services").market.calendar(month, year)));
});

market.get("/search", async (c) => {
  const { q } = searchQuery.parse(c.req.query());
  return c.json(await fromMarket(() => c.get("services").market.search(q)));
});

export default market;
