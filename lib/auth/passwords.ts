/**
 * Password rules and hashing.
 *
 * Rules (NIST SP 800-63B style): 12 to 256 characters, no composition rules, not one of the
 * shipped common passwords (`common_passwords.txt`, see its LICENSE file), not the username or
 * email.
 *
 * bcrypt silently ignores everything after 72 bytes. PaiiD PRE-HASHES instead of refusing long
 * passwords: bcrypt receives base64(SHA-256(NFKC(password))), 44 ASCII characters with no NUL
 * byte, so every character of a long password counts.
 */
import bcrypt from "bcryptjs";
import { base64url } from "./crypto.ts";

/** bcrypt cost in production. Only `AUTH_TEST_BCRYPT_COST` under DENO_ENV=test lowers it. */
export const BCRYPT_COST = 12;
export const PASSWORD_MIN_CHARS = 12;
export const PASSWORD_MAX_CHARS = 256;

let common: Promise<Set<string>> | undefined;

/** The shipped list of common passwords, lower-cased, loaded once. */
export function commonPasswords(): Promise<Set<string>> {
  common ??= Deno.readTextFile(new URL("./common_passwords.txt", import.meta.url)).then((text) =>
    new Set(text.split("\n").filter(Boolean))
  );
  return common;
}

function normalize(password: string): string {
  return password.normalize("NFKC");
}

async function prehash(password: string): Promise<string> {
  const bytes = new TextEncoder().encode(normalize(password));
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/**
 * Why `password` may not be used, or undefined when it may. Length counts characters (code
 * points), not bytes, so a passphrase in any script is judged alike.
 */
export async function passwordProblem(
  password: string,
  context: { username?: string; email?: string } = {},
): Promise<string | undefined> {
  const chars = [...normalize(password)].length;
  if (chars < PASSWORD_MIN_CHARS) {
    return `Use at least ${PASSWORD_MIN_CHARS} characters; a few words make a good password.`;
  }
  if (chars > PASSWORD_MAX_CHARS) return `Use at most ${PASSWORD_MAX_CHARS} characters.`;
  const lower = normalize(password).toLowerCase();
  if ((await commonPasswords()).has(lower)) {
    return "This password is on the list of the most common passwords; choose another.";
  }
  for (const v of [context.username, context.email]) {
    if (v && lower === v.toLowerCase()) return "The password may not be your username or email.";
  }
  return undefined;
}

/** bcrypt hash of the pre-hashed password at `cost` (default BCRYPT_COST). */
export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  return await bcrypt.hash(await prehash(password), cost);
}

/** True when `password` matches `hash`. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return await bcrypt.compare(await prehash(password), hash);
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * Spends the time of one verification for a login name that does not exist, so response time
 * does not tell which accounts exist.
 */
export async function burnVerification(cost: number): Promise<void> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = hashPassword(crypto.randomUUID(), cost);
    dummyHashes.set(cost, hash);
  }
  await verifyPassword("not the password", await hash);
}
