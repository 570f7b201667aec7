/**
 * Saved scans, per user. Every read is scoped by the owner, so another user's scan does not
 * exist for the caller. A stored spec is re-checked on the way out: a scan saved under an older
 * vocabulary is reported as invalid rather than run half-understood.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import type { ScanSpec } from "../shared/scan.ts";
import { specSchema } from "./spec.ts";

export interface SavedScan {
  id: number;
  name: string;
  spec: ScanSpec | null;
  /** Run every weekday morning by jobs/scans.ts. */
  scheduled: boolean;
  createdAt: string;
}

/** At most this many saved scans per user. */
export const MAX_SAVED = 50;

export class SavedScanError extends Error {
  constructor(readonly code: "duplicate_name" | "saved_scan_limit", message: string) {
    super(message);
  }
}

interface Row {
  id: number | string;
  name: string;
  spec: unknown;
  scheduled: boolean;
  created_at: Date | string;
}

function toSaved(r: Row): SavedScan {
  const parsed = specSchema.safeParse(r.spec);
  return {
    id: Number(r.id),
    name: r.name,
    spec: parsed.success ? parsed.data : null,
    scheduled: r.scheduled,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function listSavedScans(db: Queryable, userId: number): Promise<SavedScan[]> {
  const rows = await db.query<Row>(
    "select id, name, spec, scheduled, created_at from saved_scans where user_id = $1 order by name, id",
    [userId],
  );
  return rows.map(toSaved);
}

export async function getSavedScan(
  db: Queryable,
  userId: number,
  id: number,
): Promise<SavedScan | null> {
  const [row] = await db.query<Row>(
    "select id, name, spec, scheduled, created_at from saved_scans where user_id = $1 and id = $2",
    [userId, id],
  );
  return row ? toSaved(row) : null;
}

export async function saveScan(
  db: Queryable,
  userId: number,
  name: string,
  spec: ScanSpec,
  scheduled = false,
): Promise<SavedScan> {
  const [{ n }] = await db.query<{ n: number | string }>(
    "select count(*) as n from saved_scans where user_id = $1",
    [userId],
  );
  if (Number(n) >= MAX_SAVED) {
    throw new SavedScanError("saved_scan_limit", `At most ${MAX_SAVED} saved scans.`);
  }
  try {
    const [row] = await db.query<Row>(
      `insert into saved_scans (user_id, name, spec, scheduled)
       values ($1, $2, $3::text::jsonb, $4)
       returning id, name, spec, scheduled, created_at`,
      [userId, name, JSON.stringify(spec), scheduled],
    );
    return toSaved(row);
  } catch (err) {
    if ((err as { code?: string }).code === "23505") {
      throw new SavedScanError("duplicate_name", `You already have a scan named “${name}”.`);
    }
    throw err;
  }
}

/** True when the caller's scan existed and is gone. */
export async function deleteSavedScan(db: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await db.query(
    "delete from saved_scans where user_id = $1 and id = $2 returning id",
    [userId, id],
  );
  return rows.length > 0;
}

/** Turns the morning run on or off; null when the caller has no such scan. */
export async function setScheduled(
  db: Queryable,
  userId: number,
  id: number,
  scheduled: boolean,
): Promise<SavedScan | null> {
  const [row] = await db.query<Row>(
    `update saved_scans set scheduled = $3 where user_id = $1 and id = $2
     returning id, name, spec, scheduled, created_at`,
    [userId, id, scheduled],
  );
  return row ? toSaved(row) : null;
}

/** Every user's scheduled scans, for the morning job. */
export async function scheduledScans(
  db: Queryable,
): Promise<(SavedScan & { userId: number })[]> {
  const rows = await db.query<Row & { user_id: number | string }>(
    `select id, user_id, name, spec, scheduled, created_at from saved_scans
      where scheduled order by id`,
  );
  return rows.map((r) => ({ ...toSaved(r), userId: Number(r.user_id) }));
}
