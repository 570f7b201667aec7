/**
 * `/api/screening`: the market scanner (lib/scanner/).
 *
 * - `GET /presets` → `{ presets: [{ id, name, description, spec }], sectors }`
 * - `POST /run` `{ preset, sector?, minPrice?, minDollarVolume?, limit? }` or a custom scan
 *   `{ conditions, sector?, minPrice?, minDollarVolume?, sort?, limit? }` →
 *   `{ asOf, source, prices, scanned, hits: [{ symbol, name, sector, close, values, reasons,
 *   spark }] }`. `asOf` is the trading day whose completed bars were read (in replay the day
 *   before the replayed one).
 * - `GET /saved` → `{ scans }`; `POST /saved` `{ name, spec, scheduled? }` → 201 `{ scan }`;
 *   `PATCH /saved/:id` `{ scheduled }` → `{ scan }`; `DELETE /saved/:id` → 204. Another user's
 *   scan is a 404. A scheduled scan runs every weekday morning (jobs/scans.ts) and its hits
 *   arrive as a notification.
 * - `POST /backtest` `{ name, spec, holdDays? }` → 201 `{ strategy: { id, version, name },
 *   assumptions, url }`: the scan saved as one of the caller's strategies (lib/scanner/
 *   to_strategy.ts) and the Backtesting page that preselects it; a scan the rule language
 *   cannot write is a 422 `not_expressible` with the conditions in `details`.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { HttpError, NotFoundError } from "../../lib/http/errors.ts";
import { fromMarket } from "../../lib/market/api.ts";
import { NoScanDayError, scanMarket } from "../../lib/scanner/mod.ts";
import { presetById, PRESETS } from "../../lib/scanner/presets.ts";
import { runSchema, specSchema } from "../../lib/scanner/spec.ts";
import { replaySectors } from "../../lib/scanner/universe.ts";
import {
  deleteSavedScan,
  listSavedScans,
  SavedScanError,
  saveScan,
  setScheduled,
} from "../../lib/scanner/saved.ts";
import type { ScanSpec } from "../../lib/shared/scan.ts";
import { DEFAULT_HOLD_DAYS, scanToRules } from "../../lib/scanner/to_strategy.ts";
import { parseRules } from "../../lib/strategy/schema.ts";
import { createStrategy } from "../../lib/strategy/repo.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const saveSchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  spec: specSchema,
  scheduled: z.boolean().default(false),
});
const patchSchema = z.strictObject({ scheduled: z.boolean() });
const backtestSchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  spec: specSchema,
  holdDays: z.number().int().min(1).max(250).default(DEFAULT_HOLD_DAYS),
});
const idSchema = z.coerce.number().int().positive().max(2 ** 53 - 1);

const screening = new Hono<AppEnv>();

const spec = {
  conditions: [{ left: { indicator: "close" }, op: ">", right: { value: 100 } }],
  limit: 20,
};
const savedParams = { id: idSchema };
describeRoutes(screening, "Scanner", {
  "GET /presets": {
    summary: "The preset scans and the universe's sectors",
    responses: { 200: "`{ presets, sectors }`" },
  },
  "POST /run": {
    summary: "Run a preset (optionally narrowed) or a custom scan over the last completed day",
    body: runSchema,
    example: { preset: "momentum", limit: 10 },
    responses: {
      200: "`{ asOf, source, prices, scanned, hits, preset, spec }`",
      400: "`unknown_preset`, `validation_failed`",
      422: "`no_scan_day`",
    },
  },
  "POST /backtest": {
    summary: "Save a scan as a strategy (hold N days) to backtest it",
    body: backtestSchema,
    example: { name: "Above 100", spec, holdDays: 20 },
    responses: { 201: "`{ strategy, assumptions, url }`", 422: "`not_expressible`" },
  },
  "GET /saved": { summary: "The caller's saved scans", responses: { 200: "`{ scans }`" } },
  "POST /saved": {
    summary: "Save a scan; a scheduled one runs every weekday morning",
    body: saveSchema,
    example: { name: "Above 100", spec, scheduled: true },
    responses: { 201: "`{ scan }`", 409: "`duplicate_name`", 422: "Too many saved scans" },
  },
  "PATCH /saved/:id": {
    summary: "Schedule or unschedule a saved scan",
    params: savedParams,
    body: patchSchema,
    example: { scheduled: false },
    responses: { 200: "`{ scan }`", 404: "Not the caller's" },
  },
  "DELETE /saved/:id": {
    summary: "Delete a saved scan",
    params: savedParams,
    responses: { 204: "Deleted", 404: "Not the caller's" },
  },
});

screening.get("/presets", (c) => {
  requireUser(c);
  return c.json({ presets: PRESETS, sectors: replaySectors() });
});

screening.post("/run", async (c) => {
  requireUser(c);
  const input = runSchema.parse(await jsonBody(c));
  let spec: ScanSpec;
  let preset: string | null = null;
  if ("preset" in input) {
    const p = presetById(input.preset);
    if (!p) {
      throw new HttpError(400, "unknown_preset", `There is no preset “${input.preset}”.`, {
        presets: PRESETS.map((x) => x.id),
      });
    }
    const { preset: _, ...narrow } = input;
    spec = { ...p.spec, ...narrow };
    preset = p.id;
  } else {
    spec = input;
  }
  try {
    const result = await fromMarket(() => scanMarket(c.get("services").market, spec));
    return c.json({ ...result, prices: result.source, preset, spec });
  } catch (err) {
    if (err instanceof NoScanDayError) throw new HttpError(422, "no_scan_day", err.message);
    throw err;
  }
});

screening.post("/backtest", async (c) => {
  const user = requireUser(c);
  const { name, spec, holdDays } = backtestSchema.parse(await jsonBody(c));
  const made = scanToRules(`Scan: ${name}`, spec, holdDays);
  // Every scan translates (lib/scanner/to_strategy.ts); the rules' own bounds are still checked.
  const parsed = parseRules(made.rules);
  if (!parsed.ok) {
    throw new HttpError(422, "not_expressible", parsed.errors.join("; "), {
      problems: parsed.errors,
    });
  }
  const saved = await createStrategy(c.get("services").db, user.id, {
    name: parsed.rules.name,
    description: made.assumptions.join("\n"),
    templates: [],
    rules: parsed.rules,
  });
  return c.json({
    strategy: { id: saved.id, version: saved.version, name: saved.name },
    assumptions: made.assumptions,
    url: `/backtesting?strategy=${saved.id}&version=${saved.version}`,
  }, 201);
});

screening.get("/saved", async (c) => {
  const user = requireUser(c);
  return c.json({ scans: await listSavedScans(c.get("services").db, user.id) });
});

screening.post("/saved", async (c) => {
  const user = requireUser(c);
  const input = saveSchema.parse(await jsonBody(c));
  try {
    const { db } = c.get("services");
    const scan = await saveScan(db, user.id, input.name, input.spec, input.scheduled);
    return c.json({ scan }, 201);
  } catch (err) {
    if (err instanceof SavedScanError) {
      throw new HttpError(err.code === "duplicate_name" ? 409 : 422, err.code, err.message);
    }
    throw err;
  }
});

screening.patch("/saved/:id", async (c) => {
  const user = requireUser(c);
  const id = idSchema.safeParse(c.req.param("id"));
  if (!id.success) throw new NotFoundError("No such saved scan.");
  const { scheduled } = patchSchema.parse(await jsonBody(c));
  const scan = await setScheduled(c.get("services").db, user.id, id.data, scheduled);
  if (!scan) throw new NotFoundError("No such saved scan.");
  return c.json({ scan });
});

screening.delete("/saved/:id", async (c) => {
  const user = requireUser(c);
  const id = idSchema.safeParse(c.req.param("id"));
  if (!id.success || !await deleteSavedScan(c.get("services").db, user.id, id.data)) {
    throw new NotFoundError("No such saved scan.");
  }
  return c.body(null, 204);
});

export default screening;
