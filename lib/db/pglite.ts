/**
 * Embedded Postgres (PGlite, WebAssembly) behind the `Database` interface: the default when no
 * `DATABASE_URL` is configured.
 *
 * @module
 */
import { parse as pgParse, PGlite, protocol } from "@electric-sql/pglite";
import type { Database, Queryable } from "./database.ts";
import { announcedType, checkParams, codecs, type Parse, type Serialize } from "./codec.ts";
import { TransactionScope } from "./transaction.ts";
import { concatBytes } from "../shared/bytes.ts";

/** Runs async work one at a time, in call order. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => {});
    return result;
  }
}

/** What PGlite's `exec` needs from the database or one of its transactions. */
interface PgliteConnection {
  exec(sql: string): Promise<unknown>;
}

type BackendMessage = Awaited<ReturnType<PGlite["execProtocol"]>>["messages"][number];

/** A statement parsed once under a name, with what its executions need to send and read. */
interface Prepared {
  name: string;
  /** Parameter types as the server resolved them: they pick each value's serializer. */
  paramTypes: number[];
  /** Its result columns (null: it returns no rows), put before each execution's rows. */
  columns: BackendMessage | null;
}

/**
 * Named prepared statements, one per SQL text (and announced parameter types), kept for the
 * connection's life, at most `max` of them, the least recently used closed first.
 *
 * PGlite's own `query` parses, describes and plans its statement anew on every call, in the one
 * WebAssembly thread, where the planner's probe of each relation's size is an fstat through the
 * emulated file system: for the order path that was more than half of each statement's cost.
 * A named statement is parsed once; Postgres keeps a generic plan once it is no costlier than
 * planning with the values (judged over the first five runs), and a run is then one bind,
 * execute and sync, sent to the backend as one buffer.
 */
class Statements {
  readonly #pg: PGlite;
  readonly #cache = new Map<string, Prepared>();
  readonly #max: number;
  #next = 0;

  constructor(pg: PGlite, max = 256) {
    this.#pg = pg;
    this.#max = max;
  }

  /**
   * One exchange with the backend at a time. Outside transactions PgliteDatabase's queue already
   * orders queries, but a transaction's callback may start several at once (`Promise.all` over
   * `tx.query`), and PGlite's `execProtocol`, unlike its `query`, takes no lock: two in flight
   * would read each other's result messages.
   */
  readonly #lock = new Mutex();

  async query<T>(sql: string, params: unknown[], inTransaction: boolean): Promise<T[]> {
    checkParams(params);
    return await this.#lock.run(() => this.#query<T>(sql, params, inTransaction));
  }

  async #query<T>(sql: string, params: unknown[], inTransaction: boolean): Promise<T[]> {
    const types = params.map(announcedType);
    const key = `${types.join(",")}\0${sql}`;
    try {
      return await this.#run<T>(key, sql, types, params, inTransaction);
    } catch (error) {
      if (!stale(error)) throw decorate(error, sql, params);
      // The schema under a kept statement changed (a test recreating a table): drop it and,
      // where nothing was rolled back by the failure, run once more freshly prepared.
      await this.#forget(key, inTransaction);
      if (inTransaction) throw decorate(error, sql, params);
      try {
        return await this.#run<T>(key, sql, types, params, inTransaction);
      } catch (again) {
        throw decorate(again, sql, params);
      }
    }
  }

  async #run<T>(
    key: string,
    sql: string,
    types: number[],
    params: unknown[],
    inTransaction: boolean,
  ): Promise<T[]> {
    const syncToFs = !inTransaction;
    let st = this.#cache.get(key);
    if (st) {
      // Most recently used last: the map's order is the eviction order.
      this.#cache.delete(key);
      this.#cache.set(key, st);
    } else {
      st = await this.#prepare(sql, types, syncToFs);
      this.#cache.set(key, st);
      if (this.#cache.size > this.#max) {
        await this.#forget(this.#cache.keys().next().value!, inTransaction);
      }
    }
    const values = params.map((v, i) => {
      if (v === null) return null;
      const serialize = this.#pg.serializers[st.paramTypes[i]];
      return serialize ? serialize(v) : String(v);
    });
    const { messages } = await this.#pg.execProtocol(
      concatBytes([
        protocol.serialize.bind({ statement: st.name, values }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
      { syncToFs },
    );
    const results = pgParse.parseResults(
      st.columns ? [st.columns, ...messages] : messages,
      this.#pg.parsers,
    );
    return results[0].rows as T[];
  }

  async #prepare(sql: string, types: number[], syncToFs: boolean): Promise<Prepared> {
    const name = `paiid_${this.#next++}`;
    const { messages } = await this.#pg.execProtocol(
      concatBytes([
        protocol.serialize.parse({ name, text: sql, types }),
        protocol.serialize.describe({ type: "S", name }),
        protocol.serialize.sync(),
      ]),
      { syncToFs },
    );
    return {
      name,
      paramTypes: pgParse.parseDescribeStatementResults(messages),
      columns: messages.find((m) => m.name === "rowDescription") ?? null,
    };
  }

  /** Closes the statement kept under `key`, if any. */
  async #forget(key: string, inTransaction: boolean): Promise<void> {
    const st = this.#cache.get(key);
    if (!st) return;
    this.#cache.delete(key);
    // Closing a statement is allowed in a failed transaction, and a name never comes back.
    await this.#pg.execProtocol(
      concatBytes([
        protocol.serialize.close({ type: "S", name: st.name }),
        protocol.serialize.sync(),
      ]),
      { syncToFs: !inTransaction, throwOnError: false },
    );
  }
}

