import assert from "node:assert/strict";
import { createTestUser, freshPglite } from "../db/testing.ts";
import type { Queryable } from "../db/database.ts";
import { INVITE_TTL_MS, invitesToSetup, setupChanged, skipProfile } from "./profile.ts";

/** The database with a count of the profile reads made through it. */
function counting(db: Queryable) {
  const seen = { reads: 0 };
  const wrapped: Queryable = {
    ...db,
    query: ((sql: string, params?: unknown[]) => {
      if (sql.includes("from user_profiles")) seen.reads++;
      return db.query(sql, params);
    }) as Queryable["query"],
  } as Queryable;
  return { db: wrapped, seen };
}

Deno.test("the hub's setup invitation: a read at most every 30 s, none once the setup is done", async () => {
  const raw = await freshPglite();
  try {
    const userId = await createTestUser(raw);
    const { db, seen } = counting(raw);
    const t0 = 1_800_000_000_000;
    assert.equal(await invitesToSetup(db, userId, t0), true);
    assert.equal(await invitesToSetup(db, userId, t0 + 1_000), true);
    assert.equal(seen.reads, 1, "the 'not yet' answer is remembered");
    assert.equal(await invitesToSetup(db, userId, t0 + INVITE_TTL_MS + 1), true);
    assert.equal(seen.reads, 2, "and asked again after INVITE_TTL_MS");
    await skipProfile(raw, userId);
    setupChanged(db, userId);
    assert.equal(await invitesToSetup(db, userId, t0 + INVITE_TTL_MS + 2), false);
    assert.equal(await invitesToSetup(db, userId, t0 + 10 * INVITE_TTL_MS), false);
    assert.equal(seen.reads, 3, "done is remembered for good");
  } finally {
    await raw.close();
  }
});
