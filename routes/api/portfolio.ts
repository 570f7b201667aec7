/**
 * `/api/portfolio`: the caller's account as a whole.
 *
 * - `GET /` → `{ account, totals, source, prices }`: cash, buying power, equity, day P&L and
 *   the positions' market value, cost basis and unrealized P&L.
 * - `GET /snapshot` → `{ account, positions, prices, source }`: what the positions screen shows
 *   (positions sorted by symbol; `prices` as `GET /api/positions` names them).
 * - `GET /history?range=1D|1W|1M|3M|1Y|ALL` → the equity curve (`points`, `baseValue`).
 * - `GET /fills?after&until&limit` → `{ fills }`: executions, newest first.
 * - `POST /reset` `{ confirm: "RESET", startingCash? }`: starts the paper account over (open
 *   orders cancelled, positions gone, cash = the starting cash, which defaults to the settings'
 *   and is saved there); booked as a cash flow. The built-in paper broker only (409 otherwise).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { requireUser } from "../../lib/auth/guards.ts";
import { fromBroker, historyQuerySchema } from "../../lib/broker/api.ts";
import { portfolioSnapshot } from "../../lib/broker/snapshot.ts";
import { portfolioTotals } from "../../lib/broker/totals.ts";
import { jsonBody } from "../../lib/auth/guards.ts";
import { HttpError } from "../../lib/http/errors.ts";
import { getSettings, settingsSchema, updateSettings } from "../../lib/settings.ts";
import { ResetConflictError, resetPaperAccount } from "../../lib/broker/paper/reset.ts";
import { seamModes } from "../../lib/config.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

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

const resetSchema = z.strictObject({
  confirm: z.string().max(20),
  startingCash: settingsSchema.shape.startingCash.unwrap().optional(),
});

portfolio.post("/reset", async (c) => {
  const user = requireUser(c);
  const input = resetSchema.parse(await jsonBody(c));
  if (input.confirm !== "RESET") {
    throw new HttpError(422, "confirmation_mismatch", "Type RESET to confirm.");
  }
  const { db, broker, config } = c.get("services");
  if (seamModes(config).broker !== "paper") {
    throw new HttpError(
      409,
      "reset_unsupported",
      "Only the built-in paper broker's account can be reset; reset an Alpaca account at Alpaca.",
    );
  }
  const startingCash = input.startingCash ?? (await getSettings(db, user.id)).startingCash;
  if (input.startingCash !== undefined) await updateSettings(db, user.id, { startingCash });
  try {
    const result = await resetPaperAccount(db, broker, user.id, startingCash);
    return c.json(result);
  } catch (err) {
    if (err instanceof ResetConflictError) throw new HttpError(409, "reset_conflict", err.message);
    throw err;
  }
});

describeRoutes(portfolio, "Portfolio", {
  "GET /": {
    summary: "The account and its totals: cash, buying power, equity, day and unrealized P&L",
    responses: { 200: "`{ account, totals, source, prices }`" },
  },
  "GET /snapshot": {
    summary: "The account and its positions, as the positions screen shows them",
    responses: { 200: "`{ account, positions, prices, source }`" },
  },
  "GET /history": {
    summary: "The equity curve over a range",
    query: historyQuerySchema,
    queryExample: { range: "1M" },
    responses: { 200: "`{ points, baseValue, ... }`" },
  },
  "GET /fills": {
    summary: "Executions, newest first",
    query: fillsQuery,
    queryExample: { limit: "20" },
    responses: { 200: "`{ fills, source }`" },
  },
  "POST /reset": {
    summary: "Start the paper account over (typed confirmation `RESET`)",
    body: resetSchema,
    example: { confirm: "RESET", startingCash: 50_000 },
    responses: {
      200: "What the reset did",
      409: "`reset_unsupported` (not the built-in paper broker), `reset_conflict`",
      422: "`confirmation_mismatch`",
    },
  },
});

export default portfolio;
