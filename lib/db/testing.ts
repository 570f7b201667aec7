/**
 * Test helpers that run one test body against every database backend: PGlite in memory always,
 * and the PostgreSQL server named by `TEST_DATABASE_URL` when it is set (otherwise that variant
 * is registered as ignored, so a run without a server shows what it skipped).
 *
 * Every test gets a database of its own: an in-memory PGlite that no other test uses at the same
 * time and that starts empty (a test process keeps one and empties it between tests; see
 * `leaseMigratedPglite`), or a freshly created database on the server that is dropped
 * afterwards. Tests can therefore run in any order and in parallel.
 *
 * @module
 */
import { cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { Database, DatabaseKind, Queryable } from "./database.ts";
import { loadMigrations, migrate } from "./migrate.ts";
import { pgliteDir } from "./mod.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

/** The server's admin URL from `TEST_DATABASE_URL`, or undefined when no server is configured. */
export function testServerUrl(): string | undefined {
  return Deno.env.get("TEST_DATABASE_URL") || undefined;
}

/**
 * The backend the app-level tests run the whole app on (tests/_harness.ts in process,
 * tests/_app_process.ts as a child): `TEST_APP_DATABASE=pglite|postgres`, by default the server
 * when `TEST_DATABASE_URL` names one and PGlite otherwise.
 *
 * Tests written with `withTestDatabases` cover both backends in one run; an app-level test covers
 * one per run. CI therefore runs everything once with `pglite` here and then only the app-level
 * files again with `postgres`, so no test runs twice on the same backend.
 */
export function appTestDatabase(): DatabaseKind {
  const chosen = Deno.env.get("TEST_APP_DATABASE") || (testServerUrl() ? "postgres" : "pglite");
  if (chosen !== "pglite" && chosen !== "postgres") {
    throw new Error(`TEST_APP_DATABASE must be pglite or postgres, not ${chosen}`);
  }
  if (chosen === "postgres" && !testServerUrl()) {
    throw new Error("TEST_APP_DATABASE=postgres needs TEST_DATABASE_URL (the server's admin URL)");
  }
  return chosen;
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

/** Options for `createServerDatabase`. */
export interface ServerDatabaseOptions {
  /** Start with the app's migrations applied (from a template database). Default false. */
  migrated?: boolean;
}

/**
 * Creates `paiid_t_<random>` on the test server: empty, or with `migrated` a copy of a template
 * database that holds the migrations (built once per migration set, see `serverTemplate`), which
 * is quicker than migrating every test's database. When the role may not create databases, it
 * falls back to a schema of that name in the admin database, selected through `search_path`.
 */
export async function createServerDatabase(
  options: ServerDatabaseOptions = {},
): Promise<ServerTestDatabase> {
  const name = `paiid_t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const url = new URL(testServerUrl()!);
  try {
    const template = options.migrated ? ` template ${await serverTemplate()}` : "";
    await admin(`create database ${name}${template}`);
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
  if (options.migrated) await migrateAt(url.href);
  return {
    url: url.href,
    drop: () => admin(`drop schema if exists ${name} cascade`),
  };
}

async function migrateAt(url: string): Promise<void> {
  const db = openPostgres(url, { poolSize: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}

/** Held while a test process checks for, or builds, the server's template database. */
const SERVER_TEMPLATE_LOCK = "7041962233";
let serverTemplateName: Promise<string> | undefined;

/**
 * The name of a migrated database on the test server that test databases are copied from,
 * `paiid_tpl_<hash of the migrations>`. The first test process to need it builds it under a
 * different name and renames it when complete, holding an advisory lock so parallel processes
 * wait for it instead of building their own; nothing ever connects to it afterwards, which
 * copying requires.
 */
function serverTemplate(): Promise<string> {
  return serverTemplateName ??= (async () => {
    const name = `paiid_tpl_${(await migrationsHash()).slice(0, 16)}`;
    const sql = postgres(testServerUrl()!, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`select pg_advisory_lock(${SERVER_TEMPLATE_LOCK})`);
      const found = await sql`select 1 from pg_database where datname = ${name}`;
      if (found.length > 0) return name;
      const building = `${name}_${crypto.randomUUID().slice(0, 8)}`;
      await sql.unsafe(`create database ${building}`);
      try {
        const url = new URL(testServerUrl()!);
        url.pathname = `/${building}`;
        await migrateAt(url.href);
        await sql.unsafe(`alter database ${building} rename to ${name}`);
      } catch (error) {
        await sql.unsafe(`drop database if exists ${building} with (force)`);
        throw error;
      }
      return name;
    } finally {
      // Ending the session releases the advisory lock.
      await sql.end({ timeout: 5 });
    }
  })();
}

let emptyTemplate: Promise<Blob> | undefined;
let migratedTemplate: Promise<Blob> | undefined;

/**
 * Where PGlite templates are kept between test processes: `PAIID_TEST_TEMPLATE_DIR`, by default
 * a folder in the system's temp dir. `.ci/run` points it at a folder of its own, so each CI run
 * builds them once.
 */
export function templateDir(): string {
  return Deno.env.get("PAIID_TEST_TEMPLATE_DIR") || join(tmpdir(), "paiid-pglite-templates");
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A hash of the PGlite release and every migration's file name and checksum. */
async function migrationsHash(): Promise<string> {
  const parts = [import.meta.resolve("@electric-sql/pglite")];
  for (const m of await loadMigrations()) parts.push(`${m.file}:${m.checksum}`);
  return await sha256Hex(parts.join("\n"));
}

/**
 * The template's file name: a hash of the PGlite release and, for the migrated one, of every
 * migration, so an added or changed migration (or a PGlite upgrade) never loads a stale dump.
 */
async function templateFile(migrated: boolean): Promise<string> {
  const hash = migrated
    ? await migrationsHash()
    : await sha256Hex(import.meta.resolve("@electric-sql/pglite"));
  const kind = migrated ? "migrated" : "empty";
  return join(templateDir(), `${kind}-${hash.slice(0, 24)}.tar`);
}

/**
 * Loads the dump in `file`, or builds it and stores it for the next test process. Processes that
 * miss at the same time each build one; each writes a name of its own and renames it into place,
 * so a reader sees a whole dump or none, and the last rename wins with identical content.
 */
async function cachedDump(file: string, build: () => Promise<Blob>): Promise<Blob> {
  try {
    return new Blob([await Deno.readFile(file)]);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const dump = await build();
  await Deno.mkdir(templateDir(), { recursive: true });
  const partial = `${file}.${crypto.randomUUID()}.partial`;
  try {
    await Deno.writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await Deno.rename(partial, file);
  } finally {
    await Deno.remove(partial).catch(() => {});
  }
  return dump;
}

// initdb dominates PGlite's start-up (about 3 s) and migrating adds more; loading a dump of an
// initialised database takes about half of initdb. Each template is therefore built once per
// machine (per migration set), and each test process reads it at most once.
function pgliteTemplate(migrated: boolean): Promise<Blob> {
  if (!migrated) {
    return emptyTemplate ??= (async () =>
      cachedDump(await templateFile(false), async () => {
        const db = await openPglite("memory://");
        try {
          return await db.dumpDataDir();
        } finally {
          await db.close();
        }
      }))();
  }
  return migratedTemplate ??= (async () =>
    cachedDump(await templateFile(true), async () => {
      const db = await openPglite("memory://", { loadDataDir: await pgliteTemplate(false) });
      try {
        await migrate(db);
        return await db.dumpDataDir();
      } finally {
        await db.close();
      }
    }))();
}

/** A fresh in-memory PGlite, migrated unless asked otherwise. */
export async function freshPglite(options: { migrated?: boolean } = {}): Promise<Database> {
  return await openPglite("memory://", {
    loadDataDir: await pgliteTemplate(options.migrated ?? true),
  });
}

/**
 * Puts the migrated template where the app keeps its embedded database in `dataDir` (DATA_DIR),
 * so an app process started on it skips initdb and the migrations, seconds each.
 */
export async function seedPgliteDataDir(dataDir: string): Promise<void> {
  await cp(await seededTemplateDir(), pgliteDir(dataDir), { recursive: true });
}

let seededTemplate: Promise<string> | undefined;

/**
 * The migrated template as a PGlite data directory on disk, built once per machine (per migration
 * set) beside the dumps. Copying its files takes about 0.1 s; loading the dump into a PGlite that
 * writes it out took over 2 s of CPU per app process a test started. Built under a name of its
 * own and renamed into place, so a reader sees a whole directory or none.
 */
function seededTemplateDir(): Promise<string> {
  return seededTemplate ??= (async () => {
    const dir = (await templateFile(true)).replace(/\.tar$/, ".pgdata");
    if (await isDirectory(dir)) return dir;
    await Deno.mkdir(templateDir(), { recursive: true });
    const partial = `${dir}.${crypto.randomUUID()}.partial`;
    try {
      const db = await openPglite(partial, { loadDataDir: await pgliteTemplate(true) });
      await db.close();
      // The lock file is openPglite's, not the database's: each copy gets its own.
      await Deno.remove(join(partial, "paiid.lock"));
      // Another process may have renamed its twin into place first; either copy will do.
      await Deno.rename(partial, dir).catch(async (error) => {
        if (!await isDirectory(dir)) throw error;
      });
    } finally {
      await Deno.remove(partial, { recursive: true }).catch(() => {});
    }
    return dir;
  })().catch((error) => {
    seededTemplate = undefined; // the next app start tries again
    throw error;
  });
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * One migrated PGlite per test process, handed to each `withTestDatabases` test and each app
 * under test (`leaseTestPglite`) in turn: loading the template costs about 1.5 s of CPU per
 * database, a reset about 30 ms. When it comes back open (for a database test, only after the
 * test passed), every table is emptied and its identities restarted, and tables the test created
 * are dropped; anything else (a failed database test, a closed database, a migrated table gone,
 * a second database back while the pool holds one) closes it, and the next test loads a fresh
 * one.
 */
let pooled: Database | null = null;
/** The migrated template's tables, read from the first database before any test touched it. */
let migratedTables: string[] | undefined;

const PUBLIC_TABLES = `select tablename from pg_tables where schemaname = 'public'
  and tablename <> 'schema_migrations' order by tablename`;

async function publicTables(db: Database): Promise<string[]> {
  return (await db.query<{ tablename: string }>(PUBLIC_TABLES)).map((r) => r.tablename);
}

async function leaseMigratedPglite(): Promise<Database> {
  const db = pooled ?? await freshPglite();
  pooled = null;
  migratedTables ??= await publicTables(db);
  return db;
}

async function returnMigratedPglite(db: Database): Promise<boolean> {
  // The pool keeps one: a second database back at the same time (two apps at once) is closed.
  if (pooled) return false;
  try {
    const tables = migratedTables!;
    const now = await publicTables(db);
    if (!tables.every((t) => now.includes(t))) return false;
    const extra = now.filter((t) => !tables.includes(t));
    const quoted = (names: string[]) => names.map((t) => `"${t}"`).join(", ");
    await db.exec(
      // Replica mode keeps the append-only audit triggers from refusing the TRUNCATE.
      `${extra.length ? `drop table ${quoted(extra)} cascade;` : ""}
       set session_replication_role = replica;
       truncate table ${quoted(tables)} restart identity cascade;
       set session_replication_role = origin;
       select pg_advisory_unlock_all();`,
    );
    pooled = db;
    return true;
  } catch {
    return false;
  }
}

/**
 * A migrated in-memory PGlite for one app under test (tests/_harness.ts), from the same pool as
 * `withTestDatabases`: its `close` empties it and hands it to the next test of this process
 * instead of throwing it away, which saves loading the template (about a second of CPU) per
 * app-level test. After `close` every call on it throws, so a straggler of the closed app can
 * never write into the next test's database.
 */
export async function leaseTestPglite(): Promise<Database> {
  const db = await leaseMigratedPglite();
  let closed = false;
  let closing: Promise<void> | undefined;
  const open = () => {
    if (closed) throw new Error("the database is closed");
    return db;
  };
  return {
    kind: db.kind,
    query: async (sql, params) => await open().query(sql, params),
    exec: async (sql) => await open().exec(sql),
    transaction: async (fn) => await open().transaction(fn),
    ping: async () => await open().ping(),
    close: () =>
      closing ??= (async () => {
        closed = true;
        if (!await returnMigratedPglite(db)) await db.close();
      })(),
  };
}

/**
 * Closes the database the pool holds. A test process need not: the runner exits when its tests
 * end. A script that opened apps under test (the benchmarks) must, since an open PGlite re-arms a
 * timer of its own and keeps the process alive.
 */
export async function closeTestPglitePool(): Promise<void> {
  const db = pooled;
  pooled = null;
  await db?.close();
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
          const db = migrated ? await leaseMigratedPglite() : await freshPglite({ migrated });
          let passed = false;
          try {
            await fn(db);
            passed = true;
          } finally {
            if (!(migrated && passed && await returnMigratedPglite(db))) await db.close();
          }
          return;
        }
        const server = await createServerDatabase({ migrated });
        try {
          const db = openPostgres(server.url, { poolSize: 4 });
          try {
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
