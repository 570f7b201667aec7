/**
 * Deployments and their evaluations in SQL (migration 0016). Every read and change is scoped
 * by the user: another user's deployment is `undefined`, like a missing one (the API's 404).
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import type { DeploymentFill } from "./book.ts";

export const DEPLOYMENT_STATUSES = ["active", "paused", "stopped"] as const;
export type DeploymentStatus = typeof DEPLOYMENT_STATUSES[number];

export interface Deployment {
  id: number;
  userId: number;
  strategyId: number;
  strategyVersion: number;
  strategyName: string;
  capital: number;
  limits: { maxPositions: number | null; maxOrderValue: number | null };
  status: DeploymentStatus;
  startedOn: string;
  createdAt: string;
  updatedAt: string;
  stoppedAt: string | null;
}

export type EvaluationStatus = "running" | "done" | "halted" | "failed";

export interface Evaluation {
  id: number;
  session: string;
  status: EvaluationStatus;
  signals: Record<string, unknown> | null;
  actions: unknown[];
  proposalsMade: number;
  ordersPlaced: number;
  equity: number | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const day = (d: unknown) =>
  d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);
const iso = (d: unknown) =>
  d === null || d === undefined ? null : new Date(d as string).toISOString();
const numOrNull = (x: unknown) => x === null || x === undefined ? null : Number(x);

interface Row {
  id: number;
  user_id: number;
  strategy_id: number;
  strategy_version: number;
  name: string | null;
  capital: string;
  max_positions: number | null;
  max_order_value: string | null;
  status: DeploymentStatus;
  started_on: string | Date;
  created_at: string;
  updated_at: string;
  stopped_at: string | null;
}

const toDeployment = (r: Row): Deployment => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  strategyId: Number(r.strategy_id),
  strategyVersion: Number(r.strategy_version),
  strategyName: r.name ?? "",
  capital: Number(r.capital),
  limits: { maxPositions: numOrNull(r.max_positions), maxOrderValue: numOrNull(r.max_order_value) },
  status: r.status,
  startedOn: day(r.started_on),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  stoppedAt: iso(r.stopped_at),
});

const SELECT = `select d.*, v.name from strategy_deployments d
  join strategy_versions v on v.strategy_id = d.strategy_id and v.version = d.strategy_version`;

export async function insertDeployment(db: Queryable, d: {
  userId: number;
  strategyId: number;
  version: number;
  capital: number;
  maxPositions: number | null;
  maxOrderValue: number | null;
  startedOn: string;
}): Promise<Deployment> {
  const [{ id }] = await db.query<{ id: number }>(
    `insert into strategy_deployments
       (user_id, strategy_id, strategy_version, capital, max_positions, max_order_value, started_on)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [d.userId, d.strategyId, d.version, d.capital, d.maxPositions, d.maxOrderValue, d.startedOn],
  );
  return (await getDeployment(db, d.userId, Number(id)))!;
}

export async function getDeployment(
  db: Queryable,
  userId: number,
  id: number,
): Promise<Deployment | undefined> {
  const [r] = await db.query<Row>(`${SELECT} where d.id = $1 and d.user_id = $2`, [id, userId]);
  return r && toDeployment(r);
}

export async function listDeployments(db: Queryable, userId: number): Promise<Deployment[]> {
  const rows = await db.query<Row>(
    `${SELECT} where d.user_id = $1 order by d.id desc limit 200`,
    [userId],
  );
  return rows.map(toDeployment);
}

/** Every user's active deployments: what the job evaluates. */
export async function activeDeployments(db: Queryable): Promise<Deployment[]> {
  const rows = await db.query<Row>(`${SELECT} where d.status = 'active' order by d.id`);
  return rows.map(toDeployment);
}

/**
 * Moves a deployment to `to`: active ↔ paused; either → stopped (final). `undefined` when it
 * is not the user's; `null` when its status does not allow the move.
 */
export async function setStatus(
  db: Queryable,
  userId: number,
  id: number,
  to: DeploymentStatus,
): Promise<Deployment | undefined | null> {
  const from = to === "active" ? ["paused"] : to === "paused" ? ["active"] : ["active", "paused"];
  const rows = await db.query<{ id: number }>(
    `update strategy_deployments set status = $3, updated_at = now(),
       stopped_at = case when $3 = 'stopped' then now() else stopped_at end
     where id = $1 and user_id = $2 and status = any($4::text[]) returning id`,
    [id, userId, to, from],
  );
  const current = await getDeployment(db, userId, id);
  if (!current) return undefined;
  return rows.length ? current : null;
}

/**
 * Claims the evaluation of deployment `id` at `session`: the new row's id when this caller is
 * to evaluate, null when another instance already has (the unique (deployment, session) row).
 */
