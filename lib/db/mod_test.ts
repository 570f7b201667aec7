import assert from "node:assert/strict";
import { loadMigrations } from "./migrate.ts";
import { describeDatabase, openDatabase } from "./mod.ts";
import { openPostgres } from "./postgres.ts";
import { createServerDatabase, testServerUrl } from "./testing.ts";

Deno.test("describeDatabase names the backend and never the credentials", () => {
  assert.equal(describeDatabase({ dataDir: "./data" }), "pglite (./data/pg)");
  assert.equal(
    describeDatabase({ url: "", dataDir: "/var/lib/paiid/" }),
    "pglite (/var/lib/paiid/pg)",
  );
  assert.equal(
    describeDatabase({ url: "postgres://root@127.0.0.1:5432/test", dataDir: "x" }),
    "postgres (127.0.0.1:5432/test)",
  );
  assert.equal(
    describeDatabase({ url: "postgresql://db.internal/app?sslmode=require", dataDir: "x" }),
    "postgres (db.internal:5432/app)",
  );
  for (
    const url of [
      "postgres://admin:s3cret@db:6543/app",
      "postgres://admin:p@ss/w?rd#s3cret@db:6543/app",
      "postgres://admin%40corp:s3cret%2F@db:6543/app",
    ]
  ) {
    const described = describeDatabase({ url, dataDir: "x" });
    assert.equal(described, "postgres (db:6543/app)", url);
    assert.ok(!/admin|s3cret|ss|rd/.test(described));
  }
  assert.equal(
    describeDatabase({ url: "postgres://u:pw@h1:5432,h2:5433/app", dataDir: "x" }),
    "postgres (h1:5432,h2:5433/app)",
  );
  assert.equal(
    describeDatabase({ url: "host=db password=s3cret", dataDir: "x" }),
    "postgres (unparsable URL)",
  );
});

Deno.test("db[pglite] openDatabase persists in dataDir/pg, migrated, one process at a time", async () => {
  const dataDir = `${await Deno.makeTempDir({ prefix: "paiid_data_" })}/nested/data`;
  try {
    const db = await openDatabase({ dataDir });
    try {
      assert.equal(db.kind, "pglite");
      assert.ok((await Deno.stat(`${dataDir}/pg/PG_VERSION`)).isFile);
      await db.query("insert into users (username, email, password_hash) values ('a', 'a@x', 'h')");
      await assert.rejects(openDatabase({ dataDir }), /already open/);
    } finally {
      await db.close();
    }

    const again = await openDatabase({ dataDir });
    try {
      assert.deepEqual(await again.query("select username from users"), [{ username: "a" }]);
      const versions = await again.query<{ version: number }>(
        "select version from schema_migrations order by version",
      );
      assert.deepEqual(
        versions.map((r) => r.version),
        (await loadMigrations()).map((m) => m.version),
      );
    } finally {
      await again.close();
    }
  } finally {
    await Deno.remove(dataDir.replace(/\/nested\/data$/, ""), { recursive: true });
  }
});

Deno.test({
  name: "db[postgres] openDatabase with a URL uses the server, migrated",
  ignore: !testServerUrl(),
  fn: async () => {
    const server = await createServerDatabase();
    try {
      const db = await openDatabase({ url: server.url, dataDir: "unused", poolSize: 2 });
      try {
        assert.equal(db.kind, "postgres");
        assert.deepEqual(await db.query("select to_regclass('users') is not null as ok"), [
          { ok: true },
        ]);
        assert.ok((await db.ping()) >= 0);
      } finally {
        await db.close();
      }
    } finally {
      await server.drop();
    }
  },
});

Deno.test("an unreachable server fails openDatabase and ping", async () => {
  // Port 1 on loopback refuses at once, so this needs no server and no timeout.
  const url = "postgres://nobody:s3cret@127.0.0.1:1/none";
  await assert.rejects(openDatabase({ url, dataDir: "x" }), (error: Error) => {
    assert.ok(!error.message.includes("s3cret"));
    return true;
  });
  const db = openPostgres(url);
  try {
    await assert.rejects(db.ping());
  } finally {
    await db.close();
  }
});

Deno.test({
  name: "db[postgres] statements are kept prepared on the connection, unless prepare is false",
  ignore: !testServerUrl(),
  fn: async () => {
    const server = await createServerDatabase();
    const kept = async (prepare: boolean) => {
      const db = openPostgres(server.url, { poolSize: 1, prepare });
      try {
        for (let i = 0; i < 3; i++) await db.query("select $1::int + 1 as n", [i]);
        const [{ n }] = await db.query<{ n: number }>(
          "select count(*)::int as n from pg_prepared_statements where statement like $1",
          ["%$1::int + 1 as n%"],
        );
        return n;
      } finally {
        await db.close();
      }
    };
    try {
      assert.equal(await kept(true), 1);
      assert.equal(await kept(false), 0);
    } finally {
      await server.drop();
    }
  },
});
