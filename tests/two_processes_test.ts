/** Two app processes started at once against one fresh PostgreSQL database both come up. */
import { equal } from "node:assert/strict";
import { createServerDatabase, testServerUrl } from "../lib/db/testing.ts";
import { openDatabase } from "../lib/db/mod.ts";
import { startApp } from "./_app_process.ts";

Deno.test({
  name: "two app processes on one fresh server database: both healthy, each migration once",
  ignore: !testServerUrl(),
  fn: async () => {
    const database = await createServerDatabase();
    try {
      const env = { DATABASE_URL: database.url, LOG_LEVEL: "warn" };
      const apps = await Promise.all([startApp({ env }), startApp({ env })]);
      try {
        for (const app of apps) {
          const res = await fetch(`${app.url}/api/health`);
          equal(res.status, 200);
          equal((await res.json()).services.database.state, "up");
        }
      } finally {
        await Promise.all(apps.map((a) => a.stop()));
      }
      const db = await openDatabase({ url: database.url, dataDir: "/nonexistent" });
      try {
        const rows = await db.query<{ version: number; n: number }>(
          "select version, count(*)::int as n from schema_migrations group by version",
        );
        equal(rows.length > 0, true);
        for (const row of rows) equal(row.n, 1, `migration ${row.version}`);
      } finally {
        await db.close();
      }
    } finally {
      await database.drop();
    }
  },
});
