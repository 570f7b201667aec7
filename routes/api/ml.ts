/**
 * `/api/ml`: the ML signals (lib/ml/).
 *
 * `GET /regime?days=252` → `{ asOf, source, prices, current: { state, name, features },
 * history: [{ date, state }], model: { k, seed, trainedFrom, trainedThrough, states, note } }`:
 * the market regime of the last completed day before the market's date and of the `days`
 * (20–1000) before it, with each state's statistics and its measured forward returns.
 *
 * `GET /patterns?days=5&symbol=AAPL` → `{ asOf, source, prices, hits: [{ symbol, name, type,
 * pattern, direction, date, level, points }], levels, record: { patterns, baseline } }`: chart
 * patterns (lib/ml/patterns.ts) completed in the last `days` (1–250) trading days through the
 * scan day, across the universe or for one symbol (then with its support and resistance), and
 * every pattern's measured record over the shipped history with its sample count.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { requireUser } from "../../lib/auth/guards.ts";
import { HttpError } from "../../lib/http/errors.ts";
import { fromMarket } from "../../lib/market/api.ts";
import {
  NotEnoughHistoryError,
  PATTERN_RECORD,
  patternsAsOf,
  REGIME_MODEL,
  REGIME_NOTE,
  regimeNow,
} from "../../lib/ml/mod.ts";
import { NoScanDayError, universeNow } from "../../lib/scanner/mod.ts";
import { symbolSchema } from "../../lib/market/symbols.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const regimeQuery = z.strictObject({
  days: z.coerce.number().int().min(20).max(1000).default(252),
});

const ml = new Hono<AppEnv>();

ml.get("/regime", async (c) => {
  requireUser(c);
  const { days } = regimeQuery.parse(c.req.query());
  const { market } = c.get("services");
  try {
    const answer = await fromMarket(() => regimeNow(market, days));
    const { centroids: _, scale: __, ...model } = REGIME_MODEL;
    return c.json({
      ...answer,
      source: market.source,
      prices: market.source,
      model: { ...model, note: REGIME_NOTE },
    });
  } catch (err) {
    if (err instanceof NotEnoughHistoryError) throw new HttpError(422, "no_history", err.message);
    throw err;
  }
});

const patternsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(250).default(5),
  symbol: symbolSchema.optional(),
});

ml.get("/patterns", async (c) => {
  requireUser(c);
  const q = patternsQuery.parse(c.req.query());
  const { market } = c.get("services");
  try {
    const { asOf, source, series } = await fromMarket(() =>
      universeNow(market, q.symbol ? { symbols: [q.symbol] } : {})
    );
    const chosen = q.symbol ? series.filter((s) => s.symbol === q.symbol) : series;
    if (q.symbol && chosen.length === 0) {
      throw new HttpError(
        404,
        "not_found",
        `No daily history for ${q.symbol} to find patterns in.`,
      );
    }
    const { hits, levels } = patternsAsOf(chosen, asOf, q.days);
    return c.json({ asOf, source, prices: source, hits, levels, record: PATTERN_RECORD });
  } catch (err) {
    if (err instanceof NoScanDayError) throw new HttpError(422, "no_scan_day", err.message);
    throw err;
  }
});

describeRoutes(ml, "Signals", {
  "GET /regime": {
    summary: "The market regime (k-means on S&P 500 and VIX) of the last completed day and before",
    query: regimeQuery,
    queryExample: { days: "60" },
    responses: { 200: "`{ asOf, source, prices, current, history, model }`", 422: "`no_history`" },
  },
  "GET /patterns": {
    summary: "Chart patterns completed in the last days, with each pattern's measured record",
    query: patternsQuery,
    queryExample: { days: "5", symbol: "AAPL" },
    responses: {
      200: "`{ asOf, source, prices, hits, levels, record }`",
      404: "No history for the symbol",
      422: "`no_scan_day`",
    },
  },
});

export default ml;
