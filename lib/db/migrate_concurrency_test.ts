import assert from "node:assert/strict";
import { loadMigrations } from "./migrate.ts";
import { openPostgres } from "./postgres.ts";
import { createServerDatabase, testServerUrl } from "./testing.ts";

const script = new URL("./testdata/open_database.ts", import.meta.url);
const config = new URL("../../deno.json", import.meta.url);

Deno.test({
  name: "db[postgres] two processes starting on one fresh database each migrate once",
  ignore: !testServerUrl(),
  fn: async () => {
    const server = await createServerDatabase();
    try {
      const children = Array.from({ length: 2 }, () =>
        new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "--config", config.pathname, script.pathname],
          env: { DATABASE_URL: server.url, NO_COLOR: "1" },
          stdout: "piped",
          stderr: "piped",
        }).output());
      const results = await Promise.all(children);
      for (const result of results) {
        assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
      }

      const db = openPostgres(server.url, { poolSize: 1 });
      try {
        const rows = await db.query<{ version: number; n: number }>(
          "select version, count(*) as n from schema_migrations group by version order by version",
        );
        const shipped = await loadMigrations();
        assert.deepEqual(rows, shipped.map((m) => ({ version: m.version, n: 1 })));
      } finally {
        await db.close();
      }
    } finally {
      await server.drop();
    }
  },
});
