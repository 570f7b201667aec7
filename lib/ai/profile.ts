/**
 * The investor profile onboarding writes (form or interview alike): its schema, its storage in
 * `user_profiles`, and the state a user's setup is in (none, saved, completed, skipped).
 */
import { z } from "zod";
import type { Queryable } from "../db/database.ts";
import { symbolSchema } from "../market/symbols.ts";
import { settingsSchema } from "../settings.ts";

export const EXPERIENCE = ["none", "beginner", "intermediate", "advanced"] as const;
export const HORIZON = ["days", "weeks", "months", "years"] as const;
export const RISK_TOLERANCE = ["low", "medium", "high"] as const;

/** The answers, from the form or from the interview's structured result. */
export const profileAnswersSchema = z.object({
  goals: z.string().trim().max(500).default(""),
  experience: z.enum(EXPERIENCE),
  horizon: z.enum(HORIZON),
  riskTolerance: z.enum(RISK_TOLERANCE),
  /** USD, within the settings' bounds for a paper account's starting cash. */
  startingCash: settingsSchema.shape.startingCash.unwrap(),
  symbols: z.array(symbolSchema).max(50).default([])
    .refine((list) => new Set(list).size === list.length, "symbols must not repeat"),
}).strict();

export type ProfileAnswers = z.infer<typeof profileAnswersSchema>;

export type ProfileVia = "form" | "interview";

export interface Profile extends ProfileAnswers {
  via: ProfileVia | null;
  completedAt: string | null;
  skippedAt: string | null;
  updatedAt: string;
}

/** Whether the setup should open: no profile confirmed and none skipped. */
export function needsOnboarding(profile: Profile | null): boolean {
  return !profile || (!profile.completedAt && !profile.skippedAt);
}

/**
 * What the hub knows of each user's setup, per database (so test apps with their own databases
 * never share it) and per process. Finishing or skipping is for good: remembered for ever. "Not
 * yet" is remembered for INVITE_TTL_MS, so a user who ignores the invitation does not cost a
 * query on every visit; finishing or skipping through the API ends it at once
 * (`setupFinished`); another instance may show the invitation that long after.
 */
const known = new WeakMap<object, Map<number, number>>();
export const INVITE_TTL_MS = 30_000;

function knownFor(db: Queryable): Map<number, number> {
  let map = known.get(db);
  if (!map) known.set(db, map = new Map());
  return map;
}

/** Whether the hub should invite `userId` to the setup (a query at most every 30 s). */
export async function invitesToSetup(
  db: Queryable,
  userId: number,
  now = Date.now(),
): Promise<boolean> {
  const map = knownFor(db);
  const until = map.get(userId);
  if (until !== undefined && until > now) return until !== Infinity;
  const needs = needsOnboarding(await getProfile(db, userId));
  map.set(userId, needs ? now + INVITE_TTL_MS : Infinity);
  return needs;
}

/** The user finished or skipped the setup (or starts it again): the hub asks afresh. */
export function setupChanged(db: Queryable, userId: number): void {
  knownFor(db).delete(userId);
}

interface Row {
  goals: string;
  experience: ProfileAnswers["experience"] | null;
  horizon: ProfileAnswers["horizon"] | null;
  risk_tolerance: ProfileAnswers["riskTolerance"] | null;
  starting_cash: string | number | null;
  watch_symbols: string[];
  via: ProfileVia | null;
  completed_at: Date | null;
  skipped_at: Date | null;
  updated_at: Date;
}

const iso = (d: Date | null) => d ? new Date(d).toISOString() : null;

/** The user's profile; null before they answered or skipped anything. */
export async function getProfile(db: Queryable, userId: number): Promise<Profile | null> {
  const [row] = await db.query<Row>(
    `select goals, experience, horizon, risk_tolerance, starting_cash, watch_symbols, via,
       completed_at, skipped_at, updated_at from user_profiles where user_id = $1`,
    [userId],
  );
  if (!row) return null;
  return {
    goals: row.goals,
    // A skipped setup has no answers; these fallbacks are what the form starts from.
    experience: row.experience ?? "beginner",
    horizon: row.horizon ?? "months",
    riskTolerance: row.risk_tolerance ?? "medium",
    startingCash: row.starting_cash === null ? 100_000 : Number(row.starting_cash),
    symbols: row.watch_symbols ?? [],
    via: row.via,
    completedAt: iso(row.completed_at),
    skippedAt: iso(row.skipped_at),
    updatedAt: iso(row.updated_at)!,
  };
}

/**
 * Saves the answers (not yet confirmed: a re-run keeps the earlier confirmation until the new
 * one is confirmed, and clears a skip).
 */
export async function saveProfile(
  db: Queryable,
  userId: number,
  answers: ProfileAnswers,
  via: ProfileVia,
): Promise<Profile> {
  await db.query(
    `insert into user_profiles (user_id, goals, experience, horizon, risk_tolerance, starting_cash,
       watch_symbols, via, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, now())
     on conflict (user_id) do update set goals = excluded.goals,
       experience = excluded.experience, horizon = excluded.horizon,
       risk_tolerance = excluded.risk_tolerance, starting_cash = excluded.starting_cash,
       watch_symbols = excluded.watch_symbols, via = excluded.via, skipped_at = null,
       updated_at = now()`,
    [
      userId,
      answers.goals,
      answers.experience,
      answers.horizon,
      answers.riskTolerance,
      answers.startingCash.toFixed(2),
      JSON.stringify(answers.symbols),
      via,
    ],
  );
  return (await getProfile(db, userId))!;
}

/** Marks the saved profile confirmed. */
export async function markCompleted(db: Queryable, userId: number): Promise<void> {
  await db.query(
    "update user_profiles set completed_at = now(), skipped_at = null, updated_at = now() where user_id = $1",
    [userId],
  );
}

/** Records that the user skipped the setup, keeping any answers they gave. */
export async function skipProfile(db: Queryable, userId: number): Promise<Profile> {
  await db.query(
    `insert into user_profiles (user_id, skipped_at) values ($1, now())
     on conflict (user_id) do update set skipped_at = now(), updated_at = now()`,
    [userId],
  );
  return (await getProfile(db, userId))!;
}
