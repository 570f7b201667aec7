/** Market-data tools: quotes, bars with indicators, company facts, the clock, search, movers. */
import { z } from "zod";
import { MAX_SYMBOLS } from "../../market/symbols.ts";
import { ema, sma } from "../../analytics/indicators.ts";
import { macd, rsi, volatility } from "../../analytics/momentum.ts";
import type { Quote } from "../../market/types.ts";
import { defineTool, ToolError } from "./registry.ts";
import { limitInput, market, round, symbolInput } from "./common.ts";

/** The fields a model needs from a quote; the rest (sizes) only cost tokens. */
export function quoteView(q: Quote) {
  return {
    symbol: q.symbol,
    name: q.description,
    last: q.last,
    change: q.change,
    changePercent: q.changePercent,
    open: q.open,
    high: q.high,
    low: q.low,
    prevClose: q.prevClose,
    bid: q.bid,
    ask: q.ask,
    volume: q.volume,
    time: q.timestamp,
    ...(q.replayDate ? { replayDate: q.replayDate } : {}),
    ...(q.intraday ? { intraday: q.intraday } : {}),
  };
}

export const quoteTool = defineTool({
  name: "get_quote",
  description:
    "The latest quote for one symbol: last price, today's change (USD) and changePercent (in " +
    "percent, 1.5 = 1.5 %), open/high/low, previous close, bid/ask and volume.",
  input: z.object({ symbol: symbolInput }),
  async run({ symbol }, ctx) {
    const [q] = await market(() => ctx.services.market.quotes([symbol]));
    if (!q) throw new ToolError(`No quote for ${symbol}.`);
    return { source: q.source, asOf: q.timestamp, data: quoteView(q) };
  },
});

export const quotesTool = defineTool({
  name: "get_quotes",
  description: "Latest quotes for several symbols at once (up to 20), e.g. to compare them.",
  input: z.object({ symbols: z.array(symbolInput).min(1).max(20) }),
  async run({ symbols }, ctx) {
    const qs = await market(() => ctx.services.market.quotes([...new Set(symbols)]));
    return {
      source: ctx.services.market.source,
      asOf: qs[0]?.timestamp ?? new Date().toISOString(),
      data: qs.map(quoteView),
    };
  },
});

/** Latest value of a series lined up with the bars. */
const last = (xs: (number | null)[]) => round(xs.at(-1) ?? null);

export const barsTool = defineTool({
  name: "get_bars",
  description:
    "Daily (or weekly/monthly) price bars for a symbol with the latest indicator values: RSI(14) " +
    "(above 70 overbought, below 30 oversold), SMA(20/50), EMA(12/26), MACD(12,26,9) and " +
    "annualised 20-day volatility (a fraction, 0.25 = 25 %). Returns only the last `count` bars.",
  input: z.object({
    symbol: symbolInput,
    interval: z.enum(["daily", "weekly", "monthly"]).default("daily"),
    count: limitInput(30, 5).describe("How many of the latest bars to return (1-30)."),
  }),
  async run({ symbol, interval, count }, ctx) {
    const b = await market(() => ctx.services.market.bars(symbol, { interval }));
    const closes = b.bars.map((x) => x.close);
    const m = macd(closes);
    return {
      source: b.source,
      asOf: b.bars.at(-1)?.time ?? b.timestamp,
      data: {
        symbol: b.symbol,
        interval: b.interval,
        bars: b.bars.slice(-count),
        indicators: {
          rsi14: last(rsi(closes, 14)),
          sma20: last(sma(closes, 20)),
          sma50: last(sma(closes, 50)),
          ema12: last(ema(closes, 12)),
          ema26: last(ema(closes, 26)),
          macd: last(m.macd),
          macdSignal: last(m.signal),
          macdHistogram: last(m.histogram),
          volatility20: last(volatility(closes, 20)),
        },
        // The usual RSI reading, so an answer can say what the value means.
        rsiBands: { overbought: 70, oversold: 30 },
        ...(b.intraday ? { intraday: b.intraday } : {}),
      },
    };
  },
});

