/**
 * The analyst's account tools: the caller's positions, portfolio and orders, and the preview of
 * an order with its pre-trade checks. Each runs as `ctx.userId` and nobody else. None of them
 * places, replaces or cancels anything: the preview is the same pure check the ticket's review
 * runs, and there is no tool that sends an order.
 */
import { z } from "zod";
import { portfolioSnapshot } from "../../broker/snapshot.ts";
import { previewOrder } from "../../broker/trading.ts";
import type { Position } from "../../broker/types.ts";
import { symbolSchema } from "../../market/symbols.ts";
import { UnknownSymbolError } from "../../market/types.ts";
import { defineTool, ToolError } from "./registry.ts";

/** A fraction as a percentage with two decimals (0.0123 → 1.23). */
const pct = (f: number | null | undefined) =>
  f === null || f === undefined ? null : Math.round(f * 10_000) / 100;

function positionFacts(p: Position) {
  return {
    symbol: p.symbol,
    shares: p.qty,
    side: p.side,
    avgEntryPrice: p.avgEntryPrice,
    costBasis: p.costBasis,
    currentPrice: p.currentPrice,
    marketValue: p.marketValue,
    unrealizedPl: p.unrealizedPl,
    unrealizedPlPercent: pct(p.unrealizedPlPercent),
    changeTodayPercent: pct(p.changeToday),
  };
}

export const positionsTool = defineTool({
  name: "positions",
  description:
    "The user's open positions: shares (negative when short), average entry price, cost basis, " +
    "current price, market value, unrealized P&L in USD and percent, today's move in percent.",
  input: z.object({ symbol: symbolSchema.optional() }),
  async run({ symbol }, { services, userId }) {
    const snap = await portfolioSnapshot(services.broker, userId);
    const rows = snap.positions.filter((p) => !symbol || p.symbol === symbol);
    return {
      source: snap.prices,
      asOf: snap.account.timestamp,
      data: { positions: rows.map(positionFacts), broker: snap.source },
    };
  },
});

export const portfolioTool = defineTool({
  name: "portfolio",
  description:
    "The user's account as a whole: equity, cash, buying power, long market value, today's P&L " +
    "(USD and percent), unrealized and realized P&L, the starting cash of the paper account, " +
    "and the number of positions with the biggest winner and loser.",
  input: z.object({}),
  async run(_input, { services, userId }) {
    const { account, positions, prices, source } = await portfolioSnapshot(
      services.broker,
      userId,
    );
    const byPl = positions.filter((p) => p.unrealizedPl !== null)
      .sort((a, b) => b.unrealizedPl! - a.unrealizedPl!);
    return {
      source: prices,
      asOf: account.timestamp,
      data: {
        broker: source,
        equity: account.equity,
        cash: account.cash,
        buyingPower: account.buyingPower,
        longMarketValue: account.longMarketValue,
        dayPl: account.dayPl,
        dayPlPercent: pct(account.dayPlPercent),
        unrealizedPl: account.unrealizedPl,
        realizedPl: account.realizedPl,
        startingCash: account.startingCash,
        totalReturnPercent: account.startingCash
          ? Math.round((account.equity / account.startingCash - 1) * 10_000) / 100
          : null,
        positions: positions.length,
        biggestWinner: byPl[0] ? positionFacts(byPl[0]) : null,
        biggestLoser: byPl.length > 1 ? positionFacts(byPl.at(-1)!) : null,
      },
    };
  },
});

export const ordersTool = defineTool({
  name: "orders",
  description:
    "The user's orders, newest first: open ones, or recent ones of any status (up to 20).",
  input: z.object({ status: z.enum(["open", "all"]).default("open") }),
  async run({ status }, { services, userId }) {
    const orders = await services.broker.orders(userId, { status, limit: 20 });
    return {
      source: services.broker.kind,
      asOf: new Date().toISOString(),
      data: orders.map((o) => ({
        symbol: o.symbol,
        side: o.side,
        type: o.type,
        shares: o.qty,
        notional: o.notional,
        limitPrice: o.limitPrice,
        stopPrice: o.stopPrice,
        status: o.status,
        filledShares: o.filledQty,
        filledAvgPrice: o.filledAvgPrice,
        createdAt: o.createdAt,
        reason: o.reason,
      })),
    };
  },
});

export const orderPreviewTool = defineTool({
  name: "order_preview",
  description:
    "Prices a hypothetical stock order and runs the user's pre-trade checks on it WITHOUT " +
    "placing it: estimated price and cost, buying power before and after, the position after, " +
    "and each check (passed, warning or refused, with the limit and by how much).",
  input: z.object({
    symbol: symbolSchema,
    side: z.enum(["buy", "sell"]),
    shares: z.number().positive().max(1_000_000),
    type: z.enum(["market", "limit"]).default("market"),
    limitPrice: z.number().positive().max(1_000_000).optional(),
  }),
  async run(input, { services, userId }) {
    const { db, market, broker } = services;
    try {
      const p = await previewOrder({ db, market, broker }, userId, {
        symbol: input.symbol,
        side: input.side,
        type: input.type,
        timeInForce: "day",
        qty: input.shares,
        limitPrice: input.limitPrice,
        clientOrderId: crypto.randomUUID(),
      });
      return {
        source: p.quote.source,
        asOf: p.quote.timestamp,
        data: {
          symbol: p.symbol,
          side: p.side,
          shares: p.qty,
          estimatedPrice: p.estimatedPrice,
          estimatedCost: p.estimatedCost,
          buyingPower: p.buyingPower,
          buyingPowerAfter: p.buyingPowerAfter,
          positionShares: p.positionQty,
          positionSharesAfter: p.positionQtyAfter,
          marketOpen: p.marketOpen,
          refused: p.refused,
          checks: p.checks.map((c) => ({
            rule: c.rule,
            result: c.ok ? "passed" : c.severity === "refuse" ? "refused" : "warning",
            message: c.message,
            ...(c.limit !== undefined ? { limit: c.limit, unit: c.unit } : {}),
            ...(c.excess !== undefined ? { excess: c.excess } : {}),
          })),
        },
      };
    } catch (err) {
      if (err instanceof UnknownSymbolError) throw new ToolError(err.message);
      throw err;
    }
  },
});

export const accountTools = [positionsTool, portfolioTool, ordersTool, orderPreviewTool];
