/**
 * Stored notifications (table `notifications`): what PaiiD has to tell a user. Producers write
 * them with a `dedupeKey`, so an event seen by several instances is stored once; the database
 * writes order and halt notifications itself (migration 0008's triggers).
 */
import type { Queryable } from "../db/database.ts";

export { NOTIFICATION_KINDS, type NotificationKind } from "../shared/notification_kinds.ts";
import type { NotificationKind } from "../shared/notification_kinds.ts";

/** How long a notification is kept. */
export const RETENTION_DAYS = 90;

export interface Notification {
  id: number;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  title: string;
  body?: string;
  link?: string | null;
  dedupeKey?: string;
}

interface Row {
  id: number;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = "id, kind, title, body, link, created_at, read_at";

export function fromRow(r: Row): Notification {
  return {
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
  };
}

/** Stores one; null when its `dedupeKey` was stored before (the event is already told). */
export async function createNotification(
  db: Queryable,
  n: NewNotification,
): Promise<Notification | null> {
  const [row] = await db.query<Row>(
    `insert into notifications (user_id, kind, title, body, link, dedupe_key)
     values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning ${COLUMNS}`,
    [
      n.userId,
      n.kind,
      n.title.slice(0, 200),
      (n.body ?? "").slice(0, 2000),
      n.link ?? null,
      n.dedupeKey ?? null,
    ],
  );
  return row ? fromRow(row) : null;
}

export interface ListOptions {
  /** Only those with an id below this (the next page). */
  before?: number;
  unreadOnly?: boolean;
  limit?: number;
}

/** The user's newest first. */
export async function listNotifications(
  db: Queryable,
  userId: number,
  opts: ListOptions = {},
): Promise<Notification[]> {
  const rows = await db.query<Row>(
    `select ${COLUMNS} from notifications
      where user_id = $1 and ($2::bigint is null or id < $2) and (not $3 or read_at is null)
        and created_at > now() - make_interval(days => $5)
      order by id desc limit $4`,
    [userId, opts.before ?? null, opts.unreadOnly ?? false, opts.limit ?? 50, RETENTION_DAYS],
  );
  return rows.map(fromRow);
}

export async function unreadCount(db: Queryable, userId: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `select count(*) as n from notifications
      where user_id = $1 and read_at is null and created_at > now() - make_interval(days => $2)`,
    [userId, RETENTION_DAYS],
  );
  return Number(row.n);
}

/** Marks the given ones (or all, for `ids` null) read; returns how many changed. */
export async function markRead(
  db: Queryable,
  userId: number,
  ids: number[] | null,
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `update notifications set read_at = now()
      where user_id = $1 and read_at is null and ($2::bigint[] is null or id = any($2::bigint[]))
      returning id`,
    [userId, ids],
  );
  return rows.length;
}

/** Whether the user owns a notification with this id (for a 404 on someone else's). */
export async function ownsNotification(
  db: Queryable,
  userId: number,
  id: number,
): Promise<boolean> {
  const rows = await db.query(
    "select 1 from notifications where user_id = $1 and id = $2",
    [userId, id],
  );
  return rows.length > 0;
}

/** Deletes what is older than the retention; returns how many. */
export async function purgeOld(db: Queryable, days = RETENTION_DAYS): Promise<number> {
  const rows = await db.query<{ id: number }>(
    "delete from notifications where created_at < now() - make_interval(days => $1) returning id",
    [days],
  );
  return rows.length;
}

export interface NewRow extends Notification {
  userId: number;
}

/** Notifications with an id above `after`, oldest first, for the delivery poller. */
export async function notificationsAfter(
  db: Queryable,
  after: number,
  limit = 500,
): Promise<NewRow[]> {
  const rows = await db.query<Row & { user_id: number }>(
    `select user_id, ${COLUMNS} from notifications where id > $1 order by id limit $2`,
    [after, limit],
  );
  return rows.map((r) => ({ ...fromRow(r), userId: Number(r.user_id) }));
}

export async function newestNotificationId(db: Queryable): Promise<number> {
  const [row] = await db.query<{ id: number | null }>("select max(id) as id from notifications");
  return Number(row.id ?? 0);
}
