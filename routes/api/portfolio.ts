/**
 * `/api/portfolio`: the caller's account as a whole.
 *
 * - `GET /` → `{ account, totals, source, prices }`: cash, buying power, equity, day P&L and
 *   the positions' market value, cost basis and unrealized P&L.
 * - `GET /snapshot` → `{ account, positions, prices, source }`: what the positions screen shows
 *   (positions sorted by symbol; `prices` as `GET /api/positions` names them).
 * - `GET /history?range=1D|1W|1M|3M|1Y|ALL` → the equity curve (`points`, `baseValue`).
 * - `GET /fills?after&until&limit` → `{ fills }`: executions, newest first.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { requireUser } from "../../lib/auth/guards.ts";
import { fromBroker, historyQuerySchema } from "../../lib/broker/api.ts";
import { portfolioSnapshot } from "../../lib/broker/snapshot.ts";
import { portfolioTotals } from "../../lib/broker/totals.ts";

const portfolio = new Hono<AppEnv>();

portfolio.get("/", async (c) => {
  const user = requireUser(c);
  const { broker } = c.get("services");
  const { account, positions } = await fromBroker(() => portfolioSnapshot(broker, user.id));
  c.header("Cache-Control", "no-store");
  return c.json({
    account,
    totals: portfolioTotals(positions),
    source: account.source,
    prices: account.prices,
  });
});

portfolio.get("/snapshot", async (c) => {
  const user = requireUser(c);
  const { broker } = c.get("services");
  const snapshot = await fromBroker(() => portfolioSnapshot(broker, user.id));
  c.header("Cache-Control", "no-store");
  return c.json(snapshot);
});

portfolio.get("/history", async (c) => {
  const user = requireUser(c);
  const { range } = historyQuerySchema.parse(c.req.query());
  c.header("Cache-Control", "no-store");
  return c.json(await fromBroker(() => c.get("services").broker.history(user.id, range)));
});

const fillsQuery = z.object({
  after: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}).strict();

portfolio.get("/fills", async (c) => {
  const user = requireUser(c);
  const q = fillsQuery.parse(c.req.query());
  c.header("Cache-Control", "no-store");
  const { broker } = c.get("services");
  return c.json({ fills: await fromBroker(() => broker.fills(user.id, q)), source: broker.kind });
});

export default portfolio;
