/**
 * Alerts in the database (table `price_alerts`, migration 0008). Firing and re-arming are
 * conditional on the alert's `version`, so of several instances that saw the same crossing
 * exactly one writes it; the firing stores its notification in the same statement.
 */
import type { Queryable } from "../db/database.ts";
import type { AlertRule, Condition, RearmMode } from "./conditions.ts";

export type AlertStatus = "active" | "paused" | "expired";

export interface Alert extends AlertRule {
  id: number;
  userId: number;
  symbol: string;
  status: AlertStatus;
  armed: boolean;
  version: number;
  firedCount: number;
  lastFiredAt: string | null;
  lastFiredValue: number | null;
  firedQuoteAt: string | null;
  firedSession: string | null;
  expiresAt: string | null;
  note: string | null;
  createdAt: string;
}

/** At most this many alerts per user. */
export const MAX_ALERTS = 200;

export class AlertLimitError extends Error {}

interface Row {
  id: number;
  user_id: number;
  symbol: string;
  condition: Condition;
  threshold: string;
  period: number | null;
  rearm: RearmMode;
  rearm_margin: string;
  status: AlertStatus;
  armed: boolean;
  version: number;
  fired_count: number;
  last_fired_at: Date | null;
  last_fired_value: string | null;
  fired_quote_at: Date | null;
  fired_session: string | null;
  expires_at: Date | null;
  note: string | null;
  created_at: Date;
}

const COLUMNS = `id, user_id, symbol, condition, threshold, period, rearm, rearm_margin, status,
  armed, version, fired_count, last_fired_at, last_fired_value, fired_quote_at, fired_session, expires_at, note,
  created_at`;

function fromRow(r: Row): Alert {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    symbol: r.symbol,
    condition: r.condition,
    threshold: Number(r.threshold),
    period: r.period,
    rearm: r.rearm,
    rearmMargin: Number(r.rearm_margin),
    status: r.status,
    armed: r.armed,
    version: r.version,
    firedCount: r.fired_count,
    lastFiredAt: r.last_fired_at?.toISOString() ?? null,
    lastFiredValue: r.last_fired_value === null ? null : Number(r.last_fired_value),
    firedQuoteAt: r.fired_quote_at?.toISOString() ?? null,
    firedSession: r.fired_session,
    expiresAt: r.expires_at?.toISOString() ?? null,
    note: r.note,
    createdAt: r.created_at.toISOString(),
  };
}

export interface NewAlert {
  symbol: string;
  condition: Condition;
  threshold: number;
  period: number | null;
  rearm: RearmMode;
  rearmMargin: number;
  expiresAt: Date | null;
  note: string | null;
}

/** Stores a new armed alert; `AlertLimitError` past `MAX_ALERTS`. Run in a transaction. */
export async function createAlert(tx: Queryable, userId: number, a: NewAlert): Promise<Alert> {
  // The user's row lock orders concurrent creations, so the count below cannot be raced past.
  await tx.query("select id from users where id = $1 for update", [userId]);
  const [{ n }] = await tx.query<{ n: number }>(
    "select count(*) as n from price_alerts where user_id = $1",
    [userId],
  );
  if (Number(n) >= MAX_ALERTS) {
    throw new AlertLimitError(`At most ${MAX_ALERTS} alerts; delete some first.`);
  }
  const [row] = await tx.query<Row>(
    `insert into price_alerts
       (user_id, symbol, condition, threshold, period, rearm, rearm_margin, expires_at, note)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${COLUMNS}`,
    [
      userId,
      a.symbol,
      a.condition,
      a.threshold,
      a.period,
      a.rearm,
      a.rearmMargin,
      a.expiresAt,
      a.note,
    ],
  );
  return fromRow(row);
}

export async function listAlerts(db: Queryable, userId: number): Promise<Alert[]> {
  const rows = await db.query<Row>(
    `select ${COLUMNS} from price_alerts where user_id = $1 order by id`,
    [userId],
  );
  return rows.map(fromRow);
}

export async function getAlert(db: Queryable, userId: number, id: number): Promise<Alert | null> {
  const [row] = await db.query<Row>(
    `select ${COLUMNS} from price_alerts where user_id = $1 and id = $2`,
    [userId, id],
  );
  return row ? fromRow(row) : null;
}

/** Any user's alert, for the engine re-reading one whose write it lost. */
export async function alertById(db: Queryable, id: number): Promise<Alert | null> {
  const [row] = await db.query<Row>(`select ${COLUMNS} from price_alerts where id = $1`, [id]);
  return row ? fromRow(row) : null;
}

