/**
 * Per-app auth context: the keys derived from the JWT secret (once per app) and the bcrypt cost.
 * Per-request facts (services, client address, https) live on `State` (lib/state.ts).
 */
import type { Config } from "../config.ts";
import type { Services } from "../services.ts";
import { hmac } from "./crypto.ts";
import { BCRYPT_COST } from "./passwords.ts";
import { loadSigningKey } from "./tokens.ts";

export interface AuthKeys {
  /** HS256 key of access tokens. */
  signing: Uint8Array;
  /** HMAC key of CSRF tokens, derived so one key is never used for two purposes. */
  csrf: Uint8Array;
}

const keys = new WeakMap<Services, Promise<AuthKeys>>();

/** The app's auth keys, loaded (or generated, outside production) on first use. */
export function authKeys(services: Services): Promise<AuthKeys> {
  let found = keys.get(services);
  if (!found) {
    found = (async () => {
      const signing = await loadSigningKey(services.config, services.log);
      const csrf = new TextEncoder().encode(await hmac(signing, "paiid csrf key"));
      return { signing, csrf };
    })();
    found.catch(() => keys.delete(services));
    keys.set(services, found);
  }
  return found;
}

/** bcrypt cost: 12, unless the test suite set AUTH_TEST_BCRYPT_COST under DENO_ENV=test. */
export function bcryptCost(config: Config): number {
  return config.DENO_ENV === "test" && config.AUTH_TEST_BCRYPT_COST
    ? config.AUTH_TEST_BCRYPT_COST
    : BCRYPT_COST;
}