export const companyTool = defineTool({
  name: "get_company",
  description: "Company facts for a symbol: name, exchange, sector and industry.",
  input: z.object({ symbol: symbolInput }),
  async run({ symbol }, ctx) {
    const c = await market(() => ctx.services.market.company(symbol));
    const { source, timestamp, stale: _s, ...data } = c;
    return { source, asOf: timestamp, data };
  },
});

export const clockTool = defineTool({
  name: "get_market_clock",
  description:
    "Whether the market is open, pre-market, post-market or closed now, with the next open and " +
    "close times (ISO, UTC).",
  input: z.object({}),
  async run(_input, ctx) {
    const c = await ctx.services.market.clock();
    return {
      source: c.source,
      asOf: c.timestamp,
      data: {
        state: c.state,
        date: c.date,
        nextOpen: c.nextOpen,
        nextClose: c.nextClose,
        description: c.description,
      },
    };
  },
});

export const searchTool = defineTool({
  name: "search_symbols",
  description: "Finds tickers by company name or ticker prefix, best match first.",
  input: z.object({
    query: z.string().trim().min(1).max(60),
    limit: limitInput(20, 5),
  }),
  async run({ query, limit }, ctx) {
    const s = await ctx.services.market.search(query);
    return { source: s.source, asOf: s.timestamp, data: { matches: s.matches.slice(0, limit) } };
  },
});

export const chainTool = defineTool({
  name: "get_option_chain",
  description:
    "Option contracts of a symbol for one expiration (the nearest when not given), limited to " +
    "the strikes nearest the underlying price; greeks and implied volatility (a fraction).",
  input: z.object({
    symbol: symbolInput,
    expiration: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    type: z.enum(["call", "put", "both"]).default("both"),
    strikes: limitInput(20, 6).describe("How many strikes around the underlying price."),
  }),
  async run({ symbol, expiration, type, strikes }, ctx) {
    const exp = expiration ??
      (await market(() => ctx.services.market.expirations(symbol))).expirations[0];
    if (!exp) throw new ToolError(`${symbol} has no listed options.`);
    const chain = await market(() => ctx.services.market.chain(symbol, exp));
    const under = chain.underlyingPrice ?? 0;
    const near = [...new Set(chain.options.map((o) => o.strike))]
      .sort((a, b) => Math.abs(a - under) - Math.abs(b - under))
      .slice(0, strikes);
    const options = chain.options
      .filter((o) => near.includes(o.strike) && (type === "both" || o.type === type))
      .sort((a, b) => a.strike - b.strike || a.type.localeCompare(b.type))
      .map(({ underlying: _u, ...o }) => o);
    return {
      source: chain.source,
      asOf: chain.timestamp,
      data: { symbol, expiration: exp, underlyingPrice: chain.underlyingPrice, options },
    };
  },
});

/** The replay's shipped universe: the only list of symbols the app can scan without a vendor. */
function universe(): string[] {
  const csv = Deno.readTextFileSync(new URL("../../../data/market/universe.csv", import.meta.url));
  return csv.split("\n").slice(1).map((l) => l.split(",")[0]).filter((s) =>
    /^[A-Z.]+$/.test(s) && s !== "SPX" && s !== "VIX"
  );
}
let universeCache: string[] | undefined;

export const moversTool = defineTool({
  name: "get_movers",
  description:
    "What moved most today among the app's symbol universe: the biggest gainers and losers by " +
    "changePercent (percent).",
  input: z.object({ count: limitInput(10, 5) }),
  async run({ count }, ctx) {
    universeCache ??= universe();
    const qs: Quote[] = [];
    for (let i = 0; i < universeCache.length; i += MAX_SYMBOLS) {
      qs.push(...await ctx.services.market.quotes(universeCache.slice(i, i + MAX_SYMBOLS)));
    }
    const moved = qs.filter((q) => q.changePercent !== null)
      .sort((a, b) => b.changePercent! - a.changePercent!);
    const pick = (q: Quote) => ({
      symbol: q.symbol,
      last: q.last,
      change: q.change,
      changePercent: q.changePercent,
    });
    return {
      source: ctx.services.market.source,
      asOf: qs[0]?.timestamp ?? new Date().toISOString(),
      data: {
        scanned: qs.length,
        gainers: moved.slice(0, count).map(pick),
        losers: moved.slice(-count).reverse().map(pick),
      },
    };
  },
});
