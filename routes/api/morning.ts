/**
 * `/api/morning`: the morning routine (lib/morning/).
 *
 * - `GET /brief` → today's brief (the market clock's day; in replay the replayed day), or
 *   `?date=YYYY-MM-DD`'s: `{ brief: BriefRecord }` (lib/shared/morning.ts), 404 when none.
 * - `POST /brief` `{}` → 202 `{ brief }`: builds today's brief now, in the background; poll
 *   `GET /brief` (or `GET /briefs/:id`) for `progress` and `step` until `status` is `done` or
 *   `failed`. While a build runs, another POST answers 202 with the running one.
 * - `GET /briefs?limit=&before=YYYY-MM-DD` → `{ briefs, next }`: the caller's briefs, newest day
 *   first, without their bodies; `next` is the `before` of the following page.
 * - `GET /briefs/:id` → `{ brief }`.
 * - `PUT /briefs/:id/checklist/:item` `{ done }` → `{ checklist }`.
 *
 * Another user's brief is a 404. Every figure of a brief carries its source and as-of time.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { NotFoundError } from "../../lib/http/errors.ts";
import { fromMarket, isoDate } from "../../lib/market/api.ts";
import { buildClaimed, marketDay } from "../../lib/morning/mod.ts";
import { claim, getBrief, listBriefs, setChecklistItem } from "../../lib/morning/store.ts";
import { CHECKLIST_IDS } from "../../lib/shared/morning.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

// A real calendar date (2020-02-30 is refused; Date.parse rolls it over to March) from year 1
// on, as Postgres's `date` takes it: anything else would reach the query and be a 500.
const date = isoDate.refine((d) => d >= "0001-01-01", "Not a calendar date.");
const briefQuery = z.strictObject({ date: date.optional() });
const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: date.optional(),
});
const runBody = z.strictObject({});
const checkBody = z.strictObject({ done: z.boolean() });
const idSchema = z.coerce.number().int().positive().max(2 ** 53 - 1);
const itemSchema = z.enum(CHECKLIST_IDS as [string, ...string[]]);

const morning = new Hono<AppEnv>();

describeRoutes(morning, "Morning routine", {
  "GET /brief": {
    summary: "Today's brief (the market clock's day), or a given day's",
    query: briefQuery,
    queryExample: { date: "2021-04-20" },
    responses: { 200: "`{ brief }`", 404: "No brief for that day" },
  },
  "POST /brief": {
    summary: "Build today's brief now, in the background; poll `GET /brief` for its progress",
    body: runBody,
    responses: { 202: "`{ brief }` (the running build when one runs already)" },
  },
  "GET /briefs": {
    summary: "The caller's briefs, newest day first, without their bodies",
    query: listQuery,
    queryExample: { limit: "10", before: "2021-04-20" },
    responses: { 200: "`{ briefs, next }`: `next` is the `before` of the following page" },
  },
  "GET /briefs/:id": {
    summary: "One brief",
    params: { id: idSchema },
    responses: { 200: "`{ brief }`", 404: "Not the caller's" },
  },
  "PUT /briefs/:id/checklist/:item": {
    summary: "Tick or untick an item of a brief's checklist",
    params: { id: idSchema, item: itemSchema },
    body: checkBody,
    example: { done: true },
    responses: { 200: "`{ checklist }`", 404: "No such brief or item" },
  },
});

morning.get("/brief", async (c) => {
  const user = requireUser(c);
  const query = briefQuery.parse(c.req.query());
  const { db, market } = c.get("services");
  const day = query.date ?? await fromMarket(() => marketDay(market));
  const brief = await getBrief(db, user.id, { date: day });
  if (!brief) throw new NotFoundError(`No brief for ${day}.`, { date: day });
  return c.json({ brief });
});

morning.post("/brief", async (c) => {
  const user = requireUser(c);
  runBody.parse(await jsonBody(c));
  const services = c.get("services");
  const day = await fromMarket(() => marketDay(services.market));
  const id = await claim(services.db, user.id, day, "manual");
  if (id !== null) {
    // Built in the background; the row records its progress and its outcome.
    buildClaimed(services, id, user.id, day).catch((err) =>
      services.log.error("morning brief failed", { error: String(err) })
    );
  }
  const brief = await getBrief(services.db, user.id, { date: day });
  return c.json({ brief }, 202);
});

morning.get("/briefs", async (c) => {
  const user = requireUser(c);
  const query = listQuery.parse(c.req.query());
  return c.json(await listBriefs(c.get("services").db, user.id, query));
});

morning.get("/briefs/:id", async (c) => {
  const user = requireUser(c);
  const id = idSchema.safeParse(c.req.param("id"));
  const brief = id.success ? await getBrief(c.get("services").db, user.id, { id: id.data }) : null;
  if (!brief) throw new NotFoundError("No such brief.");
  return c.json({ brief });
});

morning.put("/briefs/:id/checklist/:item", async (c) => {
  const user = requireUser(c);
  const id = idSchema.safeParse(c.req.param("id"));
  if (!id.success) throw new NotFoundError("No such brief.");
  const item = itemSchema.safeParse(c.req.param("item"));
  if (!item.success) {
    throw new NotFoundError("No such checklist item.", { items: CHECKLIST_IDS });
  }
  const { done } = checkBody.parse(await jsonBody(c));
  const checklist = await setChecklistItem(c.get("services").db, user.id, id.data, item.data, done);
  if (!checklist) throw new NotFoundError("No such brief.");
  return c.json({ checklist });
});

export default morning;
