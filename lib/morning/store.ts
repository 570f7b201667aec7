/**
 * Stored briefs (`morning_briefs`, migration 0014) and their checklists.
 *
 * The row for (user, market date) is the claim: `claim` inserts it `on conflict do update ...
 * where` the existing row may be built again, and only the caller that got a row back builds.
 * So two instances running the job at the same moment build a user's brief once, and a re-run
 * finds the day done and builds nothing. May be claimed again: a failed build (the job: fewer
 * than `MAX_JOB_ATTEMPTS` tries), a build left running for `STALE_MINUTES` (its instance died),
 * and, for "Run now" only, a finished brief (rebuilt in place; its checklist stays).
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import {
  type BriefRecord,
  type BriefStatus,
  CHECKLIST,
  type MorningBrief,
} from "../shared/morning.ts";

export const STALE_MINUTES = 10;
export const MAX_JOB_ATTEMPTS = 3;

export type Trigger = "job" | "manual";

interface Row {
  id: number;
  market_date: string;
  status: BriefStatus;
  trigger: Trigger;
  progress: number;
  step: string | null;
  error: string | null;
  finished_at: Date | null;
  brief?: MorningBrief | null;
}

/**
 * Claims the brief of `userId` for `date`: its id when this caller is to build it, null when
 * another build runs or (for the job) the day is done or has failed too often.
 */
export async function claim(
  db: Queryable,
  userId: number,
  date: string,
  trigger: Trigger,
): Promise<number | null> {
  const rebuild = trigger === "manual"
    ? "morning_briefs.status <> 'running'"
    : `morning_briefs.status = 'failed' and morning_briefs.attempts < ${MAX_JOB_ATTEMPTS}`;
  const rows = await db.query<{ id: number }>(
    `insert into morning_briefs (user_id, market_date, status, trigger)
     values ($1, $2, 'running', $3)
     on conflict (user_id, market_date) do update
       set status = 'running', trigger = excluded.trigger, progress = 0, step = null,
           error = null, attempts = morning_briefs.attempts + 1, claimed_at = now(),
           finished_at = null
       where ${rebuild}
          or (morning_briefs.status = 'running'
              and morning_briefs.claimed_at < now() - interval '${STALE_MINUTES} minutes')
     returning id`,
    [userId, date, trigger],
  );
  return rows[0]?.id ?? null;
}

export async function setProgress(
  db: Queryable,
  id: number,
  progress: number,
  step: string,
): Promise<void> {
  await db.query(
    "update morning_briefs set progress = $2, step = $3 where id = $1 and status = 'running'",
    [id, Math.max(0, Math.min(100, Math.round(progress))), step],
  );
}

export async function finish(db: Queryable, id: number, brief: MorningBrief): Promise<void> {
  await db.query(
    `update morning_briefs set status = 'done', brief = $2, progress = 100, step = null,
       error = null, finished_at = now() where id = $1`,
    [id, brief],
  );
}

export async function fail(db: Queryable, id: number, error: string): Promise<void> {
  await db.query(
    `update morning_briefs set status = 'failed', error = $2, step = null, finished_at = now()
     where id = $1`,
    [id, error.slice(0, 500)],
  );
}

/** Users the job builds briefs for: signed in or signed up within `ACTIVE_DAYS`. */
export const ACTIVE_DAYS = 30;

/** Active users without a brief for `date` that is done or being built. */
export async function usersToBrief(db: Queryable, date: string): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `select u.id from users u
     where coalesce(u.last_login_at, u.created_at) > now() - interval '${ACTIVE_DAYS} days'
       and not exists (
         select 1 from morning_briefs b
         where b.user_id = u.id and b.market_date = $1
           and (b.status = 'done'
                or (b.status = 'failed' and b.attempts >= ${MAX_JOB_ATTEMPTS})
                or (b.status = 'running'
                    and b.claimed_at >= now() - interval '${STALE_MINUTES} minutes')))
     order by u.id`,
    [date],
  );
  return rows.map((r) => Number(r.id));
}

const COLUMNS = "id, market_date, status, trigger, progress, step, error, finished_at";

async function checklistOf(db: Queryable, briefId: number) {
  const rows = await db.query<{ item: string; done: boolean }>(
    "select item, done from morning_checklist where brief_id = $1",
    [briefId],
  );
  const done = new Map(rows.map((r) => [r.item, r.done]));
  return CHECKLIST.map((c) => ({ ...c, done: done.get(c.id) ?? false }));
}

async function record(db: Queryable, row: Row): Promise<BriefRecord> {
  return {
    id: Number(row.id),
    date: row.market_date,
    status: row.status,
    trigger: row.trigger,
    progress: row.progress,
    step: row.step,
    error: row.error,
    finishedAt: row.finished_at?.toISOString() ?? null,
    brief: row.brief ?? null,
    checklist: await checklistOf(db, Number(row.id)),
  };
}

/** The user's brief for `date`, or by `id`; null when there is none of theirs. */
export async function getBrief(
  db: Queryable,
  userId: number,
  key: { date: string } | { id: number },
): Promise<BriefRecord | null> {
  const [row] = "date" in key
    ? await db.query<Row>(
      `select ${COLUMNS}, brief from morning_briefs where user_id = $1 and market_date = $2`,
      [userId, key.date],
    )
    : await db.query<Row>(
      `select ${COLUMNS}, brief from morning_briefs where user_id = $1 and id = $2`,
      [userId, key.id],
    );
  return row ? await record(db, row) : null;
}

export interface BriefSummary extends Omit<BriefRecord, "brief" | "checklist"> {
  /** Checklist items ticked. */
  ticked: number;
  riskAlerts: number | null;
}

/** The user's briefs, newest day first, `limit` of them before `before` (a date). */
export async function listBriefs(
  db: Queryable,
  userId: number,
  { limit, before }: { limit: number; before?: string },
): Promise<{ briefs: BriefSummary[]; next: string | null }> {
  const rows = await db.query<Row & { ticked: number; alerts: number | null }>(
    `select ${COLUMNS},
       (select count(*)::int from morning_checklist c where c.brief_id = b.id and c.done)
         as ticked,
       jsonb_array_length(b.brief -> 'riskAlerts') as alerts
     from morning_briefs b
     where user_id = $1 and ($2::date is null or market_date < $2::date)
     order by market_date desc limit $3`,
    [userId, before ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    briefs: page.map((r) => ({
      id: Number(r.id),
      date: r.market_date,
      status: r.status,
      trigger: r.trigger,
      progress: r.progress,
      step: r.step,
      error: r.error,
      finishedAt: r.finished_at?.toISOString() ?? null,
      ticked: r.ticked,
      riskAlerts: r.alerts,
    })),
    next: rows.length > limit ? page.at(-1)!.market_date : null,
  };
}

/** Ticks or unticks `item` on the user's brief `briefId`; null when the brief is not theirs. */
export async function setChecklistItem(
  db: Queryable,
  userId: number,
  briefId: number,
  item: string,
  done: boolean,
): Promise<BriefRecord["checklist"] | null> {
  const rows = await db.query<{ brief_id: number }>(
    `insert into morning_checklist (brief_id, item, done)
     select id, $3, $4 from morning_briefs where id = $2 and user_id = $1
     on conflict (brief_id, item) do update set done = excluded.done, updated_at = now()
     returning brief_id`,
    [userId, briefId, item, done],
  );
  return rows.length ? await checklistOf(db, briefId) : null;
}
