/**
 * `/api/risk`: position sizing (lib/risk/sizing.ts), option strategies, portfolio risk.
 *
 * `POST /options/analyze` and `GET /options/templates`: option strategy analysis, see
 * lib/risk/options/request.ts.
 *
 * `POST /size` `{ symbol, side?, method, entry?, stop?, riskPercent?, atrMultiple?, atrPeriod?,
 * targetVolatility?, volatilityPeriod?, winRate?, payoffRatio? }` → `{ symbol, side, equity,
 * entry, entrySource, inputs, sizing, checks, refused, prices }`. The entry defaults to the live
 * quote (the ask for a buy, the bid for a sale), equity is the account's, ATR and volatility come
 * from the completed daily bars before the quote's day, and `checks` are the pre-trade checks a market order
 * of that size would meet now (nothing is placed).
 *
 * `GET /portfolio?lookback=252&shock=-10` → the account's portfolio risk
 * (lib/risk/portfolio/): exposure, beta, correlation, VaR/CVaR, stress tests, limit usage.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { fromBroker, priceSchema, tradableSymbolSchema } from "../../lib/broker/api.ts";
import { fromMarket } from "../../lib/market/api.ts";
import { completedDailyBars } from "../../lib/market/completed_bars.ts";
import { previewOrder } from "../../lib/broker/trading.ts";
import { atr, realizedVolatility } from "../../lib/analytics/volatility.ts";
import {
  atrSized,
  fixedFractional,
  kelly,
  SizingError,
  type SizingResult,
  volatilityTarget,
} from "../../lib/risk/sizing.ts";
import { HttpError } from "../../lib/http/errors.ts";
import {
  analyzeRequest,
  analyzeSchema,
  templatesQuery,
  templatesRequest,
} from "../../lib/risk/options/request.ts";
import { portfolioRiskFor } from "../../lib/risk/portfolio/gather.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const sizeSchema = z.object({
  symbol: tradableSymbolSchema,
  side: z.enum(["buy", "sell"]).default("buy"),
  method: z.enum(["fixed_fractional", "atr", "volatility_target", "kelly"]),
  entry: priceSchema.optional(),
  stop: priceSchema.optional(),
  riskPercent: z.number().positive().max(10, "Risk at most 10 % of equity per trade.").default(1),
  atrMultiple: z.number().positive().max(10).default(2),
  atrPeriod: z.number().int().min(2).max(100).default(14),
  targetVolatility: z.number().positive().max(100).default(10),
  volatilityPeriod: z.number().int().min(5).max(250).default(20),
  winRate: z.number().gt(0).lt(1).optional(),
  payoffRatio: z.number().positive().max(100).optional(),
}).strict().superRefine((v, ctx) => {
  if (v.method === "fixed_fractional" && v.stop === undefined) {
    ctx.addIssue({ code: "custom", path: ["stop"], message: "Fixed fractional needs a stop." });
  }
  if (v.method === "kelly") {
    for (const key of ["winRate", "payoffRatio"] as const) {
      if (v[key] === undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: `Kelly needs ${key}.` });
      }
    }
  }
});

const risk = new Hono<AppEnv>();

risk.post("/size", async (c) => {
  const user = requireUser(c);
  const input = sizeSchema.parse(await jsonBody(c));
  const { market, broker, db } = c.get("services");
  const [quote] = await fromMarket(() => market.quotes([input.symbol]));
  const account = await fromBroker(() => broker.account(user.id));
  const quoted = input.side === "buy" ? quote.ask ?? quote.last : quote.bid ?? quote.last;
  const entry = input.entry ?? quoted;
  if (!entry) {
    throw new HttpError(422, "no_price", `There is no price for ${input.symbol} to size from.`);
  }
  const inputs: Record<string, number | string> = { method: input.method };
  let sizing: SizingResult;
  try {
    if (input.method === "fixed_fractional") {
      sizing = fixedFractional({ ...input, stop: input.stop!, equity: account.equity, entry });
      inputs.riskPercent = input.riskPercent;
    } else if (input.method === "kelly") {
      sizing = kelly({
        equity: account.equity,
        entry,
        winRate: input.winRate!,
        payoffRatio: input.payoffRatio!,
      });
    } else {
      const { bars } = await fromMarket(() => completedDailyBars(market, quote, 400));
      if (input.method === "atr") {
        const value = atr(bars, input.atrPeriod).at(-1);
        if (value == null) throw new SizingError("Not enough daily bars for the ATR.");
        inputs.atr = Math.round(value * 10_000) / 10_000;
        inputs.atrPeriod = input.atrPeriod;
        sizing = atrSized({ ...input, atr: value, equity: account.equity, entry });
      } else {
        const vol = realizedVolatility(bars.map((b) => b.close), input.volatilityPeriod);
        if (vol == null) throw new SizingError("Not enough daily bars for the volatility.");
        inputs.volatilityPercent = Math.round(vol * 10_000) / 100;
        inputs.volatilityPeriod = input.volatilityPeriod;
        sizing = volatilityTarget({
          equity: account.equity,
          entry,
          volatility: vol * 100,
          targetVolatility: input.targetVolatility,
        });
      }
      inputs.barsThrough = bars.at(-1)?.time ?? "";
    }
  } catch (err) {
    if (err instanceof SizingError) throw new HttpError(422, "cannot_size", err.message);
    throw err;
  }
  const preview = sizing.shares > 0
    ? await fromBroker(() =>
      previewOrder({ db, market, broker }, user.id, {
        symbol: input.symbol,
        side: input.side,
        type: "market",
        timeInForce: "day",
        qty: sizing.shares,
        clientOrderId: crypto.randomUUID(),
      })
    )
    : undefined;
  c.header("Cache-Control", "no-store");
  return c.json({
    symbol: input.symbol,
    side: input.side,
    equity: account.equity,
    entry,
    entrySource: input.entry === undefined ? quote.source : "given",
    quote: { bid: quote.bid, ask: quote.ask, last: quote.last, timestamp: quote.timestamp },
    inputs,
    sizing,
    checks: preview?.checks ?? [],
    refused: preview?.refused ?? false,
    prices: account.prices,
  });
});

// Option strategies (lib/risk/options/request.ts): `POST /options/analyze` values a multi-leg
// position on the chain; `GET /options/templates[?symbol&expiration]` lists the templates and,
// for a chain, their legs.
risk.post("/options/analyze", async (c) => {
  requireUser(c);
  const input = analyzeSchema.parse(await jsonBody(c));
  const answer = await fromMarket(() => analyzeRequest(input, c.get("services").market));
  c.header("Cache-Control", "no-store");
  return c.json(answer);
});

risk.get("/options/templates", async (c) => {
  requireUser(c);
  const query = templatesQuery.parse(c.req.query());
  return c.json(await fromMarket(() => templatesRequest(query, c.get("services").market)));
});

const portfolioQuery = z.object({
  lookback: z.coerce.number().int().min(20, "At least 20 trading days.").max(
    2500,
    "At most 2,500 trading days.",
  ).default(252),
  shock: z.coerce.number().finite().min(-100).max(100).default(-10),
}).strict();

risk.get("/portfolio", async (c) => {
  const user = requireUser(c);
  const q = portfolioQuery.parse(c.req.query());
  c.header("Cache-Control", "no-store");
  return c.json(await portfolioRiskFor(c.get("services"), user.id, q));
});

describeRoutes(risk, "Risk", {
  "POST /size": {
    summary: "Size a trade four ways (fixed fractional, ATR, volatility target, Kelly)",
    description: "The entry defaults to the live quote; `checks` are the pre-trade checks a " +
      "market order of that size would meet now (nothing is placed).",
    body: sizeSchema,
    example: { symbol: "AAPL", method: "fixed_fractional", stop: 110, riskPercent: 1 },
    responses: {
      200:
        "`{ symbol, side, equity, entry, entrySource, inputs, sizing, checks, refused, prices }`",
      422: "The sizing cannot be done with these inputs",
    },
  },
  "POST /options/analyze": {
    summary: "Value a multi-leg option position: payoffs, breakevens, max profit and loss, Greeks",
    body: analyzeSchema,
    example: {
      symbol: "AAPL",
      underlyingPrice: 130,
      legs: [{
        type: "call",
        side: "buy",
        strike: 135,
        expiration: "2021-05-21",
        quantity: 1,
        premium: 2.5,
        iv: 0.3,
      }],
    },
    responses: { 200: "The analysis", 422: "A leg cannot be priced" },
  },
  "GET /options/templates": {
    summary: "The option strategy templates and, for a chain, their legs",
    query: templatesQuery,
    queryExample: { symbol: "AAPL", expiration: "2021-05-21" },
    responses: { 200: "`{ templates, ... }`" },
  },
  "GET /portfolio": {
    summary: "The book's risk: exposure, beta, correlation, VaR/CVaR, stress tests, limit usage",
    query: portfolioQuery,
    queryExample: { lookback: "252", shock: "-10" },
    responses: { 200: "The portfolio risk report" },
  },
});

export default risk;
