/**
 * `/api/market-data`: intraday detail.
 *
 * - `GET /timesales/:symbol?interval=tick|1min|5min|15min&start=&end=` → TimeSales; `start`
 *   and `end` are `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` (New York time).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/app.ts";
import { fromMarket, parseSymbol } from "../../lib/market/http.ts";

const marketData = new Hono<AppEnv>();

const bound = z.string().trim().regex(
  /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/,
  "Use YYYY-MM-DD or YYYY-MM-DD HH:MM (New York time).",
);

const timeSalesQuery = z.object({
  interval: z.enum(["tick", "1min", "5min", "15min"]).default("1min"),
  start: bound.optional(),
  end: bound.optional(),
}).refine((q) => !q.start || !q.end || q.start <= q.end, {
  message: "start must not be after end.",
  path: ["start"],
});

marketData.get("/timesales/:symbol", async (c) => {
  const symbol = parseSymbol(c.req.param("symbol"));
  const query = timeSalesQuery.parse(c.req.query());
  return c.json(await fromMarket(() => c.get("services").market.timeSales(symbol, query)));
});

export default marketData;
