import { deepEqual, equal } from "node:assert/strict";
import { createTestUser, withTestDatabases } from "../db/testing.ts";
import { getDefaultWatchlist, setDefaultWatchlist } from "./repo.ts";

withTestDatabases(
  "the default watchlist is created once, replaced in order, per user",
  async (db) => {
    const a = await createTestUser(db);
    const b = await createTestUser(db);
    equal(await getDefaultWatchlist(db, a), null);
    const first = await db.transaction((tx) => setDefaultWatchlist(tx, a, ["MSFT", "AAPL"]));
    deepEqual((await getDefaultWatchlist(db, a))?.symbols, ["MSFT", "AAPL"]);
    const second = await db.transaction((tx) => setDefaultWatchlist(tx, a, ["KO", "SPY", "AAPL"]));
    equal(second.id, first.id);
    deepEqual((await getDefaultWatchlist(db, a))?.symbols, ["KO", "SPY", "AAPL"]);
    equal(await getDefaultWatchlist(db, b), null);
    const [{ n }] = await db.query<{ n: number }>(
      "select count(*)::int as n from watchlists where user_id = $1",
      [a],
    );
    equal(n, 1);
  },
);
