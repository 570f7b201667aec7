/** Helpers for API handlers: who is calling, and the JSON body. */
import type { Context } from "hono";
import { BadRequestError, ForbiddenError, UnauthorizedError } from "../http/errors.ts";
import type { AppEnv, AuthUser } from "../state.ts";

/** The signed-in user; 401 when anonymous, 403 for the operator token (it owns no data). */
export function requireUser(c: Context<AppEnv>): AuthUser {
  const state = c.get("state");
  if (state.user) return state.user;
  if (state.auth?.kind === "operator") {
    throw new ForbiddenError("The operator token acts on no user's data; use a user's token.");
  }
  throw new UnauthorizedError();
}

/** An admin user or the operator token; 403 otherwise. */
export function requireAdmin(c: Context<AppEnv>): void {
  const state = c.get("state");
  if (state.auth?.kind === "operator" || state.user?.role === "admin") return;
  if (!state.auth) throw new UnauthorizedError();
  throw new ForbiddenError("Only an admin may do that.");
}

/** The request body as JSON (`{}` when empty); 400 `invalid_json` when it is not JSON. */
export async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError("The request body is not valid JSON.", undefined, "invalid_json");
  }
}
