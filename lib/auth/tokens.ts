/**
 * Access tokens: JWT, HS256 only, signed with jose. They carry a type, issuer, audience, expiry,
 * the user id (`sub`) and the session family (`sid`), and every one of those is checked.
 */
import { jwtVerify, SignJWT } from "jose";
import { join } from "node:path";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { randomToken } from "./crypto.ts";

/** Lifetime of an access token, in seconds. */
export const ACCESS_TTL_SECONDS = 15 * 60;
export const TOKEN_AUDIENCE = "paiid";
export const TOKEN_ISSUER = "paiid";
const ACCESS_TYPE = "access";

/** The claims PaiiD reads back from a verified access token. */
export interface AccessClaims {
  userId: number;
  sessionId: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

/** Where a generated development secret is kept. */
export function secretFile(config: Config): string {
  return join(config.DATA_DIR, "jwt_secret");
}

/**
 * The signing key: `JWT_SECRET`, or outside production a secret generated once into DATA_DIR
 * (with a warning, since a lost data folder signs everyone out). Concurrent first starts agree,
 * because only one of them can create the file.
 */
export async function loadSigningKey(config: Config, log: Logger): Promise<Uint8Array> {
  if (config.JWT_SECRET) return new TextEncoder().encode(config.JWT_SECRET);
  if (config.DENO_ENV === "production") throw new Error("JWT_SECRET is required in production");
  const file = secretFile(config);
  await Deno.mkdir(config.DATA_DIR, { recursive: true });
  try {
    await Deno.writeTextFile(file, randomToken(48), { createNew: true, mode: 0o600 });
    log.warn(`JWT_SECRET is not set: generated one into ${file}; set JWT_SECRET in production`);
  } catch (err) {
    if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
  }
  const secret = (await Deno.readTextFile(file)).trim();
  if (secret.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters`);
  return new TextEncoder().encode(secret);
}

/** Signs an access token for `userId` in session family `sessionId`. */
export async function signAccessToken(
  key: Uint8Array,
  claims: { userId: number; sessionId: string },
  nowSeconds = Math.floor(Date.now() / 1000),
  ttlSeconds = ACCESS_TTL_SECONDS,
): Promise<{ token: string; expiresAt: number }> {
  const exp = nowSeconds + ttlSeconds;
  const token = await new SignJWT({ type: ACCESS_TYPE, sid: claims.sessionId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(String(claims.userId))
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(exp)
    .setJti(crypto.randomUUID())
    .sign(key);
  return { token, expiresAt: exp };
}

/**
 * Verified access tokens by their text, so a client presenting the same token again (every
 * request for up to 15 minutes) costs a map lookup instead of an HMAC and a JSON parse (~70 µs
 * with jose). Only tokens that verified are kept; the expiry is still checked on every use.
 */
export class VerifiedTokens {
  readonly #claims = new Map<string, AccessClaims>();
  constructor(readonly max = 10_000) {}

  async verify(
    key: Uint8Array,
    token: string,
    nowSeconds?: number,
  ): Promise<AccessClaims | undefined> {
    const now = nowSeconds ?? Math.floor(Date.now() / 1000);
    const hit = this.#claims.get(token);
    if (hit) {
      if (hit.exp > now) return hit;
      this.#claims.delete(token);
      return undefined;
    }
    const claims = await verifyAccessToken(key, token, nowSeconds);
    if (claims) {
      if (this.#claims.size >= this.max) this.#claims.delete(this.#claims.keys().next().value!);
      this.#claims.set(token, claims);
    }
    return claims;
  }
}

/**
 * Verifies an access token; undefined for anything not signed by us with HS256 (alg:none and
 * other algorithms included), expired, of another type or audience, or malformed.
 */
export async function verifyAccessToken(
  key: Uint8Array,
  token: string,
  nowSeconds?: number,
): Promise<AccessClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      audience: TOKEN_AUDIENCE,
      issuer: TOKEN_ISSUER,
      requiredClaims: ["exp", "sub", "sid", "type"],
      currentDate: nowSeconds === undefined ? undefined : new Date(nowSeconds * 1000),
      clockTolerance: 0,
    });
    if (payload.type !== ACCESS_TYPE) return undefined;
    const userId = Number(payload.sub);
    if (!Number.isSafeInteger(userId) || userId <= 0) return undefined;
    if (typeof payload.sid !== "string" || !/^[0-9a-f-]{36}$/.test(payload.sid)) return undefined;
    return { userId, sessionId: payload.sid, exp: payload.exp! };
  } catch {
    return undefined;
  }
}
