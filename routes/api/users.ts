/**
 * `/api/users`: your own profile; the list and other profiles for admins only.
 *
 * - `GET /me/export` → everything PaiiD holds about you as one JSON file (lib/account/export.ts)
 * - `GET /me/export.zip` → the same JSON plus one CSV per table, as a zip (lib/account/archive.ts)
 * - `DELETE /me` `{ confirm: "<your username>" }` deletes the account and all its data and ends
 *   every session (from a signed-in session only, not with an API token)
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireAdmin, requireUser } from "../../lib/auth/guards.ts";
import { clearSessionCookies } from "../../lib/auth/cookies.ts";
import { deleteUser, exportUser } from "../../lib/account/export.ts";
import { exportArchive } from "../../lib/account/archive.ts";
import { getProfile, listProfiles } from "../../lib/auth/users.ts";
import { ForbiddenError, HttpError, NotFoundError } from "../../lib/http/errors.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const users = new Hono<AppEnv>();

users.get("/me", async (c) => {
  const user = requireUser(c);
  const profile = await getProfile(c.get("services").db, user.id);
  if (!profile) throw new NotFoundError("No such user.");
  return c.json({ user: profile });
});

users.get("/me/export", async (c) => {
  const user = requireUser(c);
  const data = await c.get("services").db.transaction((tx) => exportUser(tx, user.id));
  const day = data.exportedAt.slice(0, 10);
  c.header("Cache-Control", "no-store");
  c.header("Content-Disposition", `attachment; filename="paiid-export-${user.id}-${day}.json"`);
  return c.json(data);
});

users.get("/me/export.zip", async (c) => {
  const user = requireUser(c);
  const data = await c.get("services").db.transaction((tx) => exportUser(tx, user.id));
  const day = data.exportedAt.slice(0, 10);
  return c.body(exportArchive(data), 200, {
    "Content-Type": "application/zip",
    "Content-Disposition": `attachment; filename="paiid-export-${user.id}-${day}.zip"`,
    "Cache-Control": "no-store",
  });
});

const deleteSchema = z.strictObject({ confirm: z.string().max(100) });

users.delete("/me", async (c) => {
  const user = requireUser(c);
  const state = c.get("state");
  if (state.auth?.kind !== "session") {
    throw new ForbiddenError("Delete the account from a signed-in session, not with an API token.");
  }
  const { confirm } = deleteSchema.parse(await jsonBody(c));
  if (confirm !== user.username) {
    throw new HttpError(
      422,
      "confirmation_mismatch",
      "Type your username exactly to confirm the deletion.",
      { expected: "your username" },
    );
  }
  const { db, identities } = c.get("services");
  await deleteUser(db, user.id);
  await identities.revoked();
  if (state.auth.viaCookie) {
    for (const v of clearSessionCookies(state.secure)) c.header("Set-Cookie", v, { append: true });
  }
  return c.json({ deleted: true });
});

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
}).strict();

users.get("/", async (c) => {
  requireAdmin(c);
  const page = pageSchema.parse(c.req.query());
  return c.json({ users: await listProfiles(c.get("services").db, page), ...page });
});

const idParam = z.object({ id: z.coerce.number().int().positive().max(2 ** 53 - 1) });

/** Someone else's profile is 404 unless you are an admin: existence is not disclosed. */
users.get("/:id", async (c) => {
  const { id } = idParam.parse(c.req.param());
  const state = c.get("state");
  const admin = state.auth?.kind === "operator" || state.user?.role === "admin";
  if (!admin && requireUser(c).id !== id) throw new NotFoundError("No such user.");
  const profile = await getProfile(c.get("services").db, id);
  if (!profile) throw new NotFoundError("No such user.");
  return c.json({ user: profile });
});

describeRoutes(users, "Account", {
  "GET /me": { summary: "The caller's profile", responses: { 200: "`{ user }`" } },
  "GET /me/export": {
    summary: "Everything PaiiD holds about the caller as one JSON file (no password or token)",
    responses: { 200: "`{ format, version, exportedAt, userId, tables }`, as an attachment" },
  },
  "GET /me/export.zip": {
    summary: "The export as a zip: the JSON file, one CSV per table and a README",
    description: "CSV text cells that a spreadsheet would run as a formula (starting with " +
      "`=`, `+`, `-`, `@`) get a leading `'`.",
    responses: {
      200: { description: "The archive, as an attachment", contentType: "application/zip" },
    },
  },
  "DELETE /me": {
    summary: "Delete the account and all its data, ending every session",
    description: "From a signed-in session only; `confirm` is the caller's username.",
    body: deleteSchema,
    example: { confirm: "your-username" },
    responses: {
      200: "`{ deleted: true }`",
      403: "Called with an API token",
      422: "`confirmation_mismatch`",
    },
  },
  "GET /": {
    summary: "Every user's profile, a page at a time",
    access: "admin",
    query: pageSchema,
    queryExample: { limit: "50", offset: "0" },
    responses: { 200: "`{ users, limit, offset }`" },
  },
  "GET /:id": {
    summary: "A user's profile (your own, or anyone's for an admin)",
    params: idParam.shape,
    responses: { 200: "`{ user }`", 400: "Not a user id", 404: "No such user (or not yours)" },
  },
});

export default users;
