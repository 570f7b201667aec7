/** API token use against a real database: the use is written at most once a minute. */
import assert from "node:assert/strict";
import { createTestUser, withTestDatabases } from "../db/testing.ts";
import {
  authenticateApiToken,
  createApiToken,
  listApiTokens,
  revokeApiToken,
} from "./api_tokens.ts";

withTestDatabases(
  "api tokens: last use is written once, then left alone within the minute",
  async (db) => {
    const userId = await createTestUser(db);
    const { token, record } = await createApiToken(db, userId, "script");
    assert.equal(record.lastUsedAt, null);

    const first = await authenticateApiToken(db, token);
    assert.equal(first?.user.id, userId);
    assert.equal(first?.tokenId, record.id);
    const [afterFirst] = await listApiTokens(db, userId);
    assert.ok(afterFirst.lastUsedAt, "first use recorded");

    await authenticateApiToken(db, token);
    const [afterSecond] = await listApiTokens(db, userId);
    assert.equal(afterSecond.lastUsedAt, afterFirst.lastUsedAt, "not rewritten within a minute");

    // Older than a minute: the next use moves it forward.
    await db.query(
      `update api_tokens set last_used_at = now() - interval '2 minutes' where id = $1`,
      [
        record.id,
      ],
    );
    const [aged] = await listApiTokens(db, userId);
    await authenticateApiToken(db, token);
    const [afterThird] = await listApiTokens(db, userId);
    assert.ok(
      Date.parse(afterThird.lastUsedAt!) > Date.parse(aged.lastUsedAt!),
      "stale use refreshed",
    );

    assert.ok(await revokeApiToken(db, userId, record.id));
    assert.equal(await authenticateApiToken(db, token), undefined, "revoked token refused");
    assert.equal(await authenticateApiToken(db, "paiid_" + "x".repeat(43)), undefined);
  },
);
