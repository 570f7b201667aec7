/**
 * API tokens for scripts and services: `paiid_` + 256 random bits, shown once at creation,
 * stored as SHA-256, named, revocable, with the time of last use.
 */
import type { Queryable } from "../db/database.ts";
import type { AuthUser } from "../state.ts";
import { randomToken, sha256Hex } from "./crypto.ts";
import type { IdentityCache, LiveApiToken } from "./identity_cache.ts";

export const API_TOKEN_PREFIX = "paiid_";
const TOKEN_SHAPE = /^paiid_[A-Za-z0-9_-]{43}$/;

/** A token as its owner sees it later: never the secret, only its first characters. */
export interface ApiTokenView {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

interface Row {
  id: number;
  name: string;
  token_prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
}

const view = (r: Row): ApiTokenView => ({
  id: r.id,
  name: r.name,
  prefix: r.token_prefix,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  expiresAt: r.expires_at?.toISOString() ?? null,
});

/** Creates a token; the returned `token` is the only time the secret exists outside a hash. */
export async function createApiToken(
  db: Queryable,
  userId: number,
  name: string,
  expiresAt: Date | null = null,
): Promise<{ token: string; record: ApiTokenView }> {
  const token = API_TOKEN_PREFIX + randomToken(32);
  const [row] = await db.query<Row>(
    `insert into api_tokens (user_id, name, token_hash, token_prefix, expires_at)
     values ($1, $2, $3, $4, $5)
     returning id, name, token_prefix, created_at, last_used_at, expires_at`,
    [userId, name, await sha256Hex(token), token.slice(0, 12), expiresAt],
  );
  return { token, record: view(row) };
}

/** `userId`'s live tokens, newest first. */
export async function listApiTokens(db: Queryable, userId: number): Promise<ApiTokenView[]> {
  const rows = await db.query<Row>(
    `select id, name, token_prefix, created_at, last_used_at, expires_at from api_tokens
      where user_id = $1 and revoked_at is null order by created_at desc, id desc`,
    [userId],
  );
  return rows.map(view);
}

/** Revokes one of `userId`'s tokens; false (→ 404) when it is not theirs. */
export async function revokeApiToken(db: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await db.query(
    `update api_tokens set revoked_at = now()
      where id = $1 and user_id = $2 and revoked_at is null returning id`,
    [id, userId],
  );
  return rows.length > 0;
}

/** Revokes every token of `userId` (a password change); returns how many were live. */
export async function revokeAllApiTokens(db: Queryable, userId: number): Promise<number> {
  const rows = await db.query(
    `update api_tokens set revoked_at = now()
      where user_id = $1 and revoked_at is null returning id`,
    [userId],
  );
  return rows.length;
}

/** Whether `token` has the shape of an API token (checked before any hashing or lookup). */
export function isApiTokenShape(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/** The live token whose SHA-256 is `hash`, with its user. */
export async function findApiToken(db: Queryable, hash: string): Promise<LiveApiToken | undefined> {
  const [row] = await db.query<
    AuthUser & { token_id: number; expires_at: Date | null; last_used_at: Date | null }
  >(
    `select u.id, u.username, u.email, u.role, t.id as token_id, t.expires_at, t.last_used_at
       from api_tokens t join users u on u.id = t.user_id
      where t.token_hash = $1 and t.revoked_at is null
        and (t.expires_at is null or t.expires_at > now())`,
    [hash],
  );
  if (!row) return undefined;
  const { token_id, expires_at, last_used_at, ...user } = row;
  return { user, tokenId: token_id, expiresAt: expires_at, lastUsedAt: last_used_at };
}

/** How often the time of last use is written: a busy script must not rewrite its row per call. */
export const LAST_USED_EVERY_MS = 60_000;

/**
 * Records a use of `found` when its recorded last use is a minute old. The guard in SQL keeps
 * it to one write a minute across instances too.
 */
export async function recordApiTokenUse(
  db: Queryable,
  found: LiveApiToken,
  now = new Date(),
): Promise<void> {
  const last = found.lastUsedAt?.getTime() ?? -Infinity;
  if (now.getTime() - last < LAST_USED_EVERY_MS) return;
  found.lastUsedAt = now;
  await db.query(
    `update api_tokens set last_used_at = now()
      where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
    [found.tokenId],
  );
}

/** The user behind a presented token, or undefined; records the use (at most once a minute). */
export async function authenticateApiToken(
  db: Queryable,
  token: string,
  cache?: IdentityCache,
): Promise<{ user: AuthUser; tokenId: number } | undefined> {
  if (!isApiTokenShape(token)) return undefined;
  const hash = await sha256Hex(token);
  const found = cache
    ? await cache.apiToken(hash, () => findApiToken(db, hash))
    : await findApiToken(db, hash);
  if (!found) return undefined;
  await recordApiTokenUse(db, found);
  return { user: found.user, tokenId: found.tokenId };
}
