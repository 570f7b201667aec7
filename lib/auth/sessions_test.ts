/** Refresh rotation against a real database: the browser grace window and both expiries. */
import assert from "node:assert/strict";
import { createTestUser, withTestDatabases } from "../db/testing.ts";
import {
  BROWSER_REUSE_GRACE_MS,
  createSession,
  REFRESH_TTL_MS,
  rotateRefreshToken,
  SESSION_MAX_MS,
  sessionUser,
} from "./sessions.ts";

// Now-ish, since `sessionUser` compares against the database's clock.
const T0 = new Date(Math.floor(Date.now() / 1000) * 1000);
const at = (ms: number) => new Date(T0.getTime() + ms);

withTestDatabases(
  "sessions: a rotated token inside the grace gets access only, once past it the family dies",
  async (db) => {
    const userId = await createTestUser(db);
    const first = await createSession(db, userId, {}, T0);
    const rotated = await rotateRefreshToken(db, first.refreshToken, { now: at(1_000) });
    assert.equal(rotated.kind, "rotated");
    if (rotated.kind !== "rotated") return;
    assert.equal(rotated.sessionId, first.sessionId, "the family is kept");

    // A parallel browser request presents the old token right at the edge of the grace.
    const late = await rotateRefreshToken(db, first.refreshToken, {
      graceMs: BROWSER_REUSE_GRACE_MS,
      now: at(1_000 + BROWSER_REUSE_GRACE_MS),
    });
    assert.deepEqual(late, { kind: "grace", userId, sessionId: first.sessionId });
    assert.ok(await sessionUser(db, userId, first.sessionId), "grace revokes nothing");

    // One millisecond later it is a copied token: the whole family is revoked.
    const reused = await rotateRefreshToken(db, first.refreshToken, {
      graceMs: BROWSER_REUSE_GRACE_MS,
      now: at(1_001 + BROWSER_REUSE_GRACE_MS),
    });
    assert.deepEqual(reused, { kind: "reused", userId, sessionId: first.sessionId });
    assert.equal(await sessionUser(db, userId, first.sessionId), undefined);
    const successor = await rotateRefreshToken(db, rotated.refreshToken, { now: at(60_000) });
    assert.equal(successor.kind, "invalid", "the successor died with its family");
  },
);

withTestDatabases(
  "sessions: API clients get no grace; a reused token revokes at once",
  async (db) => {
    const userId = await createTestUser(db);
    const first = await createSession(db, userId, {}, T0);
    assert.equal(
      (await rotateRefreshToken(db, first.refreshToken, { now: at(1_000) })).kind,
      "rotated",
    );
    const again = await rotateRefreshToken(db, first.refreshToken, { now: at(1_001) });
    assert.deepEqual(again, { kind: "reused", userId, sessionId: first.sessionId });
  },
);

withTestDatabases(
  "sessions: a refresh token expires after 7 days, and a family after 30",
  async (db) => {
    const userId = await createTestUser(db);
    const one = await createSession(db, userId, {}, T0);
    assert.equal(one.expiresAt.getTime(), T0.getTime() + REFRESH_TTL_MS);
    const stale = await rotateRefreshToken(db, one.refreshToken, { now: at(REFRESH_TTL_MS) });
    assert.equal(stale.kind, "invalid", "expired at exactly 7 days");
    const fresh = await createSession(db, userId, {}, T0);
    const justIn = await rotateRefreshToken(db, fresh.refreshToken, {
      now: at(REFRESH_TTL_MS - 1),
    });
    assert.equal(justIn.kind, "rotated", "still good 1 ms before");

    // Rotating every 6 days keeps a family alive only until its absolute 30-day limit.
    let token = (await createSession(db, userId, {}, T0)).refreshToken;
    let now = 0;
    const sixDays = 6 * 24 * 60 * 60_000;
    const expiries: number[] = [];
    for (;;) {
      now += sixDays;
      const r = await rotateRefreshToken(db, token, { now: at(now) });
      if (r.kind !== "rotated") {
        assert.equal(r.kind, "invalid");
        break;
      }
      expiries.push(r.expiresAt.getTime() - T0.getTime());
      token = r.refreshToken;
    }
    assert.deepEqual(expiries, [
      sixDays + REFRESH_TTL_MS,
      2 * sixDays + REFRESH_TTL_MS,
      3 * sixDays + REFRESH_TTL_MS,
      SESSION_MAX_MS,
    ], "capped at the family's 30 days");
    assert.equal(now, SESSION_MAX_MS, "refused on day 30, the family's end");
  },
);
