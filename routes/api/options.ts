/**
 * `/api/options`: option expirations and chains from the configured source, and a
 * Black-Scholes-Merton calculator.
 *
 * - `GET /expirations/:symbol` → OptionExpirations
 * - `GET /chain/:symbol?expiration=YYYY-MM-DD` → OptionChain (with Greeks and IV)
 * - `POST /greeks` with `{ type, spot, strike, years | days, rate, dividendYield?, volatility
 *   | price }` → price and Greeks; given a `price` instead of a `volatility`, the implied
 *   volatility too (422 `no_implied_volatility` when no volatility gives that price).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import {
  bsGreeks,
  impliedVolatility,
  NoImpliedVolatilityError,
} from "../../lib/analytics/greeks.ts";
import { HttpError } from "../../lib/http/errors.ts";
import { fromMarket, isoDate, parseSymbol } from "../../lib/market/api.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";
import { symbolSchema } from "../../lib/market/symbols.ts";

const options = new Hono<AppEnv>();

options.get("/expirations/:symbol", async (c) => {
  const symbol = parseSymbol(c.req.param("symbol"));
  return c.json(await fromMarket(() => c.get("services").market.expirations(symbol)));
});

const chainQuery = z.object({ expiration: isoDate });

options.get("/chain/:symbol", async (c) => {
  const symbol = parseSymbol(c.req.param("symbol"));
  const { expiration } = chainQuery.parse(c.req.query());
  return c.json(await fromMarket(() => c.get("services").market.chain(symbol, expiration)));
});

const positive = z.number().finite().positive();
const greeksBody = z.object({
  type: z.enum(["call", "put"]),
  spot: positive.max(1e7),
  strike: positive.max(1e7),
  /** Time to expiry in years, or `days` in calendar days: one of the two. */
  years: z.number().finite().min(0).max(50).optional(),
  days: z.number().finite().min(0).max(50 * 365).optional(),
  /** Fractions: 0.05 = 5 %. */
  rate: z.number().finite().min(-0.2).max(1),
  dividendYield: z.number().finite().min(-0.2).max(1).default(0),
  volatility: z.number().finite().min(0).max(20).optional(),
  price: z.number().finite().min(0).max(1e7).optional(),
}).strict().superRefine((b, ctx) => {
  if ((b.years === undefined) === (b.days === undefined)) {
    ctx.addIssue({ code: "custom", path: ["years"], message: "Give either years or days." });
  }
  if ((b.volatility === undefined) === (b.price === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: ["volatility"],
      message: "Give either volatility (to price the option) or price (to imply volatility).",
    });
  }
});

options.post("/greeks", async (c) => {
  const body = greeksBody.parse(await c.req.json());
  const years = body.years ?? body.days! / 365;
  const base = {
    type: body.type,
    spot: body.spot,
    strike: body.strike,
    years,
    rate: body.rate,
    dividendYield: body.dividendYield,
  };
  let volatility = body.volatility;
  if (volatility === undefined) {
    try {
      volatility = impliedVolatility({ ...base, price: body.price! });
    } catch (err) {
      if (err instanceof NoImpliedVolatilityError) {
        throw new HttpError(422, "no_implied_volatility", err.message, err.bounds);
      }
      throw err;
    }
  }
  const greeks = bsGreeks({ ...base, volatility });
  return c.json({
    ...greeks,
    iv: body.price === undefined ? null : volatility,
    volatility,
    years,
    model: "black-scholes-merton",
    source: "calculator",
    timestamp: new Date().toISOString(),
  });
});

const symbolParams = { symbol: symbolSchema };
describeRoutes(options, "Options", {
  "GET /expirations/:symbol": {
    summary: "A symbol's option expirations",
    params: symbolParams,
    responses: { 200: "OptionExpirations", 400: "`invalid_symbol`" },
  },
  "GET /chain/:symbol": {
    summary: "An option chain with Greeks and implied volatility",
    params: symbolParams,
    query: chainQuery,
    queryExample: { expiration: "2021-05-21" },
    responses: { 200: "OptionChain" },
  },
  "POST /greeks": {
    summary: "Black-Scholes-Merton price and Greeks, or the implied volatility of a price",
    description: "Give `years` or `days`, and `volatility` (to price) or `price` (to imply it).",
    body: greeksBody,
    example: { type: "call", spot: 100, strike: 105, days: 30, rate: 0.05, volatility: 0.25 },
    responses: {
      200: "Price, Greeks, `iv`, `volatility` and `years`",
      422: "`no_implied_volatility`",
    },
  },
});

export default options;