/** Every active, unexpired alert (the engine's working set). */
export async function activeAlerts(db: Queryable): Promise<Alert[]> {
  const rows = await db.query<Row>(
    `select ${COLUMNS} from price_alerts
      where status = 'active' and (expires_at is null or expires_at > now()) order by id`,
  );
  return rows.map(fromRow);
}

export interface AlertPatch {
  threshold?: number;
  rearm?: RearmMode;
  rearmMargin?: number;
  status?: "active" | "paused";
  expiresAt?: Date | null;
  note?: string | null;
}

/**
 * Changes an alert. A new level or a resume arms it afresh (the old crossing state was about
 * another level, or about a time nobody was watching).
 */
export async function updateAlert(
  db: Queryable,
  userId: number,
  id: number,
  p: AlertPatch,
): Promise<Alert | null> {
  const rearm = p.threshold !== undefined || p.status === "active";
  const [row] = await db.query<Row>(
    `update price_alerts set
        threshold = coalesce($3, threshold),
        rearm = coalesce($4, rearm),
        rearm_margin = coalesce($5, rearm_margin),
        status = coalesce($6, status),
        expires_at = case when $7 then $8 else expires_at end,
        note = case when $9 then $10 else note end,
        armed = armed or $11,
        version = version + 1,
        updated_at = now()
      where user_id = $1 and id = $2 returning ${COLUMNS}`,
    [
      userId,
      id,
      p.threshold ?? null,
      p.rearm ?? null,
      p.rearmMargin ?? null,
      p.status ?? null,
      p.expiresAt !== undefined,
      p.expiresAt ?? null,
      p.note !== undefined,
      p.note ?? null,
      rearm,
    ],
  );
  return row ? fromRow(row) : null;
}

export async function deleteAlert(db: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await db.query(
    "delete from price_alerts where user_id = $1 and id = $2 returning id",
    [
      userId,
      id,
    ],
  );
  return rows.length > 0;
}

export interface Firing {
  alertId: number;
  /** The version the firing saw; the write happens only if it is still current. */
  version: number;
  value: number;
  session: string;
  /** The time of the quote that fired it. */
  quoteAt: string;
  title: string;
  body: string;
  link: string;
}

/**
 * Fires the alert if it is still armed at `version`: disarms it and stores its notification in
 * one statement. Returns the notification's id and owner, or null when another instance (or a
 * change by the user) came first.
 */
export async function fireAlert(
  db: Queryable,
  f: Firing,
): Promise<{ notificationId: number; userId: number } | null> {
  const [row] = await db.query<{ id: number; user_id: number }>(
    `with fired as (
       update price_alerts set armed = false, version = version + 1,
              fired_count = fired_count + 1, last_fired_at = now(), last_fired_value = $3,
              fired_session = $4::date, fired_quote_at = $8, updated_at = now()
        where id = $1 and version = $2 and status = 'active'
          and (armed or (rearm = 'session' and fired_session < $4::date))
          and (expires_at is null or expires_at > now())
        returning id, user_id, fired_count)
     insert into notifications (user_id, kind, title, body, link, dedupe_key)
     select user_id, 'alert', $5, $6, $7, 'alert:' || id || ':' || fired_count from fired
     on conflict do nothing
     returning id, user_id`,
    [
      f.alertId,
      f.version,
      f.value,
      f.session,
      f.title.slice(0, 200),
      f.body.slice(0, 2000),
      f.link,
      new Date(f.quoteAt),
    ],
  );
  return row ? { notificationId: Number(row.id), userId: Number(row.user_id) } : null;
}

/** Re-arms the alert if it is still disarmed at `version`; the new version, or null. */
export async function rearmAlert(
  db: Queryable,
  id: number,
  version: number,
): Promise<number | null> {
  const [row] = await db.query<{ version: number }>(
    `update price_alerts set armed = true, version = version + 1, updated_at = now()
      where id = $1 and version = $2 and not armed and status = 'active' returning version`,
    [id, version],
  );
  return row ? row.version : null;
}

/** Marks alerts past their expiry as expired; returns how many. */
export async function expireAlerts(db: Queryable): Promise<number> {
  const rows = await db.query(
    `update price_alerts set status = 'expired', version = version + 1, updated_at = now()
      where status <> 'expired' and expires_at <= now() returning id`,
  );
  return rows.length;
}
