/**
 * Opening the app's database: a PostgreSQL server when a URL is configured, otherwise embedded
 * PGlite under the data directory. Either way, migrations are applied before it is returned.
 *
 * @module
 */
import type { Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

export type { Database, DatabaseKind, Queryable } from "./database.ts";
export { migrate, type MigrateResult, type Migration, MigrationError } from "./migrate.ts";

/** Where the database lives. */
export interface OpenDatabaseOptions {
  /** `DATABASE_URL`. Unset or empty: PGlite. */
  url?: string;
  /** `DATA_DIR`; PGlite keeps its files in `${dataDir}/pg`. */
  dataDir: string;
  /** Server pool size. Default 10. */
  poolSize?: number;
  /** Server: keep statements prepared per connection (`openPostgres`). Default true. */
  prepare?: boolean;
}

/** PGlite's folder inside DATA_DIR. */
export function pgliteDir(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, "")}/pg`;
}

/**
 * Opens the database and applies pending migrations. Fails (and releases the connection) when
 * the server is unreachable, a migration was edited after being applied, or a migration fails.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const db: Database = options.url
    ? openPostgres(options.url, { poolSize: options.poolSize, prepare: options.prepare })
    : await openPglite(pgliteDir(options.dataDir));
  try {
    await migrate(db);
    return db;
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/**
 * A short description for the start-up line, e.g. `pglite (./data/pg)` or
 * `postgres (127.0.0.1:5432/test)`. Never includes the user name or password.
 */
export function describeDatabase(options: Pick<OpenDatabaseOptions, "url" | "dataDir">): string {
  if (!options.url) return `pglite (${pgliteDir(options.dataDir)})`;
  // Credentials always come before the last "@" even when a password holds an unencoded "@",
  // "/" or "?", so everything up to it is dropped before anything is parsed.
  const scheme = options.url.indexOf("://");
  if (scheme === -1) return "postgres (unparsable URL)";
  const rest = options.url.slice(scheme + 3);
  const tail = rest.slice(rest.lastIndexOf("@") + 1);
  const [, hosts = "", database = ""] = /^([^/?#]*)(?:\/([^?#]*))?/.exec(tail) ?? [];
  const host = hosts.includes(",") || /:\d+$/.test(hosts) ? hosts : `${hosts || "localhost"}:5432`;
  return `postgres (${host}/${safeDecode(database)})`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
