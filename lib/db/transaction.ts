/**
 * Transaction rules both backends enforce identically (see `Database.transaction`).
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Queryable } from "./database.ts";

interface TxState {
  open: boolean;
  failed: boolean;
  error: unknown;
}

/** One per database: knows whether the current async call chain is inside its transaction. */
export class TransactionScope {
  readonly #current = new AsyncLocalStorage<TxState>();

  /**
   * Throws when the caller runs inside one of this database's open transactions: on PGlite the
   * call would queue behind the transaction that is waiting for it, and on a server it would
   * escape the transaction without anyone noticing.
   */
  assertOutside(method: string): void {
    if (this.#current.getStore()?.open) {
      throw new Error(
        `db.${method}() was called inside db.transaction(); use the tx passed to the callback`,
      );
    }
  }

  /**
   * Calls fn with a handle over `raw` (the backend's transaction connection). The handle
   * remembers the first failure, so the transaction rolls back even if fn swallows it, and
   * refuses use after fn has finished, when `raw` may already serve someone else.
   */
  async run<T>(raw: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const state: TxState = { open: true, failed: false, error: undefined };
    const guarded = async <R>(work: () => Promise<R>): Promise<R> => {
      if (!state.open) throw new Error("this transaction has already finished");
      try {
        return await work();
      } catch (error) {
        if (!state.failed) {
          state.failed = true;
          state.error = error;
        }
        throw error;
      }
    };
    const tx: Queryable = {
      query: <R = Record<string, unknown>>(sql: string, params?: unknown[]) =>
        guarded(() => raw.query<R>(sql, params)),
      exec: (sql: string) => guarded(() => raw.exec(sql)),
    };
    try {
      const result = await this.#current.run(state, () => fn(tx));
      if (state.failed) throw state.error;
      return result;
    } finally {
      state.open = false;
    }
  }
}
