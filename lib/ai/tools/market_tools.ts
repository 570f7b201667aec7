/**
 * The analyst's market-data tools: quotes, daily bars with indicators, the clock, company facts,
 * symbol search, an option chain and the day's movers, all through the MarketData seam (so the
 * replay's answers say `source: "replay"` and carry the replayed day).
 */
import { z } from "zod";
import { ema, macd, rsi, sma } from "../../analytics/indicators.ts";
import { realizedVolatility } from "../../analytics/volatility.ts";
import { completedDailyBars } from "../../market/completed_bars.ts";
import { History } from "../../market/replay/history.ts";
import { symbolSchema } from "../../market/symbols.ts";
import { type Quote, UnknownSymbolError } from "../../market/types.ts";
import type { ToolContext } from "../types.ts";
import { defineTool, ToolError } from "./registry.ts";

const symbol = symbolSchema.describe("A ticker, e.g. AAPL.");

/** What the analyst needs of a quote (no sizes or internals), rounded as the API gives it. */
export function quoteFacts(q: Quote) {
  return {
    symbol: q.symbol,
    name: q.description,
    last: q.last,
    bid: q.bid,
    ask: q.ask,
    change: q.change,
    changePercent: q.changePercent,
    prevClose: q.prevClose,
    open: q.open,
    high: q.high,
    low: q.low,
    volume: q.volume,
    time: q.timestamp,
    ...(q.replayDate ? { replayDate: q.replayDate } : {}),
    ...(q.stale ? { stale: true } : {}),
  };
}

async function read<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UnknownSymbolError) throw new ToolError(err.message);
    throw err;
  }
}

export const quoteTool = defineTool({
  name: "quote",
  description:
    "The latest quote for one symbol: last price, bid, ask, the change from the previous close " +
    "(in USD and percent), day open/high/low, volume and the time of the quote.",
  input: z.object({ symbol }),
  async run({ symbol }, { services }) {
    const [q] = await read(() => services.market.quotes([symbol]));
    return { source: q.source, asOf: q.timestamp, data: quoteFacts(q) };
  },
});

export const quotesTool = defineTool({
  name: "quotes",
  description: "Latest quotes for up to 20 symbols at once (same fields as `quote`).",
  input: z.object({ symbols: z.array(symbol).min(1).max(20) }),
  async run({ symbols }, { services }) {
    const quotes = await read(() => services.market.quotes(symbols));
    return {
      source: quotes[0]?.source ?? services.market.source,
      asOf: quotes[0]?.timestamp ?? new Date().toISOString(),
      data: quotes.map(quoteFacts),
    };
  },
});

const round = (n: number | null | undefined, digits = 2) =>
  n === null || n === undefined || !Number.isFinite(n) ? null : Number(n.toFixed(digits));

/** Completed daily bars up to (not including) `day`, about `days` calendar days back. */
async function completedBars(ctx: ToolContext, symbol: string, days: number) {
  const [q] = await read(() => ctx.services.market.quotes([symbol]));
  const bars = await read(() => completedDailyBars(ctx.services.market, q, days));
  return { quote: q, bars: bars.bars, source: bars.source };
}

export const indicatorsTool = defineTool({
  name: "indicators",
  description:
    "Technical indicators from completed daily closes (the current day excluded): RSI(14), " +
    "SMA 20/50/200, EMA 12/26, MACD(12,26,9) line/signal/histogram, 20-day annualized " +
    "volatility in percent, the last close and its date, and the last 10 closes.",
  input: z.object({ symbol }),
  async run({ symbol }, ctx) {
    const { quote, bars, source } = await completedBars(ctx, symbol, 420);
    if (bars.length < 30) throw new ToolError(`Not enough daily history for ${symbol}.`);
    const closes = bars.map((b) => b.close);
    const last = (xs: (number | null)[]) => round(xs.at(-1));
    const m = macd(closes);
    const vol = realizedVolatility(closes, 20);
    return {
      source,
      asOf: bars.at(-1)!.time,
      data: {
        symbol,
        lastClose: closes.at(-1),
        lastCloseDate: bars.at(-1)!.time,
        rsi14: last(rsi(closes, 14)),
        sma20: last(sma(closes, 20)),
        sma50: last(sma(closes, 50)),
        sma200: closes.length >= 200 ? last(sma(closes, 200)) : null,
        ema12: last(ema(closes, 12)),
        ema26: last(ema(closes, 26)),
        macdLine: round(m.line.at(-1), 3),
        macdSignal: round(m.signal.at(-1), 3),
        macdHistogram: round(m.histogram.at(-1), 3),
        volatility20dPercent: vol === null ? null : round(vol * 100, 1),
        recentCloses: bars.slice(-10).map((b) => ({ date: b.time, close: b.close })),
        ...(quote.replayDate ? { replayDate: quote.replayDate } : {}),
      },
    };
  },
});

