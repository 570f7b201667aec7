/**
 * `/api/alerts`: the caller's price alerts (lib/alerts/).
 *
 * - `GET /` → `{ alerts }`; `GET /:id` → `{ alert }`
 * - `POST /` `{ symbol, condition, threshold, period?, rearm?, rearmMargin?, expiresAt?, note? }`
 *   → 201 `{ alert, now }`, where `now` is the condition's current value when the latest quote
 *   decides it (`alreadyMet` says the alert will fire at the next evaluation).
 * - `PATCH /:id` `{ threshold?, rearm?, rearmMargin?, status?: "active"|"paused", expiresAt?, note? }`
 * - `DELETE /:id`
 *
 * Conditions: `price_above`/`price_below` (USD), `change_above`/`change_below` (% from the
 * previous close; the sign follows the direction), `volume_above` (× the `period`-day average
 * volume, default 20), `rsi_below`/`rsi_above` (RSI(`period`), default 14) and
 * `price_above_sma`/`price_below_sma` (% from SMA(`period`), default 200; 0 = the SMA itself).
 * An alert fires once per crossing; it re-arms when the value moves back past the level by
 * `rearmMargin` (% of the level for prices and volume, points for % moves and RSI; default
 * 0.5), or with `rearm: "session"` at the next exchange day. Another user's alert is a 404; at
 * most 200 alerts (422 `alert_limit`).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { HttpError, NotFoundError } from "../../lib/http/errors.ts";
import { symbolSchema } from "../../lib/market/symbols.ts";
import { requireKnownSymbols } from "../../lib/market/known_symbols.ts";
import { fromMarket } from "../../lib/market/api.ts";
import {
  type Condition,
  CONDITIONS,
  DEFAULT_PERIOD,
  describe,
  met,
  QUOTE_CONDITIONS,
  valueOf,
} from "../../lib/alerts/conditions.ts";
import {
  type Alert,
  AlertLimitError,
  createAlert,
  deleteAlert,
  getAlert,
  listAlerts,
  updateAlert,
} from "../../lib/alerts/repo.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const future = z.iso.datetime({ offset: true }).transform((s) => new Date(s)).refine(
  (d) => d.getTime() > Date.now(),
  "The expiry must be in the future.",
);
const rearm = z.enum(["margin", "session"]);
const rearmMargin = z.number().min(0).max(50);
const note = z.string().trim().max(200);
const threshold = z.number().finite().gt(-1e9).lt(1e9);

const createSchema = z.strictObject({
  symbol: symbolSchema,
  condition: z.enum(CONDITIONS),
  threshold,
  period: z.number().int().min(2).max(400).optional(),
  rearm: rearm.default("margin"),
  rearmMargin: rearmMargin.default(0.5),
  expiresAt: future.nullable().default(null),
  note: note.nullable().default(null),
}).superRefine((v, ctx) => {
  const positive = v.condition.startsWith("price_") && !v.condition.endsWith("_sma") ||
    v.condition === "volume_above";
  if (positive && v.threshold <= 0) {
    ctx.addIssue({ code: "custom", path: ["threshold"], message: "The level must be above 0." });
  }
  if (v.condition.startsWith("rsi_") && (v.threshold <= 0 || v.threshold >= 100)) {
    ctx.addIssue({
      code: "custom",
      path: ["threshold"],
      message: "RSI levels lie between 0 and 100.",
    });
  }
  if (v.period !== undefined && DEFAULT_PERIOD[v.condition] === null) {
    ctx.addIssue({ code: "custom", path: ["period"], message: `${v.condition} takes no period.` });
  }
});

const patchSchema = z.strictObject({
  threshold: threshold.optional(),
  rearm: rearm.optional(),
  rearmMargin: rearmMargin.optional(),
  status: z.enum(["active", "paused"]).optional(),
  expiresAt: future.nullable().optional(),
  note: note.nullable().optional(),
});

const idSchema = z.coerce.number().int().positive().max(2 ** 53 - 1);

function alertId(raw: string): number {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) throw new NotFoundError("No such alert.");
  return parsed.data;
}

/** A % level's sign follows its direction, so "down 3 %" is -3 however it was typed. */
function signed(condition: Condition, value: number): number {
  if (condition === "change_below" || condition === "price_below_sma") return -Math.abs(value);
  if (condition === "change_above" || condition === "price_above_sma") return Math.abs(value);
  return value;
}

