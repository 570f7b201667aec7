import assert from "node:assert/strict";
import { loadMigrations, migrate, MigrationError, MIGRATIONS_DIR } from "./migrate.ts";
import { openDatabase } from "./mod.ts";
import { createServerDatabase, testServerUrl, withTestDatabases } from "./testing.ts";

async function tempMigrations(files: Record<string, string>): Promise<URL> {
  const dir = await Deno.makeTempDir({ prefix: "paiid_migrations_" });
  for (const [name, sql] of Object.entries(files)) await Deno.writeTextFile(`${dir}/${name}`, sql);
  return new URL(`file://${dir}/`);
}

async function removeDir(dir: URL): Promise<void> {
  await Deno.remove(dir, { recursive: true });
}

Deno.test("the shipped migrations load in version order with checksums", async () => {
  const migrations = await loadMigrations();
  assert.ok(migrations.length >= 1);
  assert.equal(migrations[0].file, "0001_initial.sql");
  assert.equal(migrations[0].version, 1);
  assert.equal(migrations[0].name, "initial");
  assert.match(migrations[0].checksum, /^[0-9a-f]{64}$/);
  for (let i = 1; i < migrations.length; i++) {
    assert.ok(migrations[i].version > migrations[i - 1].version);
  }
  assert.ok(MIGRATIONS_DIR.href.endsWith("/lib/db/migrations/"));
});

Deno.test("loading works from any working directory", async () => {
  // In a child process: Deno.chdir here would move every test running in parallel with this one.
  const elsewhere = await Deno.makeTempDir();
  try {
    const script = `const { loadMigrations } = await import(${
      JSON.stringify(new URL("./migrate.ts", import.meta.url).href)
    }); console.log((await loadMigrations())[0].file);`;
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-config", script],
      cwd: elsewhere,
      stdin: "null",
    }).output();
    const dec = new TextDecoder();
    assert.equal(code, 0, dec.decode(stderr));
    assert.equal(dec.decode(stdout).trim(), "0001_initial.sql");
  } finally {
    await Deno.remove(elsewhere);
  }
});

Deno.test("badly named or duplicate migration files are refused", async () => {
  const badName = await tempMigrations({ "1_x.sql": "select 1" });
  const duplicate = await tempMigrations({ "0001_a.sql": "select 1", "0001_b.sql": "select 1" });
  try {
    await assert.rejects(loadMigrations(badName), (e) => e instanceof MigrationError);
    await assert.rejects(loadMigrations(duplicate), /0001_a\.sql and 0001_b\.sql/);
  } finally {
    await removeDir(badName);
    await removeDir(duplicate);
  }
});

Deno.test("CRLF line endings do not change a checksum", async () => {
  const lf = await tempMigrations({ "0001_a.sql": "select 1;\nselect 2;\n" });
  const crlf = await tempMigrations({ "0001_a.sql": "select 1;\r\nselect 2;\r\n" });
  try {
    assert.equal((await loadMigrations(lf))[0].checksum, (await loadMigrations(crlf))[0].checksum);
  } finally {
    await removeDir(lf);
    await removeDir(crlf);
  }
});

withTestDatabases("migrations apply once and are recorded", async (db) => {
  const shipped = await loadMigrations();
  const first = await migrate(db);
  assert.deepEqual(first.applied.map((m) => m.file), shipped.map((m) => m.file));
  assert.deepEqual(first.unknown, []);

  const rows = await db.query<
    { version: number; name: string; checksum: string; applied_at: Date }
  >("select version, name, checksum, applied_at from schema_migrations order by version");
  assert.deepEqual(
    rows.map(({ version, name, checksum }) => ({ version, name, checksum })),
    shipped.map(({ version, name, checksum }) => ({ version, name, checksum })),
  );
  for (const row of rows) assert.ok(row.applied_at instanceof Date);

  const second = await migrate(db);
  assert.deepEqual(second.applied, []);
  assert.equal(
    (await db.query<{ n: number }>("select count(*) as n from schema_migrations"))[0].n,
    shipped.length,
  );
}, { migrated: false });

withTestDatabases(
  "a migration edited after it was applied is an error naming the file",
  async (db) => {
    const dir = await tempMigrations({
      "0001_first.sql": "create table a (x int);",
      "0002_second.sql": "create table b (x int);",
    });
    try {
      assert.equal((await migrate(db, { dir })).applied.length, 2);
      await Deno.writeTextFile(new URL("0002_second.sql", dir), "create table b (x bigint);");
      await Deno.writeTextFile(new URL("0003_third.sql", dir), "create table c (x int);");
      await assert.rejects(
        migrate(db, { dir }),
        (error) =>
          error instanceof MigrationError && /0002_second\.sql was changed/.test(error.message),
      );
      // Nothing after the bad file ran either.
      assert.deepEqual(await db.query("select to_regclass('c') is null as missing"), [
        { missing: true },
      ]);
    } finally {
      await removeDir(dir);
    }
  },
  { migrated: false },
);

withTestDatabases("a failing migration rolls back every pending migration", async (db) => {
  const dir = await tempMigrations({
    "0001_ok.sql": "create table ok (x int);",
    "0002_broken.sql": "create table broken (x int);\nselect no_such_function();",
  });
  try {
    await assert.rejects(
      migrate(db, { dir }),
      (error) => error instanceof MigrationError && /0002_broken\.sql failed/.test(error.message),
    );
    assert.deepEqual(
      await db.query(
        `select to_regclass('ok') is null as no_ok, to_regclass('broken') is null as no_broken,
           to_regclass('schema_migrations') is null as no_table`,
      ),
      [{ no_ok: true, no_broken: true, no_table: true }],
    );
  } finally {
    await removeDir(dir);
  }
}, { migrated: false });

withTestDatabases("versions recorded by a newer release are reported, not fatal", async (db) => {
  await migrate(db);
  await db.query("insert into schema_migrations (version, name, checksum) values (9999, 'x', 'y')");
  assert.deepEqual((await migrate(db)).unknown, [9999]);
}, { migrated: false });

Deno.test({
  name: "db[postgres] two pools migrating one fresh database at once both succeed",
  ignore: !testServerUrl(),
  fn: async () => {
    const server = await createServerDatabase();
    try {
      const dbs = await Promise.all([
        openDatabase({ url: server.url, dataDir: "unused", poolSize: 2 }),
        openDatabase({ url: server.url, dataDir: "unused", poolSize: 2 }),
      ]);
      try {
        const shipped = await loadMigrations();
        const rows = await dbs[0].query<{ version: number; n: number }>(
          "select version, count(*) as n from schema_migrations group by version order by version",
        );
        assert.deepEqual(rows, shipped.map((m) => ({ version: m.version, n: 1 })));
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
      }
    } finally {
      await server.drop();
    }
  },
});