export const clockTool = defineTool({
  name: "market_clock",
  description:
    "The market clock: whether the market is open, pre-market, after hours or closed, the " +
    "exchange date, and when it next opens and closes.",
  input: z.object({}),
  async run(_input, { services }) {
    const clock = await services.market.clock();
    return { source: clock.source, asOf: clock.timestamp, data: clock };
  },
});

export const companyTool = defineTool({
  name: "company",
  description: "Company facts for a symbol: name, exchange, sector and industry.",
  input: z.object({ symbol }),
  async run({ symbol }, { services }) {
    const info = await read(() => services.market.company(symbol));
    return { source: info.source, asOf: info.timestamp, data: info };
  },
});

export const searchTool = defineTool({
  name: "symbol_search",
  description: "Find symbols by ticker or company name (best matches first).",
  input: z.object({ query: z.string().trim().min(1).max(60) }),
  async run({ query }, { services }) {
    const found = await services.market.search(query);
    return { source: found.source, asOf: found.timestamp, data: found.matches.slice(0, 10) };
  },
});

export const optionChainTool = defineTool({
  name: "option_chain",
  description:
    "Calls and puts for one expiration (the nearest when none is given), the 10 strikes " +
    "closest to the underlying price, with bid, ask, volume, open interest, IV and delta.",
  input: z.object({
    symbol,
    expiration: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  }),
  async run({ symbol, expiration }, { services }) {
    const exp = expiration ??
      (await read(() => services.market.expirations(symbol))).expirations[0];
    if (!exp) throw new ToolError(`No option expirations for ${symbol}.`);
    const chain = await read(() => services.market.chain(symbol, exp));
    const price = chain.underlyingPrice ?? 0;
    const strikes = [...new Set(chain.options.map((o) => o.strike))]
      .sort((a, b) => Math.abs(a - price) - Math.abs(b - price)).slice(0, 10);
    const rows = chain.options.filter((o) => strikes.includes(o.strike))
      .sort((a, b) => a.strike - b.strike || a.type.localeCompare(b.type))
      .map((o) => ({
        type: o.type,
        strike: o.strike,
        bid: o.bid,
        ask: o.ask,
        volume: o.volume,
        openInterest: o.openInterest,
        iv: round(o.greeks?.iv, 4),
        delta: round(o.greeks?.delta, 3),
      }));
    return {
      source: chain.source,
      asOf: chain.timestamp,
      data: { symbol, expiration: exp, underlyingPrice: chain.underlyingPrice, options: rows },
    };
  },
});

let universe: string[] | undefined;
/** The shipped reference universe's stocks: the list movers are ranked over. */
function universeStocks(): string[] {
  universe ??= new History().list().filter((s) => s.type === "stock").map((s) => s.symbol);
  return universe;
}

export const moversTool = defineTool({
  name: "movers",
  description:
    "The stocks of the shipped reference universe (about 100 large US companies) that moved " +
    "most today, by percent change from the previous close: the top gainers and losers.",
  input: z.object({ count: z.number().int().min(1).max(10).default(5) }),
  async run({ count }, { services }) {
    const symbols = universeStocks();
    const quotes: Quote[] = [];
    for (let i = 0; i < symbols.length; i += 50) {
      quotes.push(...await services.market.quotes(symbols.slice(i, i + 50)));
    }
    const moved = quotes.filter((q) => q.changePercent !== null)
      .sort((a, b) => b.changePercent! - a.changePercent!);
    const pick = (q: Quote) => ({
      symbol: q.symbol,
      name: q.description,
      last: q.last,
      change: q.change,
      changePercent: q.changePercent,
    });
    return {
      source: quotes[0]?.source ?? services.market.source,
      asOf: quotes[0]?.timestamp ?? new Date().toISOString(),
      data: {
        universe: symbols.length,
        gainers: moved.slice(0, count).map(pick),
        losers: moved.slice(-count).reverse().map(pick),
        ...(quotes[0]?.replayDate ? { replayDate: quotes[0].replayDate } : {}),
      },
    };
  },
});

export const marketTools = [
  quoteTool,
  quotesTool,
  indicatorsTool,
  clockTool,
  companyTool,
  searchTool,
  optionChainTool,
  moversTool,
];
