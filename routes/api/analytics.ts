/**
 * `/api/analytics`: the caller's P&L analytics (lib/analytics/pnl/).
 *
 * - `GET /?period=1D|1W|1M|3M|YTD|1Y|ALL` (default 1M) → `PnlAnalytics` (lib/shared/pnl.ts):
 *   the equity curve, daily and monthly returns, metrics each with its formula (and a reason
 *   when it has no value), FIFO P&L per symbol, the S&P 500 over the same market days.
 * - `GET /export.csv?period=…` → the period's daily equity and returns as CSV (lib/analytics/pnl/csv.ts).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Context } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { requireUser } from "../../lib/auth/guards.ts";
import { fromBroker } from "../../lib/broker/api.ts";
import { marketDays } from "../../lib/market/market_days.ts";
import { loadAnalytics } from "../../lib/analytics/pnl/load.ts";
import { analyticsCsv } from "../../lib/analytics/pnl/csv.ts";
import { PNL_PERIODS } from "../../lib/shared/pnl.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const querySchema = z.object({ period: z.enum(PNL_PERIODS).default("1M") }).strict();

const analytics = new Hono<AppEnv>();

describeRoutes(analytics, "Analytics", {
  "GET /": {
    summary: "P&L analytics over a period: equity curve, returns, metrics with formulas",
    query: querySchema,
    queryExample: { period: "3M" },
    responses: { 200: "`PnlAnalytics` (lib/shared/pnl.ts)" },
  },
  "GET /export.csv": {
    summary: "The period's daily equity, cash flows and returns as CSV",
    query: querySchema,
    queryExample: { period: "1Y" },
    responses: { 200: { description: "The CSV file", contentType: "text/csv" } },
  },
});

async function report(c: Context<AppEnv>) {
  const user = requireUser(c);
  const { period } = querySchema.parse(c.req.query());
  const { db, broker, market, config } = c.get("services");
  const dayOf = await marketDays(config);
  c.header("Cache-Control", "no-store");
  return await fromBroker(() => loadAnalytics({ db, broker, market, dayOf }, user.id, period));
}

analytics.get("/", async (c) => c.json(await report(c)));

analytics.get("/export.csv", async (c) => {
  const r = await report(c);
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header(
    "Content-Disposition",
    `attachment; filename="paiid-pnl-${r.period}-${r.to?.date ?? "empty"}.csv"`,
  );
  return c.body(analyticsCsv(r));
});

export default analytics;
