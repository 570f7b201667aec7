/**
 * Browser telemetry in SQL (`telemetry_events`, migration 0019): stored with no user, summarised
 * for the admin page, and deleted after 30 days.
 */
import type { Queryable } from "../db/database.ts";
import type { TelemetryBatch } from "./schema.ts";

/** Stores a batch in one statement; returns how many rows. */
export async function storeEvents(db: Queryable, batch: TelemetryBatch): Promise<number> {
  const { events } = batch;
  await db.query(
    `insert into telemetry_events (name, page, command, message)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [
      events.map((e) => e.name),
      events.map((e) => e.page ?? null),
      events.map((e) => ("command" in e ? e.command : null)),
      events.map((e) => ("message" in e ? e.message : null)),
    ],
  );
  return events.length;
}

export const TELEMETRY_KEEP_DAYS = 30;

/** Deletes events older than the retention; returns how many. */
export async function pruneTelemetry(db: Queryable): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `delete from telemetry_events where received_at < now() - make_interval(days => $1)
     returning id`,
    [TELEMETRY_KEEP_DAYS],
  );
  return rows.length;
}

export interface TelemetrySummary {
  /** Counts over the retention window by event, page and command. */
  byEvent: { name: string; page: string | null; command: string | null; count: number }[];
  /** The most frequent client errors. */
  topErrors: { message: string; count: number }[];
}

export async function telemetrySummary(db: Queryable): Promise<TelemetrySummary> {
  const [byEvent, topErrors] = await Promise.all([
    db.query<{ name: string; page: string | null; command: string | null; count: number }>(
      `select name, page, command, count(*)::int as count from telemetry_events
        group by name, page, command order by count desc, name, page, command limit 50`,
    ),
    db.query<{ message: string; count: number }>(
      `select message, count(*)::int as count from telemetry_events
        where name = 'client_error' group by message order by count desc, message limit 10`,
    ),
  ]);
  return { byEvent, topErrors };
}

/** The user's `telemetry` setting (lib/settings.ts; off unless stored as true). */
export async function telemetryEnabled(db: Queryable, userId: number): Promise<boolean> {
  const [row] = await db.query<{ on: boolean }>(
    `select coalesce(settings -> 'telemetry' = 'true'::jsonb, false) as on
       from user_settings where user_id = $1`,
    [userId],
  );
  return row?.on ?? false;
}
