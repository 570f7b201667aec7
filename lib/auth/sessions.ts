/**
 * Refresh sessions in `user_sessions`: one row per refresh token, rows of one sign-in share a
 * `family_id`. Refresh tokens are 256-bit random strings; only their SHA-256 is stored.
 *
 * - Every refresh rotates: the presented row is marked `rotated_at`, a successor is inserted.
 * - A rotated token presented again means it was copied: the whole family is revoked. Browsers
 *   alone get a short grace (parallel requests racing to renew the same cookie), during which the
 *   late request gets an access token but no new refresh token.
 * - Each token lives 7 days, never past the family's absolute lifetime of 30 days.
 */
import type { Queryable } from "../db/database.ts";
import type { AuthUser } from "../state.ts";
import { randomToken, sha256Hex } from "./crypto.ts";
import type { LiveSession } from "./identity_cache.ts";

export const REFRESH_TTL_MS = 7 * 24 * 60 * 60_000;
export const SESSION_MAX_MS = 30 * 24 * 60 * 60_000;
export const BROWSER_REUSE_GRACE_MS = 20_000;

export interface SessionMeta {
  userAgent?: string | null;
  ip?: string | null;
}

export interface IssuedRefresh {
  refreshToken: string;
  sessionId: string;
  expiresAt: Date;
}

export type RotateResult =
  | ({ kind: "rotated"; userId: number } & IssuedRefresh)
  | { kind: "grace"; userId: number; sessionId: string }
  | { kind: "reused"; userId: number; sessionId: string }
  | { kind: "invalid" };

const clip = (v: string | null | undefined, n: number) => (v ? v.slice(0, n) : null);

/** Starts a new session family for `userId` and returns its first refresh token. */
export async function createSession(
  db: Queryable,
  userId: number,
  meta: SessionMeta = {},
  now = new Date(),
): Promise<IssuedRefresh> {
  const refreshToken = randomToken(32);
  const absolute = new Date(now.getTime() + SESSION_MAX_MS);
  const expiresAt = new Date(Math.min(now.getTime() + REFRESH_TTL_MS, absolute.getTime()));
  const [row] = await db.query<{ family_id: string }>(
    `insert into user_sessions
       (user_id, session_token, expires_at, absolute_expires_at, family_created_at, created_at,
        user_agent, ip)
     values ($1, $2, $3, $4, $5, $5, $6, $7) returning family_id`,
    [
      userId,
      await sha256Hex(refreshToken),
      expiresAt,
      absolute,
      now,
      clip(meta.userAgent, 300),
      clip(meta.ip, 64),
    ],
  );
  return { refreshToken, sessionId: row.family_id, expiresAt };
}

interface SessionRow {
  id: number;
  user_id: number;
  family_id: string;
  expires_at: Date;
  absolute_expires_at: Date;
  family_created_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
  user_agent: string | null;
  ip: string | null;
}

/**
 * Exchanges a refresh token for its successor. `graceMs` > 0 only for browser cookies.
 * Runs in one transaction with the row locked, so two refreshes of one token cannot both win.
 */
