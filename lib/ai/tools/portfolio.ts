/**
 * Account tools: positions, the portfolio and its P&L, orders, and the order preview. All read
 * only, for `ctx.userId` only; the preview runs the pre-trade checks and places nothing.
 */
import { z } from "zod";
import { portfolioSnapshot } from "../../broker/snapshot.ts";
import { previewOrder } from "../../broker/trading.ts";
import { type Order, OrderRefusedError, type Position } from "../../broker/types.ts";
import { defineTool, ToolError } from "./registry.ts";
import { limitInput, market, symbolInput } from "./common.ts";

function positionView(p: Position) {
  return {
    symbol: p.symbol,
    qty: p.qty,
    side: p.side,
    avgEntryPrice: p.avgEntryPrice,
    currentPrice: p.currentPrice,
    marketValue: p.marketValue,
    costBasis: p.costBasis,
    unrealizedPl: p.unrealizedPl,
    unrealizedPlPercent: p.unrealizedPlPercent,
    dayPl: p.dayPl,
    changeToday: p.changeToday,
  };
}

export const positionsTool = defineTool({
  name: "get_positions",
  description: "The user's open positions: quantity, average entry, current price, market value, " +
    "unrealized P&L (USD, and unrealizedPlPercent as a fraction, 0.05 = 5 %) and today's P&L.",
  input: z.object({ symbol: symbolInput.optional() }),
  async run({ symbol }, ctx) {
    const s = await portfolioSnapshot(ctx.services.broker, ctx.userId);
    const positions = s.positions.filter((p) => !symbol || p.symbol === symbol);
    if (symbol && positions.length === 0) throw new ToolError(`You hold no ${symbol}.`);
    return {
      source: s.prices,
      asOf: s.account.timestamp,
      data: { broker: s.source, positions: positions.map(positionView) },
    };
  },
});

export const portfolioTool = defineTool({
  name: "get_portfolio",
  description:
    "The user's account: equity, cash, buying power, today's P&L (dayPl USD, dayPlPercent a " +
    "fraction), unrealized and realized P&L, and the number of positions.",
  input: z.object({}),
  async run(_input, ctx) {
    const { account: a, positions, prices, source } = await portfolioSnapshot(
      ctx.services.broker,
      ctx.userId,
    );
    return {
      source: prices,
      asOf: a.timestamp,
      data: {
        broker: source,
        equity: a.equity,
        cash: a.cash,
        buyingPower: a.buyingPower,
        longMarketValue: a.longMarketValue,
        shortMarketValue: a.shortMarketValue,
        lastEquity: a.lastEquity,
        dayPl: a.dayPl,
        dayPlPercent: a.dayPlPercent,
        unrealizedPl: a.unrealizedPl,
        realizedPl: a.realizedPl,
        startingCash: a.startingCash,
        positions: positions.length,
      },
    };
  },
});

function orderView(o: Order) {
  return {
    id: o.id,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    notional: o.notional,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    status: o.status,
    filledQty: o.filledQty,
    filledAvgPrice: o.filledAvgPrice,
    reason: o.reason,
    createdAt: o.createdAt,
  };
}

export const ordersTool = defineTool({
  name: "get_orders",
  description: "The user's open orders, or the most recent ones (status `closed` or `all`).",
  input: z.object({
    status: z.enum(["open", "closed", "all"]).default("open"),
    limit: limitInput(50, 10),
  }),
  async run({ status, limit }, ctx) {
    const orders = await ctx.services.broker.orders(ctx.userId, { status, limit });
    return {
      source: ctx.services.broker.kind,
      asOf: new Date().toISOString(),
      data: { status, orders: orders.map(orderView) },
    };
  },
});

export const previewTool = defineTool({
  name: "preview_order",
  description:
    "Runs the pre-trade checks for an order WITHOUT placing it: estimated price and cost, " +
    "buying power after, and each rule's verdict (refused rules stop the order). Nothing is " +
    "ever placed; the user places orders themselves on the trade screen.",
  input: z.object({
    symbol: symbolInput,
    side: z.enum(["buy", "sell"]),
    qty: z.number().positive().max(1_000_000),
    type: z.enum(["market", "limit"]).default("market"),
    limitPrice: z.number().positive().optional(),
  }).refine((o) => o.type === "market" || o.limitPrice !== undefined, {
    message: "A limit order needs limitPrice.",
  }),
  async run(input, ctx) {
    const { db, market: md, broker } = ctx.services;
    try {
      const p = await market(() =>
        previewOrder({ db, market: md, broker }, ctx.userId, {
          ...input,
          timeInForce: "day",
          clientOrderId: "preview",
        })
      );
      return { source: p.quote.source, asOf: p.quote.timestamp, data: p };
    } catch (err) {
      if (err instanceof OrderRefusedError) throw new ToolError(err.message);
      throw err;
    }
  },
});
