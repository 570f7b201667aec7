/**
 * Versioned SQL migrations: `migrations/NNNN_name.sql`, applied in version order at start-up and
 * recorded in `schema_migrations`. A migration is never edited once applied; add a new one.
 *
 * @module
 */
import type { Database } from "./database.ts";

/** The folder that ships with the app. */
export const MIGRATIONS_DIR: URL = new URL("./migrations/", import.meta.url);

/**
 * Key of the transaction-scoped advisory lock that serialises migrators: every app instance
 * starting against one server takes it before touching `schema_migrations`, so exactly one of
 * them applies each migration. The value is arbitrary but must never change.
 */
export const MIGRATION_LOCK_KEY = "8097873045431839079";

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** One migration file. */
export interface Migration {
  version: number;
  /** The part of the file name after the version, e.g. `initial`. */
  name: string;
  file: string;
  sql: string;
  /** Hex sha-256 of the file with line endings normalised to `\n`. */
  checksum: string;
}

/** What `migrate` did. */
export interface MigrateResult {
  /** Migrations applied by this call, in order. */
  applied: Migration[];
  /** Versions recorded in the database that no file here describes (a newer release ran). */
  unknown: number[];
}

/** Thrown for a bad migration folder, an edited migration or a migration that fails. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reads and checks every migration in `dir`, ordered by version. */
export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.endsWith(".sql")) continue;
    const match = FILE_NAME.exec(entry.name);
    if (!match) {
      throw new MigrationError(
        `migration file name ${entry.name} does not look like 0001_lower_snake_name.sql`,
      );
    }
    // Git may check files out with CRLF on Windows; that must not look like an edit.
    const sql = (await Deno.readTextFile(new URL(entry.name, dir))).replaceAll("\r\n", "\n");
    migrations.push({
      version: Number(match[1]),
      name: match[2],
      file: entry.name,
      sql,
      checksum: await sha256Hex(sql),
    });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new MigrationError(
        `migrations ${migrations[i - 1].file} and ${migrations[i].file} share a version`,
      );
    }
  }
  return migrations;
}

/**
 * Applies the pending migrations in `dir` (default: the app's) inside ONE transaction, after
 * taking the advisory lock, so concurrent starters wait for each other and either everything
 * pending is applied or nothing is. Throws `MigrationError` naming the file when an applied
 * migration's checksum changed or a migration fails.
 *
 * Migrations therefore must be transactional (no `create index concurrently`).
 */
export async function migrate(
  db: Database,
  options: { dir?: URL } = {},
): Promise<MigrateResult> {
  const migrations = await loadMigrations(options.dir);
  return await db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.exec(`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`);
    const recorded = await tx.query<{ version: number; checksum: string }>(
      "select version, checksum from schema_migrations order by version",
    );

    const byVersion = new Map(migrations.map((m) => [m.version, m]));
    const unknown: number[] = [];
    for (const row of recorded) {
      const migration = byVersion.get(row.version);
      if (!migration) {
        unknown.push(row.version);
      } else if (migration.checksum !== row.checksum) {
        throw new MigrationError(
          `migration ${migration.file} was changed after it was applied ` +
            `(checksum ${row.checksum} recorded, ${migration.checksum} on disk); ` +
            `restore it and put the change in a new migration`,
        );
      }
    }

    const done = new Set(recorded.map((r) => r.version));
    const applied: Migration[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`migration ${migration.file} failed: ${message}`, {
          cause: error,
        });
      }
      await tx.query(
        "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)",
        [migration.version, migration.name, migration.checksum],
      );
      applied.push(migration);
    }
    return { applied, unknown };
  });
}
