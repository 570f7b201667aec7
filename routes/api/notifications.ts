/**
 * `/api/notifications`: what PaiiD has told the caller (lib/notifications/), newest first,
 * kept 90 days.
 *
 * - `GET /?before=&unread=1&limit=` → `{ notifications, unread }`
 * - `GET /unread-count` → `{ unread }`
 * - `POST /read` `{ ids?: number[] }` marks those (or, without ids, all) read → `{ marked, unread }`
 * - `POST /:id/read` marks one (404 when it is not the caller's)
 *
 * New ones also arrive live as `notification` events on the page's stream
 * (`/api/stream/quotes?notifications=1`).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { NotFoundError } from "../../lib/http/errors.ts";
import {
  listNotifications,
  markRead,
  ownsNotification,
  unreadCount,
} from "../../lib/notifications/repo.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const id = z.number().int().positive().max(2 ** 53 - 1);

const listQuery = z.strictObject({
  before: z.coerce.number().int().positive().max(2 ** 53 - 1).optional(),
  unread: z.enum(["0", "1", "true", "false"]).optional().transform((v) =>
    v === "1" || v === "true"
  ),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const readSchema = z.strictObject({ ids: z.array(id).min(1).max(500).optional() });

const notifications = new Hono<AppEnv>();

describeRoutes(notifications, "Notifications", {
  "GET /": {
    summary: "The caller's notifications, newest first (kept 90 days)",
    query: listQuery,
    queryExample: { unread: "1", limit: "20" },
    responses: { 200: "`{ notifications, unread }`" },
  },
  "GET /unread-count": { summary: "How many are unread", responses: { 200: "`{ unread }`" } },
  "POST /read": {
    summary: "Mark the given notifications (or, without ids, all) read",
    body: readSchema,
    example: { ids: [1, 2] },
    responses: { 200: "`{ marked, unread }`" },
  },
  "POST /:id/read": {
    summary: "Mark one notification read",
    params: { id },
    responses: { 200: "`{ marked, unread }`", 404: "Not the caller's" },
  },
});

notifications.get("/", async (c) => {
  const user = requireUser(c);
  const q = listQuery.parse(c.req.query());
  const { db } = c.get("services");
  const [list, unread] = await Promise.all([
    listNotifications(db, user.id, { before: q.before, unreadOnly: q.unread, limit: q.limit }),
    unreadCount(db, user.id),
  ]);
  return c.json({ notifications: list, unread });
});

notifications.get("/unread-count", async (c) => {
  const user = requireUser(c);
  return c.json({ unread: await unreadCount(c.get("services").db, user.id) });
});

notifications.post("/read", async (c) => {
  const user = requireUser(c);
  const { ids } = readSchema.parse(await jsonBody(c));
  const { db } = c.get("services");
  // Another user's ids simply match nothing: marking is scoped to the caller.
  const marked = await markRead(db, user.id, ids ?? null);
  return c.json({ marked, unread: await unreadCount(db, user.id) });
});

notifications.post("/:id/read", async (c) => {
  const user = requireUser(c);
  const parsed = z.coerce.number().int().positive().max(2 ** 53 - 1).safeParse(c.req.param("id"));
  const { db } = c.get("services");
  if (!parsed.success || !await ownsNotification(db, user.id, parsed.data)) {
    throw new NotFoundError("No such notification.");
  }
  const marked = await markRead(db, user.id, [parsed.data]);
  return c.json({ marked, unread: await unreadCount(db, user.id) });
});

export default notifications;
