/**
 * Embedded Postgres (PGlite, WebAssembly) behind the `Database` interface: the default when no
 * `DATABASE_URL` is configured.
 *
 * @module
 */
import { PGlite } from "@electric-sql/pglite";
import type { Database, Queryable } from "./database.ts";
import { announcedType, checkParams, codecs, type Parse, type Serialize } from "./codec.ts";
import { TransactionScope } from "./transaction.ts";

/** Runs async work one at a time, in call order. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => {});
    return result;
  }
}

/** What PGlite's `query`/`exec` need from the database or one of its transactions. */
interface PgliteConnection {
  query<T>(
    sql: string,
    params?: unknown[],
    options?: { paramTypes?: number[] },
  ): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
}

function connectionApi(conn: PgliteConnection): Queryable {
  return {
    async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []) {
      checkParams(params);
      const result = await conn.query<T>(sql, params, { paramTypes: params.map(announcedType) });
      return result.rows;
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
  readonly #api: Queryable;
  readonly #queue = new Mutex();
  readonly #scope = new TransactionScope();
  readonly #lockFile: Deno.FsFile | undefined;
  #closed = false;

  /** Use `openPglite`. */
  constructor(pg: PGlite, lockFile?: Deno.FsFile) {
    this.#pg = pg;
    this.#api = connectionApi(pg as unknown as PgliteConnection);
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
      this.#pg.transaction((raw) =>
        this.#scope.run(connectionApi(raw as unknown as PgliteConnection), fn)
      )
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
