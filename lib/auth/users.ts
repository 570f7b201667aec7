/** The `users` table: sign-up (first account is the admin), lookup by login, profiles. */
import type { Database, Queryable } from "../db/database.ts";
import { ConflictError } from "../http/errors.ts";
import { randomToken } from "./crypto.ts";
import type { AuthUser } from "../state.ts";

/** A profile as returned by the API: never the password hash. */
export interface Profile extends AuthUser {
  createdAt: string;
  lastLoginAt: string | null;
}

interface ProfileRow extends AuthUser {
  created_at: Date;
  last_login_at: Date | null;
}

const PROFILE_COLUMNS = "id, username, email, role, created_at, last_login_at";

const profile = (r: ProfileRow): Profile => ({
  id: r.id,
  username: r.username,
  email: r.email,
  role: r.role,
  createdAt: r.created_at.toISOString(),
  lastLoginAt: r.last_login_at?.toISOString() ?? null,
});

/** Arbitrary, fixed key for the sign-up lock: the first-admin decision must not race. */
const SIGNUP_LOCK_KEY = "4410925073120518311";

/**
 * Where a new account's email goes when another account already has it: a unique address under
 * the reserved `.invalid` domain, which nothing can deliver to or guess. The email stays with
 * the account that had it, and the sign-up answer does not tell which happened.
 */
export const UNCLAIMED_EMAIL_DOMAIN = "unclaimed.paiid.invalid";

/** True for the stand-in email of an account whose typed email belonged to someone else. */
export function isUnclaimedEmail(email: string): boolean {
  return email.toLowerCase().endsWith(`@${UNCLAIMED_EMAIL_DOMAIN}`);
}

/**
 * Creates a user. The first account on an empty database becomes the admin; an advisory lock
 * makes two simultaneous first sign-ups agree on which. Usernames are unique regardless of case
 * and a taken one is reported as 409 (usernames are public). An email that another account
 * already uses is not reported: the account is created with an unclaimed stand-in address
 * instead (see README, "Security"), so sign-up cannot be used to learn who is registered.
 */
export async function createUser(
  db: Database,
  input: { username: string; email: string; passwordHash: string },
): Promise<AuthUser> {
  try {
    return await db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(${SIGNUP_LOCK_KEY})`);
      const [taken] = await tx.query<{ username_taken: boolean; email_taken: boolean }>(
        `select bool_or(lower(username) = lower($1)) as username_taken,
                bool_or(lower(email) = lower($2)) as email_taken
           from users where lower(username) = lower($1) or lower(email) = lower($2)`,
        [input.username, input.email],
      );
      if (taken?.username_taken) throw new ConflictError("That username is taken.");
      const email = taken?.email_taken
        ? `${randomToken(12).toLowerCase()}@${UNCLAIMED_EMAIL_DOMAIN}`
        : input.email;
      const [row] = await tx.query<AuthUser>(
        `insert into users (username, email, password_hash, role)
         values ($1, $2, $3, case when exists (select 1 from users) then 'user' else 'admin' end)
         returning id, username, email, role`,
        [input.username, email, input.passwordHash],
      );
      return row;
    });
  } catch (err) {
    // Another instance without the lock's view (should not happen) still hits the unique index.
    if ((err as { code?: string }).code === "23505") {
      throw new ConflictError("That username is taken.");
    }
    throw err;
  }
}

/** Looks a user up by username or email, case-insensitively, with the password hash. */
export async function findByLogin(
  db: Queryable,
  login: string,
): Promise<(AuthUser & { password_hash: string }) | undefined> {
  const [row] = await db.query<AuthUser & { password_hash: string }>(
    `select id, username, email, role, password_hash from users
      where lower(username) = lower($1) or lower(email) = lower($1)
      order by (lower(username) = lower($1)) desc limit 1`,
    [login],
  );
  return row;
}

/** The password hash of `userId`. */
export async function passwordHashOf(db: Queryable, userId: number): Promise<string | undefined> {
  const [row] = await db.query<{ password_hash: string }>(
    "select password_hash from users where id = $1",
    [userId],
  );
  return row?.password_hash;
}

export async function setPasswordHash(db: Queryable, userId: number, hash: string): Promise<void> {
  await db.query(
    "update users set password_hash = $2, password_changed_at = now() where id = $1",
    [userId, hash],
  );
}

export async function recordLogin(db: Queryable, userId: number): Promise<void> {
  await db.query("update users set last_login_at = now() where id = $1", [userId]);
}

/** One user's profile, or undefined. */
export async function getProfile(db: Queryable, userId: number): Promise<Profile | undefined> {
  const [row] = await db.query<ProfileRow>(
    `select ${PROFILE_COLUMNS} from users where id = $1`,
    [userId],
  );
  return row ? profile(row) : undefined;
}

/** Every user, for admins. */
export async function listProfiles(
  db: Queryable,
  page: { limit: number; offset: number },
): Promise<Profile[]> {
  const rows = await db.query<ProfileRow>(
    `select ${PROFILE_COLUMNS} from users order by id limit $1 offset $2`,
    [page.limit, page.offset],
  );
  return rows.map(profile);
}
