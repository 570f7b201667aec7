/**
 * Everything PaiiD holds about one user, as one JSON document: the "export my data" of the
 * Settings stage. Secrets stay out (password and token hashes, refresh token hashes); every table
 * with a `user_id` column is either exported here or named in `NOT_EXPORTED` with the reason, and
 * a test holds the schema to that.
 */
import type { Queryable } from "../db/database.ts";

/** Table → the query for one user's rows (`$1` = user id), secrets removed. */
export const EXPORTED: Record<string, string> = {
  users: "select to_jsonb(u) - 'password_hash' as row from users u where id = $1",
  user_settings: "select to_jsonb(t) as row from user_settings t where user_id = $1",
  user_profiles: "select to_jsonb(t) as row from user_profiles t where user_id = $1",
  user_sessions: `select jsonb_build_object('family_id', family_id, 'created_at', created_at,
      'expires_at', expires_at, 'revoked_at', revoked_at, 'user_agent', user_agent, 'ip', ip) as row
    from user_sessions where user_id = $1`,
  api_tokens: `select jsonb_build_object('id', id, 'name', name, 'token_prefix', token_prefix,
      'created_at', created_at, 'last_used_at', last_used_at, 'expires_at', expires_at,
      'revoked_at', revoked_at) as row from api_tokens where user_id = $1`,
  watchlists: `select to_jsonb(w) || jsonb_build_object('symbols', coalesce((
      select jsonb_agg(s.symbol order by s.position) from watchlist_symbols s
       where s.watchlist_id = w.id), '[]'::jsonb)) as row
    from watchlists w where user_id = $1`,
  price_alerts: "select to_jsonb(t) as row from price_alerts t where user_id = $1",
  notifications: "select to_jsonb(t) as row from notifications t where user_id = $1",
  orders: `select to_jsonb(o) || jsonb_build_object('legs', coalesce((
      select jsonb_agg(to_jsonb(l) - 'order_id' order by l.leg) from order_legs l
       where l.order_id = o.id), '[]'::jsonb)) as row
    from orders o where user_id = $1`,
  trades: "select to_jsonb(t) as row from trades t where user_id = $1",
  paper_accounts: "select to_jsonb(t) as row from paper_accounts t where user_id = $1",
  paper_positions: "select to_jsonb(t) as row from paper_positions t where user_id = $1",
  equity_snapshots: "select to_jsonb(t) as row from equity_snapshots t where user_id = $1",
  cash_flows: "select to_jsonb(t) as row from cash_flows t where user_id = $1",
  strategies: `select to_jsonb(s) || jsonb_build_object('versions', coalesce((
      select jsonb_agg(to_jsonb(v) order by v.version) from strategy_versions v
       where v.strategy_id = s.id), '[]'::jsonb)) as row
    from strategies s where user_id = $1`,
  strategy_deployments: `select to_jsonb(d) || jsonb_build_object('evaluations', coalesce((
      select jsonb_agg(to_jsonb(e) order by e.session) from strategy_evaluations e
       where e.deployment_id = d.id), '[]'::jsonb)) as row
    from strategy_deployments d where user_id = $1`,
  proposals: "select to_jsonb(t) as row from proposals t where user_id = $1",
  proposal_events: "select to_jsonb(t) as row from proposal_events t where user_id = $1",
  morning_briefs: `select to_jsonb(b) || jsonb_build_object('checklist', coalesce((
      select jsonb_agg(to_jsonb(c)) from morning_checklist c where c.brief_id = b.id),
      '[]'::jsonb)) as row
    from morning_briefs b where user_id = $1`,
  backtest_runs: "select to_jsonb(t) as row from backtest_runs t where user_id = $1",
  saved_scans: "select to_jsonb(t) as row from saved_scans t where user_id = $1",
  ai_recommendations: "select to_jsonb(t) as row from ai_recommendations t where user_id = $1",
  ai_conversations: `select to_jsonb(c) || jsonb_build_object('messages', coalesce((
      select jsonb_agg(to_jsonb(m) order by m.seq) from ai_messages m
       where m.conversation_id = c.id), '[]'::jsonb)) as row
    from ai_conversations c where user_id = $1`,
  ai_usage: "select to_jsonb(t) as row from ai_usage t where user_id = $1",
  trading_halts: "select to_jsonb(t) as row from trading_halts t where user_id = $1",
  audit_events: "select to_jsonb(t) as row from audit_events t where user_id = $1",
  journal_entries: "select to_jsonb(t) as row from journal_entries t where user_id = $1",
  order_templates: "select to_jsonb(t) as row from order_templates t where user_id = $1",
};

/** Tables with a user_id column that are not exported, and why. */
export const NOT_EXPORTED: Record<string, string> = {};

export interface UserExport {
  format: "paiid-export";
  version: 1;
  exportedAt: string;
  userId: number;
  tables: Record<string, unknown[]>;
}

/** One consistent snapshot of the user's rows (run it in a transaction). */
export async function exportUser(tx: Queryable, userId: number): Promise<UserExport> {
  const tables: Record<string, unknown[]> = {};
  for (const [table, sql] of Object.entries(EXPORTED)) {
    const rows = await tx.query<{ row: unknown }>(sql, [userId]);
    tables[table] = rows.map((r) => r.row);
  }
  return {
    format: "paiid-export",
    version: 1,
    exportedAt: new Date().toISOString(),
    userId,
    tables,
  };
}

/**
 * Deletes the user and everything they own (every table cascades from `users`). Returns whether
 * there was such a user. The caller ends their sessions in memory (`identities.revoked()`).
 */
export async function deleteUser(db: Queryable, userId: number): Promise<boolean> {
  const rows = await db.query("delete from users where id = $1 returning id", [userId]);
  return rows.length > 0;
}
