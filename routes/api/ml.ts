/**
 * `/api/ml`: the ML signals (lib/ml/).
 *
 * `GET /regime?days=252` → `{ asOf, source, prices, current: { state, name, features },
 * history: [{ date, state }], model: { k, seed, trainedFrom, trainedThrough, states, note } }`:
 * the market regime of the last completed day before the market's date and of the `days`
 * (20–1000) before it, with each state's statistics and its measured forward returns.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { requireUser } from "../../lib/auth/guards.ts";
import { HttpError } from "../../lib/http/errors.ts";
import { fromMarket } from "../../lib/market/api.ts";
import { NotEnoughHistoryError, REGIME_MODEL, REGIME_NOTE, regimeNow } from "../../lib/ml/mod.ts";

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

export default ml;
