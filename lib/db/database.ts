/**
 * The one database interface the app codes against. Two implementations exist: embedded PGlite
 * (`./pglite.ts`) and a PostgreSQL server through postgres.js (`./postgres.ts`). Both take the
 * same SQL text (`$1` placeholders) and return the same JavaScript values:
 *
 * | Postgres type                      | JavaScript                                              |
 * | ---------------------------------- | ------------------------------------------------------- |
 * | int2, int4, oid, float4, float8    | `number`                                                |
 * | int8 / bigint (also `count(*)`)    | `number`; a value beyond ±(2^53 − 1) rejects the query  |
 * |                                    | with a `RangeError` (cast to text where that can occur) |
 * | numeric / decimal                  | `string`, exactly as Postgres prints it (money stays    |
 * |                                    | exact; convert deliberately)                            |
 * | bool                               | `boolean`                                               |
 * | timestamptz                        | `Date` (sessions run in UTC)                            |
 * | timestamp (without time zone)      | `Date`, read as UTC                                     |
 * | date                               | `string` `YYYY-MM-DD` (a calendar day is not an instant)|
 * | json, jsonb                        | parsed value                                            |
 * | bytea                              | `Uint8Array`                                            |
 * | text, varchar, uuid, interval, ... | `string`                                                |
 * | arrays of the above                | arrays of the mapped element, SQL NULL → `null`         |
 * | NULL                               | `null`                                                  |
 *
 * Parameters: a `Date`, boolean, bigint or `Uint8Array` is announced as timestamptz, bool, int8
 * or bytea; any other value (arrays included) takes the type Postgres infers from the SQL. For
 * json/jsonb placeholders the value is always `JSON.stringify`-ed, so pass objects, not JSON text
 * (a string is stored as a JSON string). A `Date` for a `date` placeholder gives its UTC day.
 * `undefined` is rejected; pass `null`.
 *
 * @module
 */

/** Something SQL can be sent to: the database itself, or an open transaction. */
export interface Queryable {
  /**
   * Runs one statement with `$1`-style parameters and returns its rows (an empty array for
   * statements that return none). Multiple statements in one string are an error; see `exec`.
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs a script of one or more statements without parameters and discards any rows. For
   * migrations and fixtures; use `query` for anything that takes input.
   */
  exec(sql: string): Promise<void>;
}

/** A connection (PGlite) or pool (postgres.js) to one database. */
export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /**
   * Runs fn in one transaction (BEGIN/COMMIT, ROLLBACK on throw). Send the transaction's SQL
   * through `tx`; calling this database's own `query`/`exec`/`transaction` from inside fn throws,
   * because on PGlite it would wait for the transaction forever and on a server it would
   * silently run outside it. When any statement in the transaction fails, the transaction rolls
   * back and that error is thrown even if fn caught it: Postgres cannot commit after an error.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Round-trip `select 1`, returns latency in ms; throws when the database is down. */
  ping(): Promise<number>;
  /** Waits for running work, then releases the connection(s). Later calls throw. */
  close(): Promise<void>;
}

/** The kinds of database `openDatabase` can return. */
export type DatabaseKind = Database["kind"];
