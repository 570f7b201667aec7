/** Per-user data: user B can never read, change or delete user A's rows (404, never the data). */
import { deepEqual, equal, notEqual } from "node:assert/strict";
import { openTestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { deleteOwned, getOwned, listOwned, type OwnedTable, updateOwned } from "../lib/db/owned.ts";

const send = (method: string, headers: Record<string, string>, body?: unknown) => ({
  method,
  headers: { "Content-Type": "application/json", ...headers },
  body: body === undefined ? undefined : JSON.stringify(body),
});

Deno.test("isolation over HTTP: settings, sessions, API tokens and profiles", async () => {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    const b = await signUp(t.app);

    // Settings are per user: B's changes never reach A.
    await t.app.request("/api/settings", send("PATCH", a.bearer, { watchlist: ["NVDA"] }));
    const bPatch = await t.app.request(
      "/api/settings",
      send("PATCH", b.bearer, { theme: "light", riskTolerance: 99 }),
    );
    equal(bPatch.status, 200);
    const aSettings = (await (await t.app.request("/api/settings", { headers: a.bearer })).json())
      .settings;
    deepEqual(aSettings.watchlist, ["NVDA"]);
    equal(aSettings.theme, "dark");
    equal(aSettings.riskTolerance, 50);
    const bSettings = (await (await t.app.request("/api/settings", { headers: b.bearer })).json())
      .settings;
    deepEqual(bSettings.watchlist, ["SPY", "QQQ", "AAPL", "MSFT"], "B does not see A's list");
    await (await t.app.request("/api/settings", send("DELETE", b.bearer))).body?.cancel();
    equal(
      (await (await t.app.request("/api/settings", { headers: a.bearer })).json()).settings
        .watchlist[0],
      "NVDA",
      "B's reset leaves A alone",
    );

    // Sessions: B cannot end A's, and A's list never shows B's.
    const killA = await t.app.request(
      `/api/auth/sessions/${a.sessionId}`,
      send("DELETE", b.bearer),
    );
    equal(killA.status, 404);
    equal((await killA.json()).error.code, "not_found");
    equal((await t.app.request("/api/auth/me", { headers: a.bearer })).status, 200);
    const aSessions = await (await t.app.request("/api/auth/sessions", { headers: a.bearer }))
      .json();
    deepEqual(aSessions.sessions.map((s: { id: string }) => s.id), [a.sessionId]);

    // API tokens: B cannot list, revoke or see A's.
    const created = await (await t.app.request(
      "/api/auth/tokens",
      send("POST", a.bearer, { name: "a's script" }),
    )).json();
    const bList = await (await t.app.request("/api/auth/tokens", { headers: b.bearer })).json();
    deepEqual(bList.tokens, []);
    const revoke = await t.app.request(`/api/auth/tokens/${created.id}`, send("DELETE", b.bearer));
    equal(revoke.status, 404);
    await revoke.body?.cancel();
    const stillWorks = await t.app.request("/api/auth/me", {
      headers: { Authorization: `Bearer ${created.token}` },
    });
    equal((await stillWorks.json()).user.id, a.user.id);

    // Profiles: B (not an admin) gets 404 for A, whether A exists or not.
    const bobA = await t.app.request(`/api/users/${a.user.id}`, { headers: b.bearer });
    equal(bobA.status, 404);
    await bobA.body?.cancel();
    const nobody = await t.app.request(`/api/users/999999`, { headers: b.bearer });
    equal(nobody.status, 404);
    await nobody.body?.cancel();
    const own = await (await t.app.request(`/api/users/${b.user.id}`, { headers: b.bearer }))
      .json();
    equal(own.user.id, b.user.id);
  } finally {
    await t.close();
  }
});

Deno.test("isolation in data access: strategies, trades and recommendations are scoped", async () => {
  const t = await openTestApp();
  try {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const db = t.services.db;
    const [strategy] = await db.query<{ id: number }>(
      "insert into strategies (user_id, name, config) values ($1, 'iron condor', $2) returning id",
      [a.user.id, { legs: 4 }],
    );
    const [trade] = await db.query<{ id: number }>(
      `insert into trades (user_id, symbol, side, quantity, price)
       values ($1, 'AAPL', 'buy', 10, 150) returning id`,
      [a.user.id],
    );
    const [rec] = await db.query<{ id: number }>(
      `insert into ai_recommendations (user_id, symbol, action, confidence)
       values ($1, 'MSFT', 'buy', 70) returning id`,
      [a.user.id],
    );
    const cases: [OwnedTable, number, Record<string, unknown>][] = [
      ["strategies", strategy.id, { name: "stolen" }],
      ["trades", trade.id, { price: "1" }],
      ["ai_recommendations", rec.id, { action: "sell" }],
    ];
    for (const [table, id, change] of cases) {
      equal(await getOwned(db, table, b.user.id, id), undefined, `${table}: B reads`);
      deepEqual(await listOwned(db, table, b.user.id), [], `${table}: B lists`);
      equal(await updateOwned(db, table, b.user.id, id, change), false, `${table}: B changes`);
      equal(await deleteOwned(db, table, b.user.id, id), false, `${table}: B deletes`);
      const mine = await getOwned<Record<string, unknown>>(db, table, a.user.id, id);
      notEqual(mine, undefined, `${table}: A still has it`);
      for (const [k, v] of Object.entries(change)) notEqual(String(mine![k]), v, `${table}.${k}`);
      equal(await updateOwned(db, table, a.user.id, id, change), true, `${table}: A changes`);
      equal(await deleteOwned(db, table, a.user.id, id), true, `${table}: A deletes`);
    }
  } finally {
    await t.close();
  }
});
