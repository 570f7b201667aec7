import assert from "node:assert/strict";
import { SignJWT, UnsecuredJWT } from "jose";
import {
  ACCESS_TTL_SECONDS,
  signAccessToken,
  VerifiedTokens,
  verifyAccessToken,
} from "./tokens.ts";

const key = new TextEncoder().encode("k".repeat(48));
const sid = crypto.randomUUID();

Deno.test("access token: round trip, 15 minute expiry", async () => {
  const now = 1_700_000_000;
  const { token, expiresAt } = await signAccessToken(key, { userId: 7, sessionId: sid }, now);
  assert.equal(expiresAt - now, ACCESS_TTL_SECONDS);
  assert.equal(ACCESS_TTL_SECONDS, 900);
  assert.deepEqual(await verifyAccessToken(key, token, now + 1), {
    userId: 7,
    sessionId: sid,
    exp: expiresAt,
  });
  assert.equal(await verifyAccessToken(key, token, expiresAt), undefined, "expired");
});

Deno.test("access token: alg none, other keys, other types and audiences are refused", async () => {
  const now = Math.floor(Date.now() / 1000);
  const none = new UnsecuredJWT({ type: "access", sid }).setSubject("7").setIssuer("paiid")
    .setAudience("paiid").setExpirationTime(now + 600).encode();
  assert.equal(await verifyAccessToken(key, none), undefined);
  const build = (claims: Record<string, unknown>, aud = "paiid") =>
    new SignJWT({ type: "access", sid, ...claims }).setProtectedHeader({ alg: "HS256" })
      .setSubject("7").setIssuer("paiid").setAudience(aud).setExpirationTime(now + 600);
  assert.ok(await verifyAccessToken(key, await build({}).sign(key)));
  assert.equal(await verifyAccessToken(key, await build({ type: "refresh" }).sign(key)), undefined);
  assert.equal(await verifyAccessToken(key, await build({}, "other").sign(key)), undefined);
  const otherKey = new TextEncoder().encode("o".repeat(48));
  assert.equal(await verifyAccessToken(key, await build({}).sign(otherKey)), undefined);
  const hs512 = await new SignJWT({ type: "access", sid }).setProtectedHeader({ alg: "HS512" })
    .setSubject("7").setIssuer("paiid").setAudience("paiid").setExpirationTime(now + 600)
    .sign(new TextEncoder().encode("k".repeat(64)));
  assert.equal(await verifyAccessToken(new TextEncoder().encode("k".repeat(64)), hs512), undefined);
  const { token } = await signAccessToken(key, { userId: 7, sessionId: sid });
  const [h, p, s] = token.split(".");
  const flipped = s[0] === "A" ? "B" + s.slice(1) : "A" + s.slice(1);
  assert.equal(await verifyAccessToken(key, `${h}.${p}.${flipped}`), undefined);
  assert.equal(await verifyAccessToken(key, "not.a.jwt"), undefined);
});

Deno.test("VerifiedTokens: a verified token is kept until its expiry, a forged one never", async () => {
  const now = 1_800_000_000;
  const { token } = await signAccessToken(key, { userId: 3, sessionId: crypto.randomUUID() }, now);
  const cache = new VerifiedTokens();
  assert.equal((await cache.verify(key, token, now + 1))?.userId, 3);
  // A different key would refuse the token; the cache answers without asking the key again.
  const other = new TextEncoder().encode("o".repeat(40));
  assert.equal((await cache.verify(other, token, now + 2))?.userId, 3);
  assert.equal(await cache.verify(key, token, now + ACCESS_TTL_SECONDS), undefined, "expired");
  const forged = token.slice(0, -2) + (token.endsWith("A") ? "BB" : "AA");
  assert.equal(await cache.verify(key, forged, now + 1), undefined);
  assert.equal(await new VerifiedTokens().verify(key, forged, now + 1), undefined);
});
