/**
 * A PostgreSQL server through postgres.js behind the `Database` interface: used when
 * `DATABASE_URL` is set.
 *
 * @module
 */
import postgres from "postgres";
import type { Database, Queryable } from "./database.ts";
import { arrayCodecs, checkParams, codecs } from "./codec.ts";
import { TransactionScope } from "./transaction.ts";

type Sql = postgres.Sql;
/** What `sqlApi` uses: the pool or one transaction's connection. */
type Unsafe = Pick<postgres.TransactionSql, "unsafe" | "typed">;

/** Options for `openPostgres`. */
export interface PostgresOptions {
  /** Most connections the pool opens. Default 10. */
  poolSize?: number;
  /** Seconds to wait for a connection before failing. Default 10. */
  connectTimeoutSeconds?: number;
  /**
   * Keep each statement prepared on the connection that ran it. Default true: a statement is
   * then one round trip (bind, execute) where an unprepared one takes two (parse and describe to
   * learn its parameter types, then bind and execute) and is planned every time. A schema change
   * under a kept statement is retried by postgres.js outside transactions. Off for poolers in
   * transaction mode, which cannot keep a statement across their clients.
   */
  prepare?: boolean;
}

function sqlApi(sql: Unsafe, prepare: boolean): Queryable {
  return {
    async query<T = Record<string, unknown>>(text: string, params: unknown[] = []) {
      checkParams(params);
      // postgres.js announces an array's type from its first element (a Date[] as timestamptz),
      // which the server then refuses to cast to timestamptz[]; oid 0 lets the server decide,
      // as PGlite does.
      const values = params.map((p) => Array.isArray(p) ? sql.typed(p, 0) : p);
      // simple: false keeps the extended protocol even without parameters, so a string with
      // two statements fails here exactly as it does on PGlite.
      const rows = await sql.unsafe(text, values as postgres.ParameterOrJSON<never>[], {
        prepare,
        simple: false,
      } as postgres.UnsafeQueryOptions);
      // A plain array, not postgres.js' Result subclass, so rows compare equal to PGlite's.
      return Array.from(rows) as T[];
    },
    async exec(text: string) {
      await sql.unsafe(text).simple();
    },
  };
}

/** A postgres.js pool. */
export class PostgresDatabase implements Database {
  readonly kind = "postgres";
  readonly #sql: Sql;
  readonly #prepare: boolean;
  readonly #api: Queryable;
  readonly #scope = new TransactionScope();
  #closed = false;

  /** Use `openPostgres`. */
  constructor(sql: Sql, prepare = true) {
    this.#sql = sql;
    this.#prepare = prepare;
    this.#api = sqlApi(sql, prepare);
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    this.#enter("query");
    return await this.#api.query<T>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.#enter("exec");
    return await this.#api.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.#enter("transaction");
    const result = await this.#sql.begin((raw) => this.#scope.run(sqlApi(raw, this.#prepare), fn));
    return result as T;
  }

  async ping(): Promise<number> {
    const start = performance.now();
    await this.query("select 1");
    return performance.now() - start;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#sql.end({ timeout: 5 });
  }

  #enter(method: string): void {
    if (this.#closed) throw new Error("the database is closed");
    this.#scope.assertOutside(method);
  }
}

function typeOptions(): Record<string, postgres.PostgresType> {
  const types: Record<string, postgres.PostgresType> = {};
  // Providing array types up front also stops postgres.js from installing its own array
  // parser for them, which reads an unquoted NULL element as the string "NULL".
  for (const table of [codecs, arrayCodecs]) {
    for (const [typeOid, codec] of Object.entries(table)) {
      types[`oid${typeOid}`] = {
        to: Number(typeOid),
        from: [Number(typeOid)],
        parse: codec.parse,
        serialize: codec.serialize,
      };
    }
  }
  return types;
}

/**
 * Opens a pool for `url` (`postgres://user:pass@host:port/db?sslmode=...`). Connections are made
 * lazily, so this does not fail when the server is down; `ping()` does. Nothing here logs, and
 * postgres.js error messages do not carry the password.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): PostgresDatabase {
  const sql = postgres(url, {
    max: options.poolSize ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    // postgres.js prints every NOTICE (e.g. "relation already exists, skipping") by default.
    onnotice: () => {},
    connection: { TimeZone: "UTC", application_name: "paiid" },
    types: typeOptions(),
  });
  return new PostgresDatabase(sql, options.prepare ?? true);
}
