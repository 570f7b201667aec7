/**
 * Saved strategies, per user and versioned (migration 0015). A strategy is one `strategies` row
 * (owner, latest name and rules in `config`, the latest version number) and one immutable
 * `strategy_versions` row per save: an edit adds version n + 1 and never changes an old one, so
 * a backtest (and later a paper deployment) that names `(strategyId, version)` always finds the
 * document it ran. Every function is scoped by the user: another user's strategy is `undefined`,
 * exactly like a missing one (the API answers 404).
 *
 * @module
 */
import type { Database, Queryable } from "../db/database.ts";
import type { Rules } from "./schema.ts";

export interface StrategyDraft {
  name: string;
  description: string;
  /** The template ids the strategy started from (`sma-cross`, ...), in the order used. */
  templates: string[];
  /** A validated rule document (`parseRules`); its `name` is set to the strategy's. */
  rules: Rules;
}

export interface StrategyVersion extends StrategyDraft {
  id: number;
  version: number;
  /** The newest version number of the strategy. */
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface StrategySummary {
  id: number;
  name: string;
  description: string;
  templates: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface VersionSummary {
  version: number;
  name: string;
  createdAt: string;
}

const iso = (d: unknown) => new Date(d as string).toISOString();

interface Row {
  id: number;
  name: string;
  description: string;
  templates: string[];
  version: number;
  created_at: string;
  updated_at: string;
}

const summary = (r: Row): StrategySummary => ({
  id: Number(r.id),
  name: r.name,
  description: r.description,
  templates: r.templates ?? [],
  version: Number(r.version),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const withName = (d: StrategyDraft): Rules => ({ ...d.rules, name: d.name });

/** The user's strategies, most recently changed first. */
export async function listStrategies(db: Queryable, userId: number): Promise<StrategySummary[]> {
  const rows = await db.query<Row>(
    `select id, name, description, templates, version, created_at, updated_at
     from strategies where user_id = $1 order by updated_at desc, id desc limit 500`,
    [userId],
  );
  return rows.map(summary);
}

/** One version (default: the latest) of one of the user's strategies. */
export async function getStrategy(
  db: Queryable,
  userId: number,
  id: number,
  version?: number,
): Promise<StrategyVersion | undefined> {
  const [r] = await db.query<
    Row & { v: number; v_name: string; v_description: string; v_templates: string[]; rules: Rules }
  >(
    `select s.id, s.version, s.created_at, s.updated_at, v.version as v, v.name as v_name,
            v.description as v_description, v.templates as v_templates, v.rules
     from strategies s join strategy_versions v on v.strategy_id = s.id
     where s.id = $1 and s.user_id = $2 and v.version = coalesce($3, s.version)`,
    [id, userId, version ?? null],
  );
  if (!r) return undefined;
  return {
    id: Number(r.id),
    version: Number(r.v),
    latestVersion: Number(r.version),
    name: r.v_name,
    description: r.v_description,
    templates: r.v_templates ?? [],
    rules: r.rules,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Saves a new strategy as version 1. */
export function createStrategy(
  db: Database,
  userId: number,
  draft: StrategyDraft,
): Promise<StrategyVersion> {
  return db.transaction(async (tx) => {
    const rules = withName(draft);
    const [s] = await tx.query<{ id: number }>(
      `insert into strategies (user_id, name, config, description, templates, version)
       values ($1, $2, $3, $4, $5, 1) returning id`,
      [userId, draft.name, rules, draft.description, draft.templates],
    );
    await tx.query(
      `insert into strategy_versions (strategy_id, version, name, description, templates, rules)
       values ($1, 1, $2, $3, $4, $5)`,
      [s.id, draft.name, draft.description, draft.templates, rules],
    );
    return (await getStrategy(tx, userId, Number(s.id)))!;
  });
}

/**
 * Saves `draft` as the next version of the user's strategy; `undefined` when it is not theirs.
 * The row lock makes two concurrent edits versions n + 1 and n + 2, never two n + 1.
 */
export function updateStrategy(
  db: Database,
  userId: number,
  id: number,
  draft: StrategyDraft,
): Promise<StrategyVersion | undefined> {
  return db.transaction(async (tx) => {
    const rules = withName(draft);
    const [s] = await tx.query<{ version: number }>(
      `update strategies set version = version + 1, name = $3, config = $4, description = $5,
         templates = $6, updated_at = now()
       where id = $1 and user_id = $2 returning version`,
      [id, userId, draft.name, rules, draft.description, draft.templates],
    );
    if (!s) return undefined;
    await tx.query(
      `insert into strategy_versions (strategy_id, version, name, description, templates, rules)
       values ($1, $2, $3, $4, $5, $6)`,
      [id, s.version, draft.name, draft.description, draft.templates, rules],
    );
    return await getStrategy(tx, userId, id);
  });
}

/** The versions of the user's strategy, newest first; `undefined` when it is not theirs. */
export async function listVersions(
  db: Queryable,
  userId: number,
  id: number,
): Promise<VersionSummary[] | undefined> {
  const rows = await db.query<{ version: number | null; name: string; created_at: string }>(
    `select v.version, v.name, v.created_at from strategies s
     left join strategy_versions v on v.strategy_id = s.id
     where s.id = $1 and s.user_id = $2 order by v.version desc`,
    [id, userId],
  );
  if (!rows.length) return undefined;
  return rows.filter((r) => r.version !== null).map((r) => ({
    version: Number(r.version),
    name: r.name,
    createdAt: iso(r.created_at),
  }));
}

/** Deletes the strategy and its versions (its backtest runs stay, unlinked). */
export async function deleteStrategy(db: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await db.query(
    "delete from strategies where id = $1 and user_id = $2 returning id",
    [
      id,
      userId,
    ],
  );
  return rows.length > 0;
}

/** The newest finished single backtest run of a strategy, any version (for "Explain"). */
export async function latestRunOf(
  db: Queryable,
  userId: number,
  id: number,
): Promise<
  | {
    id: number;
    strategyVersion: number | null;
    start: string;
    end: string;
    metrics: Record<string, number | null>;
    symbols: string[];
  }
  | undefined
> {
  const [r] = await db.query<{
    id: number;
    strategy_version: number | null;
    start_date: string | Date;
    end_date: string | Date;
    metrics: Record<string, number | null>;
    result: { data?: { symbols?: string[] } } | null;
  }>(
    `select id, strategy_version, start_date, end_date, metrics, result from backtest_runs
     where user_id = $1 and strategy_id = $2 and status = 'done' and kind = 'single'
     order by id desc limit 1`,
    [userId, id],
  );
  if (!r) return undefined;
  const day = (d: string | Date) =>
    d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);
  return {
    id: Number(r.id),
    strategyVersion: r.strategy_version === null ? null : Number(r.strategy_version),
    start: day(r.start_date),
    end: day(r.end_date),
    metrics: r.metrics,
    symbols: r.result?.data?.symbols ?? [],
  };
}