function view(a: Alert) {
  return { ...a, description: describe(a.symbol, a) };
}

const alerts = new Hono<AppEnv>();

const alertParams = { id: idSchema };
describeRoutes(alerts, "Alerts", {
  "GET /": { summary: "The caller's alerts", responses: { 200: "`{ alerts }`" } },
  "GET /:id": {
    summary: "One alert",
    params: alertParams,
    responses: { 200: "`{ alert }`", 404: "Not the caller's" },
  },
  "POST /": {
    summary: "Create an alert on a price, a move, volume, RSI or a moving average",
    body: createSchema,
    example: { symbol: "AAPL", condition: "price_above", threshold: 200, note: "breakout" },
    responses: {
      201: "`{ alert, now }`: `now` is where the condition stands at the latest quote",
      422: "`unknown_symbols`, `alert_limit`",
    },
  },
  "PATCH /:id": {
    summary: "Change the level, re-arming, note or expiry; pause or resume",
    params: alertParams,
    body: patchSchema,
    example: { threshold: 190, status: "paused" },
    responses: { 200: "`{ alert }`", 404: "Not the caller's", 422: "`alert_expired`" },
  },
  "DELETE /:id": {
    summary: "Delete an alert",
    params: alertParams,
    responses: { 204: "Deleted", 404: "Not the caller's" },
  },
});

alerts.get("/", async (c) => {
  const user = requireUser(c);
  const list = await listAlerts(c.get("services").db, user.id);
  return c.json({ alerts: list.map(view) });
});

alerts.get("/:id", async (c) => {
  const user = requireUser(c);
  const alert = await getAlert(c.get("services").db, user.id, alertId(c.req.param("id")));
  if (!alert) throw new NotFoundError("No such alert.");
  return c.json({ alert: view(alert) });
});

alerts.post("/", async (c) => {
  const user = requireUser(c);
  const input = createSchema.parse(await jsonBody(c));
  const services = c.get("services");
  await requireKnownSymbols(services, [input.symbol]);
  const alert = await services.db.transaction((tx) =>
    createAlert(tx, user.id, {
      ...input,
      threshold: signed(input.condition, input.threshold),
      period: input.period ?? DEFAULT_PERIOD[input.condition],
    })
  ).catch((err) => {
    if (err instanceof AlertLimitError) throw new HttpError(422, "alert_limit", err.message);
    throw err;
  });
  await services.alerts.changed();
  // Where the condition stands now, so the form can say "already met: fires at once".
  let now: { value: number | null; alreadyMet: boolean | null; source: string } | null = null;
  if (QUOTE_CONDITIONS.has(alert.condition) && alert.condition !== "volume_above") {
    const [quote] = await fromMarket(() => services.market.quotes([alert.symbol]));
    const value = valueOf(alert, {
      price: quote.last,
      prevClose: quote.prevClose,
      session: "",
    });
    now = {
      value,
      alreadyMet: value === null ? null : met(alert, value),
      source: quote.source,
    };
  }
  return c.json({ alert: view(alert), now }, 201);
});

alerts.patch("/:id", async (c) => {
  const user = requireUser(c);
  const id = alertId(c.req.param("id"));
  const change = patchSchema.parse(await jsonBody(c));
  const services = c.get("services");
  const current = await getAlert(services.db, user.id, id);
  if (!current) throw new NotFoundError("No such alert.");
  if (
    current.status === "expired" && change.status === "active" && change.expiresAt === undefined
  ) {
    throw new HttpError(
      422,
      "alert_expired",
      "The alert has expired; give it a new expiry (or none) to resume it.",
    );
  }
  const alert = await updateAlert(services.db, user.id, id, {
    ...change,
    threshold: change.threshold === undefined
      ? undefined
      : signed(current.condition, change.threshold),
  });
  if (!alert) throw new NotFoundError("No such alert.");
  await services.alerts.changed();
  return c.json({ alert: view(alert) });
});

alerts.delete("/:id", async (c) => {
  const user = requireUser(c);
  const services = c.get("services");
  if (!await deleteAlert(services.db, user.id, alertId(c.req.param("id")))) {
    throw new NotFoundError("No such alert.");
  }
  await services.alerts.changed();
  return c.body(null, 204);
});

export default alerts;
