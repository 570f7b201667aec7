/**
 * The kill switch: a halt refuses every new order of one account, or of every account when an
 * admin sets it. Persisted in `trading_halts`; each instance keeps the active halts in memory
 * and follows changes made anywhere within a second through a KV epoch (lib/kv_epoch.ts), so
 * the check on the order path costs no I/O. When the epoch cannot be read, the check asks the
 * database instead: a halt is never missed because KV is down.
 *
 * Closing a position stays allowed during a halt (it only reduces risk, and flattening is what
 * a trader who pulls the switch may need next); new orders, replacements and, once they exist,
 * proposal approvals and automated orders are refused with 423 `trading_halted`.
 */
import type { Database } from "../db/database.ts";
import { HttpError } from "../http/errors.ts";
import { KvEpoch } from "../kv_epoch.ts";
import { recordAudit } from "../audit.ts";

export const HALT_EPOCH_KEY: Deno.KvKey = ["trading", "halt_epoch"];

export interface Halt {
  /** `account`: this user's own halt; `everyone`: an admin's halt of every account. */
  scope: "account" | "everyone";
  reason: string;
  haltedBy: string | null;
  haltedAt: string;
}

interface HaltRow {
  user_id: number | null;
  reason: string;
  halted_by: string | null;
  halted_at: Date;
}

const ACTIVE_SQL = `select h.user_id, h.reason, u.username as halted_by, h.halted_at
  from trading_halts h left join users u on u.id = h.halted_by
 where h.resumed_at is null`;

const toHalt = (r: HaltRow): Halt => ({
  scope: r.user_id === null ? "everyone" : "account",
  reason: r.reason,
  haltedBy: r.halted_by,
  haltedAt: r.halted_at.toISOString(),
});

/** 423: the order was refused because trading is halted; the halt is in `details`. */
export class TradingHaltedError extends HttpError {
  constructor(readonly halt: Halt) {
    super(
      423,
      "trading_halted",
      halt.scope === "everyone"
        ? `Trading is halted for every account by an administrator (${halt.reason}). No order ` +
          "can be placed until they resume it."
        : `Trading is halted on this account (${halt.reason}). Resume trading to place orders.`,
      { halt },
    );
  }
}

export class TradingHalts {
  readonly #db: Database;
  readonly #epoch: KvEpoch;
  /** Active halts by user id, 0 for everyone's; undefined until loaded (or after a change). */
  #active: Promise<Map<number, Halt>> | undefined;

  constructor(db: Database, kv: Deno.Kv, options: { pollMs?: number } = {}) {
    this.#db = db;
    this.#epoch = new KvEpoch(kv, HALT_EPOCH_KEY, () => this.#active = undefined, options);
  }

  /** The halt that stops `userId` trading (everyone's first), if any. */
  async activeFor(userId: number): Promise<Halt | undefined> {
    this.#epoch.start();
    if (!this.#epoch.trusted()) {
      const rows = await this.#db.query<HaltRow>(
        `${ACTIVE_SQL} and (h.user_id is null or h.user_id = $1) order by h.user_id nulls first`,
        [userId],
      );
      return rows[0] && toHalt(rows[0]);
    }
    const active = await (this.#active ??= this.#load());
    return active.get(0) ?? active.get(userId);
  }

  /** Throws TradingHaltedError when `userId` may not place orders now. */
  async assertTrading(userId: number): Promise<void> {
    const halt = await this.activeFor(userId);
    if (halt) throw new TradingHaltedError(halt);
  }

  /**
   * Halts `userId`'s account (or every account, `everyone`), recording who and why. Halting
   * what is already halted keeps the first halt. Returns the halt in force.
   */
  async halt(
    actorId: number,
    opts: { reason: string; everyone?: boolean },
  ): Promise<{ halt: Halt; changed: boolean }> {
    const target = opts.everyone ? null : actorId;
    const changed = await this.#db.transaction(async (tx) => {
      const inserted = await tx.query(
        `insert into trading_halts (user_id, reason, halted_by) values ($1, $2, $3)
         on conflict ((coalesce(user_id, 0))) where resumed_at is null do nothing returning id`,
        [target, opts.reason, actorId],
      );
      if (inserted.length === 0) return false;
      await recordAudit(tx, {
        userId: target,
        actorId,
        action: "trading.halt",
        detail: { reason: opts.reason, scope: opts.everyone ? "everyone" : "account" },
      });
      return true;
    });
    if (changed) await this.#changed();
    const [row] = await this.#db.query<HaltRow>(
      `${ACTIVE_SQL} and coalesce(h.user_id, 0) = $1`,
      [target ?? 0],
    );
    return { halt: toHalt(row), changed };
  }

  /** Lifts `userId`'s own halt (or everyone's); false when there was none. */
  async resume(actorId: number, opts: { everyone?: boolean } = {}): Promise<boolean> {
    const target = opts.everyone ? null : actorId;
    const changed = await this.#db.transaction(async (tx) => {
      const rows = await tx.query(
        `update trading_halts set resumed_at = now(), resumed_by = $2
          where coalesce(user_id, 0) = $1 and resumed_at is null returning id`,
        [target ?? 0, actorId],
      );
      if (rows.length === 0) return false;
      await recordAudit(tx, {
        userId: target,
        actorId,
        action: "trading.resume",
        detail: { scope: opts.everyone ? "everyone" : "account" },
      });
      return true;
    });
    if (changed) await this.#changed();
    return changed;
  }

  close(): void {
    this.#epoch.close();
  }

  async #changed(): Promise<void> {
    this.#active = undefined;
    await this.#epoch.bump();
  }

  async #load(): Promise<Map<number, Halt>> {
    const load = (async () => {
      const rows = await this.#db.query<HaltRow>(ACTIVE_SQL);
      return new Map(rows.map((r) => [r.user_id ?? 0, toHalt(r)]));
    })();
    // A failed read is not kept: the next check tries again.
    load.catch(() => this.#active = undefined);
    return await load;
  }
}
