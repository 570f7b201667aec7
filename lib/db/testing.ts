/**
 * Test helpers that run one test body against every database backend: PGlite in memory always,
 * and the PostgreSQL server named by `TEST_DATABASE_URL` when it is set (otherwise that variant
 * is registered as ignored, so a run without a server shows what it skipped).
 *
 * Every test gets its own database: a fresh in-memory PGlite, or a freshly created database on
 * the server that is dropped afterwards. Tests can therefore run in any order and in parallel.
 *
 * @module
 */
import postgres from "postgres";
import type { Database, DatabaseKind, Queryable } from "./database.ts";
import { migrate } from "./migrate.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

/** The server's admin URL from `TEST_DATABASE_URL`, or undefined when no server is configured. */
export function testServerUrl(): string | undefined {
  return Deno.env.get("TEST_DATABASE_URL") || undefined;
}

/** A throwaway database (or schema) on the test server. */
export interface ServerTestDatabase {
  /** Connection URL for the new database. */
  url: string;
  /** Removes the database and everything in it, closing connections that are still open. */
  drop(): Promise<void>;
}

async function admin(statement: string): Promise<void> {
  const url = testServerUrl();
  if (!url) throw new Error("TEST_DATABASE_URL is not set");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Creates `paiid_t_<random>` on the test server. When the role may not create databases, it
 * falls back to a schema of that name in the admin database, selected through `search_path`.
 */
export async function createServerDatabase(): Promise<ServerTestDatabase> {
  const name = `paiid_t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const url = new URL(testServerUrl()!);
  try {
    await admin(`create database ${name}`);
    url.pathname = `/${name}`;
    return {
      url: url.href,
      drop: () => admin(`drop database if exists ${name} with (force)`),
    };
  } catch (error) {
    if ((error as { code?: string }).code !== "42501") throw error;
  }
  await admin(`create schema ${name}`);
  url.searchParams.set("search_path", name);
  return {
    url: url.href,
    drop: () => admin(`drop schema if exists ${name} cascade`),
  };
}

let emptyTemplate: Promise<Blob> | undefined;
let migratedTemplate: Promise<Blob> | undefined;

// initdb dominates PGlite's start-up (about 3 s); loading a dump of an already initialised
// database takes about half that, so each test process builds the two templates once.
function pgliteTemplate(migrated: boolean): Promise<Blob> {
  emptyTemplate ??= (async () => {
    const db = await openPglite("memory://");
    try {
      return await db.dumpDataDir();
    } finally {
      await db.close();
    }
  })();
  if (!migrated) return emptyTemplate;
  migratedTemplate ??= (async () => {
    const db = await openPglite("memory://", { loadDataDir: await emptyTemplate });
    try {
      await migrate(db);
      return await db.dumpDataDir();
    } finally {
      await db.close();
    }
  })();
  return migratedTemplate;
}

/** A fresh in-memory PGlite, migrated unless asked otherwise. */
export async function freshPglite(options: { migrated?: boolean } = {}): Promise<Database> {
  return await openPglite("memory://", {
    loadDataDir: await pgliteTemplate(options.migrated ?? true),
  });
}

/** Options for `withTestDatabases`. */
export interface TestDatabaseOptions {
  /** Apply the app's migrations before fn runs. Default true. */
  migrated?: boolean;
}

/**
 * Registers `db[pglite] <name>` and `db[postgres] <name>`; each runs fn with its own fresh
 * database and closes (and on the server drops) it afterwards.
 */
export function withTestDatabases(
  name: string,
  fn: (db: Database) => Promise<void>,
  options: TestDatabaseOptions = {},
): void {
  const migrated = options.migrated ?? true;
  const variants: { kind: DatabaseKind; ignore: boolean }[] = [
    { kind: "pglite", ignore: false },
    { kind: "postgres", ignore: !testServerUrl() },
  ];
  for (const { kind, ignore } of variants) {
    Deno.test({
      name: `db[${kind}] ${name}`,
      ignore,
      fn: async () => {
        if (kind === "pglite") {
          const db = await freshPglite({ migrated });
          try {
            await fn(db);
          } finally {
            await db.close();
          }
          return;
        }
        const server = await createServerDatabase();
        try {
          const db = openPostgres(server.url, { poolSize: 4 });
          try {
            if (migrated) await migrate(db);
            await fn(db);
          } finally {
            await db.close();
          }
        } finally {
          await server.drop();
        }
      },
    });
  }
}

/** A bare user row (no password that signs in) for tests below the HTTP layer; returns its id. */
export async function createTestUser(db: Queryable): Promise<number> {
  const [u] = await db.query<{ id: number }>(
    "insert into users (username, email, password_hash) values ($1, $2, 'x') returning id",
    [`u${crypto.randomUUID().slice(0, 8)}`, `${crypto.randomUUID()}@example.test`],
  );
  return u.id;
}
