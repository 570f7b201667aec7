/**
 * The audit log: what was done to an account and by whom (`audit_events`). Written in the same
 * transaction as the change it records, so neither exists without the other.
 */
import type { Queryable } from "./db/database.ts";

export interface AuditEvent {
  id: number;
  /** The account the event concerns; null for events that concern every account. */
  userId: number | null;
  actorId: number | null;
  action: string;
  detail: Record<string, unknown>;
  createdAt: string;
}

export async function recordAudit(
  db: Queryable,
  event: { userId: number | null; actorId: number | null; action: string; detail?: object },
): Promise<void> {
  await db.query(
    `insert into audit_events (user_id, actor_id, action, detail) values ($1, $2, $3, $4)`,
    [event.userId, event.actorId, event.action, event.detail ?? {}],
  );
}

/** The events of `userId`'s account and those that concerned every account, newest first. */
export async function listAudit(db: Queryable, userId: number, limit = 50): Promise<AuditEvent[]> {
  const rows = await db.query<{
    id: number;
    user_id: number | null;
    actor_id: number | null;
    action: string;
    detail: Record<string, unknown>;
    created_at: Date;
  }>(
    `select id, user_id, actor_id, action, detail, created_at from audit_events
      where user_id = $1 or user_id is null order by created_at desc, id desc limit $2`,
    [userId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    actorId: r.actor_id,
    action: r.action,
    detail: r.detail,
    createdAt: r.created_at.toISOString(),
  }));
}