export async function claimEvaluation(
  db: Queryable,
  id: number,
  session: string,
  sessionNo: number,
): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    `insert into strategy_evaluations (deployment_id, session, session_no) values ($1, $2, $3)
     on conflict (deployment_id, session) do nothing returning id`,
    [id, session, sessionNo],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export async function finishEvaluation(db: Queryable, evalId: number, e: {
  status: Exclude<EvaluationStatus, "running">;
  signals?: Record<string, unknown> | null;
  actions?: unknown[];
  proposalsMade?: number;
  ordersPlaced?: number;
  equity?: number | null;
  error?: string | null;
}): Promise<void> {
  await db.query(
    `update strategy_evaluations set status = $2, signals = $3::text::jsonb, actions = $4::text::jsonb,
       proposals_made = $5, orders_placed = $6, equity = $7, error = $8, finished_at = now()
     where id = $1`,
    [
      evalId,
      e.status,
      e.signals ? JSON.stringify(e.signals) : null,
      JSON.stringify(e.actions ?? []),
      e.proposalsMade ?? 0,
      e.ordersPlaced ?? 0,
      e.equity ?? null,
      e.error?.slice(0, 2000) ?? null,
    ],
  );
}

/** A deployment's evaluations, newest session first. */
export async function listEvaluations(
  db: Queryable,
  deploymentId: number,
  limit = 100,
): Promise<Evaluation[]> {
  const rows = await db.query<{
    id: number;
    session: string | Date;
    status: EvaluationStatus;
    signals: Record<string, unknown> | null;
    actions: unknown[];
    proposals_made: number;
    orders_placed: number;
    equity: string | null;
    error: string | null;
    created_at: string;
    finished_at: string | null;
  }>(
    `select * from strategy_evaluations where deployment_id = $1
     order by session desc, id desc limit $2`,
    [deploymentId, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    session: day(r.session),
    status: r.status,
    signals: r.signals,
    actions: r.actions ?? [],
    proposalsMade: Number(r.proposals_made),
    ordersPlaced: Number(r.orders_placed),
    equity: numOrNull(r.equity),
    error: r.error,
    createdAt: iso(r.created_at)!,
    finishedAt: iso(r.finished_at),
  }));
}

/** The ref a deployment's proposals carry as their source. */
export const deploymentRef = (id: number) => `deployment:${id}`;

/** The orders the deployment's proposals produced, in the order they were placed. */
export async function deploymentFills(
  db: Queryable,
  userId: number,
  id: number,
): Promise<DeploymentFill[]> {
  const rows = await db.query<{
    symbol: string;
    side: "buy" | "sell";
    filled_qty: string;
    filled_avg_price: string | null;
    expires_session: string | Date | null;
  }>(
    `select o.symbol, o.side, o.filled_qty, o.filled_avg_price, p.expires_session
     from proposals p join orders o on o.id = p.order_id
     where p.user_id = $1 and p.source_kind = 'strategy' and p.source_ref = $2
     order by coalesce(o.filled_at, o.created_at), o.created_at`,
    [userId, deploymentRef(id)],
  );
  return rows.map((r) => ({
    symbol: r.symbol,
    side: r.side,
    filledQty: Number(r.filled_qty),
    avgPrice: numOrNull(r.filled_avg_price),
    session: r.expires_session === null ? null : day(r.expires_session),
  }));
}

/**
 * Symbols with a proposal of the deployment still pending, or its order still working, and the
 * signed shares still to come of them (a pending proposal's shares, a working order's unfilled
 * ones; a sale counts negative).
 */
export async function busySymbols(
  db: Queryable,
  userId: number,
  id: number,
): Promise<Map<string, number>> {
  const rows = await db.query<{ symbol: string; side: "buy" | "sell"; remaining: string | null }>(
    `select p.symbol, p.side,
       case when p.status = 'pending' then p.qty else o.qty - o.filled_qty end as remaining
     from proposals p left join orders o on o.id = p.order_id
     where p.user_id = $1 and p.source_kind = 'strategy' and p.source_ref = $2
       and (p.status = 'pending' or (p.status = 'approved' and o.status in
         ('pending_new', 'accepted', 'new', 'partially_filled', 'pending_cancel',
          'pending_replace')))`,
    [userId, deploymentRef(id)],
  );
  const busy = new Map<string, number>();
  for (const r of rows) {
    const left = Number(r.remaining ?? 0) * (r.side === "buy" ? 1 : -1);
    busy.set(r.symbol, (busy.get(r.symbol) ?? 0) + (Number.isFinite(left) ? left : 0));
  }
  return busy;
}
