/** `/api/watchlists` over the real replay symbols: lists, order, validation, limits, isolation. */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { MAX_LISTS } from "../lib/watchlists/repo.ts";

async function withApp(fn: (t: TestApp) => Promise<void>) {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

Deno.test("watchlists: create, add, reorder, remove, rename, delete", async () => {
  await withApp(async (t) => {
    const s = { t, bearer: (await signUp(t.app)).bearer };
    assert.deepEqual((await call(s, "GET", "/api/watchlists")).body, { watchlists: [] });
    const made = await call(s, "POST", "/api/watchlists", {
      name: "Tech",
      symbols: ["aapl", "MSFT", "AAPL"],
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const { id, isDefault, symbols } = made.body.watchlist;
    assert.equal(isDefault, true, "the first list is the default");
    assert.deepEqual(symbols, ["AAPL", "MSFT"], "canonical, once each");
    const second = await call(s, "POST", "/api/watchlists", { name: "Energy" });
    assert.equal(second.body.watchlist.isDefault, false);

    const added = await call(s, "POST", `/api/watchlists/${id}/symbols`, { symbol: "ko" });
    assert.deepEqual(added.body.watchlist.symbols, ["AAPL", "MSFT", "KO"]);
    const again = await call(s, "POST", `/api/watchlists/${id}/symbols`, { symbol: "KO" });
    assert.deepEqual(again.body.watchlist.symbols, ["AAPL", "MSFT", "KO"], "no duplicate");
    const reordered = await call(s, "PATCH", `/api/watchlists/${id}`, {
      name: "Megacaps",
      symbols: ["KO", "AAPL", "MSFT"],
    });
    assert.deepEqual(reordered.body.watchlist, {
      id,
      name: "Megacaps",
      isDefault: true,
      symbols: ["KO", "AAPL", "MSFT"],
    });
    const removed = await call(s, "DELETE", `/api/watchlists/${id}/symbols/AAPL`);
    assert.deepEqual(removed.body.watchlist.symbols, ["KO", "MSFT"]);
    const all = (await call(s, "GET", "/api/watchlists")).body.watchlists;
    assert.deepEqual(all.map((w: { name: string }) => w.name), ["Megacaps", "Energy"]);
    assert.equal((await call(s, "DELETE", `/api/watchlists/${id}`)).status, 204);
    assert.equal((await call(s, "GET", `/api/watchlists/${id}`)).status, 404);
  });
});

Deno.test("watchlists: unknown and malformed symbols, bad bodies and limits are refused", async () => {
  await withApp(async (t) => {
    const s = { t, bearer: (await signUp(t.app)).bearer };
    const unknown = await call(s, "POST", "/api/watchlists", { name: "X", symbols: ["ZZZZZ"] });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, "unknown_symbols");
    assert.match(unknown.body.error.message, /ZZZZZ/);
    assert.equal((await call(s, "POST", "/api/watchlists", { name: "" })).status, 400);
    assert.equal((await call(s, "POST", "/api/watchlists", { name: "X", extra: 1 })).status, 400);
    assert.equal(
      (await call(s, "POST", "/api/watchlists", { name: "X", symbols: ["$$"] })).status,
      400,
    );
    assert.equal((await call(s, "POST", "/api/watchlists", "{")).status, 400);
    for (let i = 0; i < MAX_LISTS; i++) {
      assert.equal((await call(s, "POST", "/api/watchlists", { name: `L${i}` })).status, 201);
    }
    const over = await call(s, "POST", "/api/watchlists", { name: "one too many" });
    assert.equal(over.status, 422);
    assert.equal(over.body.error.code, "watchlist_limit");
  });
});

Deno.test("watchlists: another user's list is a 404 for every verb", async () => {
  await withApp(async (t) => {
    const a = { t, bearer: (await signUp(t.app)).bearer };
    const b = { t, bearer: (await signUp(t.app)).bearer };
    const { id } = (await call(a, "POST", "/api/watchlists", { name: "Mine", symbols: ["AAPL"] }))
      .body.watchlist;
    assert.equal((await call(b, "GET", `/api/watchlists/${id}`)).status, 404);
    assert.equal((await call(b, "PATCH", `/api/watchlists/${id}`, { name: "Taken" })).status, 404);
    assert.equal(
      (await call(b, "POST", `/api/watchlists/${id}/symbols`, { symbol: "KO" })).status,
      404,
    );
    assert.equal((await call(b, "DELETE", `/api/watchlists/${id}/symbols/AAPL`)).status, 404);
    assert.equal((await call(b, "DELETE", `/api/watchlists/${id}`)).status, 404);
    assert.equal((await call(b, "GET", "/api/watchlists/not-a-number")).status, 404);
    assert.deepEqual((await call(b, "GET", "/api/watchlists")).body.watchlists, []);
    const mine = (await call(a, "GET", `/api/watchlists/${id}`)).body.watchlist;
    assert.deepEqual([mine.name, mine.symbols], ["Mine", ["AAPL"]]);
  });
});
