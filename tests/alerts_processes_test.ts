/**
 * Two app processes on one PostgreSQL database and one KV file, replaying the same market: an
 * alert whose condition already holds is judged by both engines, quote after quote, and fires
 * exactly once. (Server database only: two processes cannot share an embedded one.)
 */
import assert from "node:assert/strict";
import { createServerDatabase, testServerUrl } from "../lib/db/testing.ts";
import { openDatabase } from "../lib/db/mod.ts";
import { startApp } from "./_app_process.ts";
import { fastReplayEnv } from "./_replay_env.ts";
import { TEST_PASSWORD, uniqueName } from "./_auth.ts";

async function health(url: string) {
  return (await (await fetch(`${url}/api/health`)).json()).alerts;
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test({
  name: "two processes judge the same crossing; the alert fires once",
  ignore: !testServerUrl(),
  fn: async () => {
    const database = await createServerDatabase({ migrated: true });
    const shared = await Deno.makeTempDir({ prefix: "paiid-kv-" });
    const env = {
      ...fastReplayEnv(Date.now() + 5_000),
      DATABASE_URL: database.url,
      DENO_KV_PATH: `${shared}/kv.sqlite`,
      JWT_SECRET: "two-processes-test-secret-0123456789abcdef",
      LOG_LEVEL: "warn",
    };
    const apps = await Promise.all([startApp({ env }), startApp({ env })]);
    const db = await openDatabase({ url: database.url, dataDir: "/nonexistent" });
    try {
      const [a, b] = apps;
      const username = uniqueName("twin");
      const signup = await fetch(`${a.url}/api/auth/signup`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          username,
          email: `${username}@example.test`,
          password: TEST_PASSWORD,
        }),
      });
      assert.equal(signup.status, 201);
      const { accessToken } = await signup.json();
      const quote = await (await fetch(`${a.url}/api/market/quote/AAPL`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      })).json();
      // Already met, and fires at most once a session: every quote on either instance is a
      // chance to fire it again, and only the versioned state says no.
      const created = await fetch(`${a.url}/api/alerts`, {
        method: "POST",
        headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          symbol: "AAPL",
          condition: "price_above",
          threshold: Math.round(quote.last * 0.5 * 100) / 100,
          rearm: "session",
        }),
      });
      assert.equal(created.status, 201, await created.clone().text());
      assert.equal((await created.json()).now.alreadyMet, true);

      await waitFor(async () => {
        const [x, y] = await Promise.all([health(a.url), health(b.url)]);
        return x.fired + y.fired >= 1;
      }, "a firing");
      // Both engines go on judging AAPL quotes with the condition met.
      const after = await Promise.all([health(a.url), health(b.url)]);
      await waitFor(async () => {
        const [x, y] = await Promise.all([health(a.url), health(b.url)]);
        return x.judged >= after[0].judged + 5 && y.judged >= after[1].judged + 5;
      }, "both instances judging later quotes");

      const [x, y] = await Promise.all([health(a.url), health(b.url)]);
      assert.equal(x.following, 1);
      assert.equal(y.following, 1);
      assert.equal(x.fired + y.fired, 1, JSON.stringify({ x, y }));
      const rows = await db.query<{ n: number }>(
        "select count(*)::int as n from notifications where kind = 'alert'",
      );
      assert.equal(rows[0].n, 1);
      const [alert] = await db.query<{ fired_count: number }>(
        "select fired_count from price_alerts",
      );
      assert.equal(alert.fired_count, 1);
    } finally {
      await db.close();
      await Promise.all(apps.map((app) => app.stop()));
      await database.drop();
      await Deno.remove(shared, { recursive: true }).catch(() => {});
    }
  },
});
