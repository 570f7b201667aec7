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

/**
 * The request body as JSON (`{}` when empty); 400 `invalid_json` when it is not JSON, and 400
 * `nul_character` when a string in it holds U+0000: Postgres text cannot store one, so it would
 * otherwise reach the database and fail there as a 500, in every route that keeps text.
 */
export async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    // JSON can only carry NUL escaped, so bodies without the escape skip the reviver.
    value = text.includes("\\u0000") ? JSON.parse(text, refuseNul) : JSON.parse(text);
  } catch (err) {
    if (err instanceof BadRequestError) throw err;
    throw new BadRequestError("The request body is not valid JSON.", undefined, "invalid_json");
  }
  return value;
}

function refuseNul(key: string, value: unknown): unknown {
  if (
    (typeof value === "string" && value.includes("\0")) || key.includes("\0")
  ) {
    throw new BadRequestError(
      "Text may not contain the NUL character (U+0000).",
      undefined,
      "nul_character",
    );
  }
  return value;
}