export async function rotateRefreshToken(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  refreshToken: string,
  options: { graceMs?: number; now?: Date; meta?: SessionMeta } = {},
): Promise<RotateResult> {
  if (refreshToken.length < 20 || refreshToken.length > 200) return { kind: "invalid" };
  const now = options.now ?? new Date();
  const hash = await sha256Hex(refreshToken);
  return await db.transaction(async (tx) => {
    const [row] = await tx.query<SessionRow>(
      `select id, user_id, family_id, expires_at, absolute_expires_at, family_created_at,
              rotated_at, revoked_at, user_agent, ip
         from user_sessions where session_token = $1 for update`,
      [hash],
    );
    if (!row || row.revoked_at) return { kind: "invalid" };
    if (row.rotated_at) {
      const grace = options.graceMs ?? 0;
      if (grace > 0 && now.getTime() - row.rotated_at.getTime() <= grace) {
        const [live] = await tx.query(
          `select 1 from user_sessions where family_id = $1 and revoked_at is null
             and rotated_at is null and expires_at > $2`,
          [row.family_id, now],
        );
        if (live) return { kind: "grace", userId: row.user_id, sessionId: row.family_id };
      }
      await revokeFamily(tx, row.family_id, "reuse", now);
      return { kind: "reused", userId: row.user_id, sessionId: row.family_id };
    }
    if (row.expires_at <= now || row.absolute_expires_at <= now) return { kind: "invalid" };

    await tx.query("update user_sessions set rotated_at = $2 where id = $1", [row.id, now]);
    const next = randomToken(32);
    const expiresAt = new Date(
      Math.min(now.getTime() + REFRESH_TTL_MS, row.absolute_expires_at.getTime()),
    );
    await tx.query(
      `insert into user_sessions
         (user_id, session_token, expires_at, absolute_expires_at, family_id, family_created_at,
          created_at, user_agent, ip)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.user_id,
        await sha256Hex(next),
        expiresAt,
        row.absolute_expires_at,
        row.family_id,
        row.family_created_at,
        now,
        clip(options.meta?.userAgent, 300) ?? row.user_agent,
        clip(options.meta?.ip, 64) ?? row.ip,
      ],
    );
    return {
      kind: "rotated",
      userId: row.user_id,
      refreshToken: next,
      sessionId: row.family_id,
      expiresAt,
    };
  });
}

async function revokeFamily(db: Queryable, familyId: string, reason: string, now = new Date()) {
  await db.query(
    `update user_sessions set revoked_at = $2, revoked_reason = $3
      where family_id = $1 and revoked_at is null`,
    [familyId, now, reason],
  );
}

/** Revokes the family a refresh token belongs to (logout with only the token in hand). */
export async function revokeByRefreshToken(db: Queryable, refreshToken: string): Promise<void> {
  if (refreshToken.length > 200) return;
  const [row] = await db.query<{ family_id: string }>(
    "select family_id from user_sessions where session_token = $1",
    [await sha256Hex(refreshToken)],
  );
  if (row) await revokeFamily(db, row.family_id, "logout");
}

/** Ends one of `userId`'s sessions; false (→ 404) when it is not theirs or not active. */
export async function revokeSession(
  db: Queryable,
  userId: number,
  sessionId: string,
  reason = "ended",
): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return false;
  const rows = await db.query(
    `update user_sessions set revoked_at = now(), revoked_reason = $3
      where family_id = $1 and user_id = $2 and revoked_at is null returning id`,
    [sessionId, userId, reason],
  );
  return rows.length > 0;
}

/** Ends every session of `userId` (except `keep`, when given); returns how many. */
export async function revokeAllSessions(
  db: Queryable,
  userId: number,
  reason: string,
  keep?: string,
): Promise<number> {
  const rows = await db.query<{ family_id: string }>(
    `update user_sessions set revoked_at = now(), revoked_reason = $2
      where user_id = $1 and revoked_at is null and ($3::uuid is null or family_id <> $3::uuid)
      returning family_id`,
    [userId, reason, keep ?? null],
  );
  return new Set(rows.map((r) => r.family_id)).size;
}

/** A session as its owner sees it. */
export interface SessionView {
  id: string;
  createdAt: string;
  lastRefreshedAt: string;
  expiresAt: string;
  absoluteExpiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/** `userId`'s active sessions, newest first. */
export async function listSessions(
  db: Queryable,
  userId: number,
  currentId?: string,
): Promise<SessionView[]> {
  const rows = await db.query<SessionRow & { created_at: Date }>(
    `select family_id, family_created_at, created_at, expires_at, absolute_expires_at,
            user_agent, ip
       from user_sessions
      where user_id = $1 and revoked_at is null and rotated_at is null and expires_at > now()
      order by created_at desc`,
    [userId],
  );
  return rows.map((r) => ({
    id: r.family_id,
    createdAt: r.family_created_at.toISOString(),
    lastRefreshedAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    absoluteExpiresAt: r.absolute_expires_at.toISOString(),
    userAgent: r.user_agent,
    ip: r.ip,
    current: r.family_id === currentId,
  }));
}

/**
 * The user behind an access token, when its session family is still alive: revoking a session
 * (logout, sign out everywhere, password change) cuts off its access tokens at once.
 */
export async function sessionUser(
  db: Queryable,
  userId: number,
  sessionId: string,
): Promise<AuthUser | undefined> {
  return (await liveSession(db, userId, sessionId))?.user;
}

/** Like `sessionUser`, with the family's absolute end (how long a cache may keep the answer). */
export async function liveSession(
  db: Queryable,
  userId: number,
  sessionId: string,
): Promise<LiveSession | undefined> {
  const [row] = await db.query<AuthUser & { absolute_expires_at: Date }>(
    `select u.id, u.username, u.email, u.role, s.absolute_expires_at
       from user_sessions s join users u on u.id = s.user_id
      where s.family_id = $1 and s.user_id = $2 and s.revoked_at is null
        and s.rotated_at is null and s.absolute_expires_at > now()
      limit 1`,
    [sessionId, userId],
  );
  if (!row) return undefined;
  const { absolute_expires_at, ...user } = row;
  return { user, absoluteExpiresAt: absolute_expires_at };
}