/** The errors Postgres raises when a kept statement no longer fits the schema (as postgres.js). */
const STALE_ROUTINES = new Set(["FetchPreparedStatement", "RevalidateCachedQuery"]);

function stale(error: unknown): boolean {
  return STALE_ROUTINES.has((error as { routine?: string })?.routine ?? "");
}

/** What PGlite's own `query` adds to a database error, kept for anyone reading it. */
function decorate(error: unknown, sql: string, params: unknown[]): unknown {
  if (error && typeof error === "object" && "severity" in error) {
    Object.assign(error, { query: sql, params });
  }
  return error;
}

function connectionApi(
  statements: Statements,
  conn: PgliteConnection,
  inTransaction: boolean,
): Queryable {
  return {
    query<T = Record<string, unknown>>(sql: string, params: unknown[] = []) {
      return statements.query<T>(sql, params, inTransaction);
    },
    async exec(sql: string) {
      await conn.exec(sql);
    },
  };
}

/** Options for `openPglite`. */
export interface PgliteOptions {
  /**
   * Start from this `dumpDataDir()` tarball instead of running initdb (about twice as fast);
   * tests use it to clone a prepared database.
   */
  loadDataDir?: Blob;
}

/**
 * PGlite is one connection in one process. Every call therefore goes through one FIFO queue:
 * a transaction holds the queue from BEGIN to COMMIT, so concurrent transactions never
 * interleave and plain queries wait for the running transaction instead of joining it.
 */
export class PgliteDatabase implements Database {
  readonly kind = "pglite";
  readonly #pg: PGlite;
  readonly #statements: Statements;
  readonly #api: Queryable;
  readonly #queue = new Mutex();
  readonly #scope = new TransactionScope();
  readonly #lockFile: Deno.FsFile | undefined;
  #closed = false;

  /** Use `openPglite`. */
  constructor(pg: PGlite, lockFile?: Deno.FsFile) {
    this.#pg = pg;
    this.#statements = new Statements(pg);
    this.#api = connectionApi(this.#statements, pg, false);
    this.#lockFile = lockFile;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    this.#enter("query");
    return await this.#queue.run(() => this.#api.query<T>(sql, params));
  }

  async exec(sql: string): Promise<void> {
    this.#enter("exec");
    return await this.#queue.run(() => this.#api.exec(sql));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.#enter("transaction");
    return await this.#queue.run(() =>
      this.#pg.transaction((raw) => this.#scope.run(connectionApi(this.#statements, raw, true), fn))
    );
  }

  async ping(): Promise<number> {
    const start = performance.now();
    await this.query("select 1");
    return performance.now() - start;
  }

  /** A tarball of the whole database, for `openPglite(..., { loadDataDir })` (tests, backups). */
  async dumpDataDir(): Promise<Blob> {
    this.#enter("dumpDataDir");
    return await this.#queue.run(() => this.#pg.dumpDataDir("none"));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.run(async () => {
      try {
        await this.#pg.close();
      } finally {
        this.#lockFile?.close();
      }
    });
  }

  #enter(method: string): void {
    if (this.#closed) throw new Error("the database is closed");
    this.#scope.assertOutside(method);
  }
}

function typeOptions() {
  const parsers: Record<number, Parse> = {};
  const serializers: Record<number, Serialize> = {};
  for (const [typeOid, codec] of Object.entries(codecs)) {
    parsers[Number(typeOid)] = codec.parse;
    serializers[Number(typeOid)] = codec.serialize;
  }
  return { parsers, serializers };
}

/**
 * PGlite's buffer pool. Its postgresql.conf says 128MB, a server's default, which PGlite
 * allocates and initialises in WebAssembly memory at every start: about 0.85 s and 290 MB of
 * resident memory on the development machine, against 0.53 s and 180 MB with 32MB. The embedded
 * database serves a personal install (a migrated one is about 10 MB, and a trader's year of
 * orders adds a few more), so its working set fits; an install big enough to outgrow it belongs
 * on PostgreSQL (`DATABASE_URL`), whose own settings apply.
 */
const SHARED_BUFFERS = "32MB";

/**
 * Opens PGlite persisted in `dataDir` (created if missing), or in memory for `memory://`.
 * A persisted directory is locked for this process: two PGlite instances writing one directory
 * corrupt it, and PGlite itself does not check.
 */
export async function openPglite(
  dataDir: string,
  options: PgliteOptions = {},
): Promise<PgliteDatabase> {
  let lockFile: Deno.FsFile | undefined;
  if (!dataDir.startsWith("memory://")) {
    await Deno.mkdir(dataDir, { recursive: true });
    lockFile = await Deno.open(`${dataDir}/paiid.lock`, { create: true, write: true });
    if (!(await lockFile.tryLock(true))) {
      lockFile.close();
      throw new Error(`the PGlite database ${dataDir} is already open in another process`);
    }
  }
  try {
    const pg = await PGlite.create({
      dataDir,
      loadDataDir: options.loadDataDir,
      startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`],
      ...typeOptions(),
    });
    // PGlite starts in UTC today; pinning it keeps date arithmetic equal to the server backend.
    await pg.exec("set time zone 'UTC'");
    return new PgliteDatabase(pg, lockFile);
  } catch (error) {
    lockFile?.close();
    throw error;
  }
}
