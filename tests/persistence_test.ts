/** Runtime state lives in DATA_DIR (embedded Postgres + KV file) and survives a restart. */
import { deepEqual, equal } from "node:assert/strict";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { closeServices, openServices } from "../lib/server.ts";
import { openDatabase } from "../lib/db/mod.ts";
import { startApp } from "./_app_process.ts";

const quiet = createLogger("silent");

Deno.test("a row and a KV entry written before a restart are there after it (embedded)", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "paiid-restart-" });
  try {
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = await openServices(config, quiet);
    await first.db.query(
      "insert into users (username, email, password_hash) values ($1, $2, $3)",
      ["ada", "ada@example.com", "x"],
    );
    await first.kv.set(["restart", "marker"], "kept");
    await closeServices(first);

    const second = await openServices(config, quiet);
    try {
      const rows = await second.db.query<{ username: string }>("select username from users");
      deepEqual(rows.map((r) => r.username), ["ada"]);
      equal((await second.kv.get(["restart", "marker"])).value, "kept");
    } finally {
      await closeServices(second);
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test({
  name: "main.ts started twice on one DATA_DIR reuses its database: migrations ran once",
  // The server run of CI points the app at DATABASE_URL; this test is about the embedded one.
  ignore: Boolean(Deno.env.get("DATABASE_URL")),
  fn: async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "paiid-restart-" });
    try {
      let betweenRuns = new Date();
      for (let run = 0; run < 2; run++) {
        const app = await startApp({ dataDir, env: { LOG_LEVEL: "warn" } });
        const health = await (await fetch(`${app.url}/api/health`)).json();
        equal(health.services.database.mode, "pglite");
        await app.stop();
        if (run === 0) betweenRuns = new Date();
      }
      const db = await openDatabase({ dataDir });
      try {
        const rows = await db.query<{ version: number; n: number; last: Date }>(
          "select version, count(*)::int as n, max(applied_at) as last from schema_migrations group by version",
        );
        equal(rows.length > 0, true);
        for (const row of rows) {
          equal(row.n, 1);
          // Applied by the first run: the second found the database and had nothing to do.
          equal(row.last < betweenRuns, true);
        }
      } finally {
        await db.close();
      }
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
