/** `/api/users`: your own profile; the list and other profiles for admins only. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { requireAdmin, requireUser } from "../../lib/auth/guards.ts";
import { getProfile, listProfiles } from "../../lib/auth/users.ts";
import { NotFoundError } from "../../lib/http/errors.ts";

const users = new Hono<AppEnv>();

users.get("/me", async (c) => {
  const user = requireUser(c);
  const profile = await getProfile(c.get("services").db, user.id);
  if (!profile) throw new NotFoundError("No such user.");
  return c.json({ user: profile });
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

export default users;
