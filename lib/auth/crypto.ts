/** Small primitives the auth modules share: random tokens, hashes, constant-time comparison. */
import { createHash, timingSafeEqual as nodeTimingSafeEqual } from "node:crypto";

const encoder = new TextEncoder();

/** base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** `bytes` random bytes (default 32 = 256 bits) as base64url. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Hex SHA-256 of a UTF-8 string: how refresh and API tokens are stored. */
export function sha256Hex(text: string): Promise<string> {
  // node:crypto hashes synchronously in about 2 µs; WebCrypto's digest costs ~35 µs of promise
  // and buffer work, paid on every API-token request.
  return Promise.resolve(createHash("sha256").update(text, "utf8").digest("hex"));
}

// Importing a WebCrypto key costs as much as the signature itself; every server key is a
// long-lived array, so each is imported once and the CryptoKey reused.
const importedKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(key: Uint8Array): Promise<CryptoKey> {
  let k = importedKeys.get(key);
  if (!k) {
    k = crypto.subtle.importKey(
      "raw",
      new Uint8Array(key),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    importedKeys.set(key, k);
  }
  return k;
}

/** HMAC-SHA-256 of `message` under `key`, base64url. */
export async function hmac(key: Uint8Array, message: string): Promise<string> {
  const k = await hmacKey(key);
  return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(message))));
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  // Unequal lengths leak only the length, which for our fixed-size tokens is public anyway.
  if (x.length !== y.length) return false;
  return nodeTimingSafeEqual(x, y);
}
