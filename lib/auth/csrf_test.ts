import assert from "node:assert/strict";
import { csrfCookieGenuine, csrfTokenFor, csrfValid, newCsrfCookie } from "./csrf.ts";
import { hmac } from "./crypto.ts";

const key = crypto.getRandomValues(new Uint8Array(32));

Deno.test("csrf token: the cached value is the HMAC of cookie and session", async () => {
  const cookie = await newCsrfCookie(key);
  const first = await csrfTokenFor(key, cookie, "s1");
  assert.equal(await csrfTokenFor(key, cookie, "s1"), first);
  assert.equal(first, await hmac(key, `csrf:${cookie}:s1`));
  assert.notEqual(await csrfTokenFor(key, cookie, "s2"), first);
  assert.notEqual(await csrfTokenFor(key, cookie), first);
  const otherKey = crypto.getRandomValues(new Uint8Array(32));
  assert.notEqual(await csrfTokenFor(otherKey, cookie, "s1"), first);
  assert(await csrfValid(key, cookie, first, "s1"));
  assert(!await csrfValid(key, cookie, first, "s2"));
});

Deno.test("csrf cookie: still checked correctly after the cache has evicted it", async () => {
  const cookie = await newCsrfCookie(key);
  assert(await csrfCookieGenuine(key, cookie));
  for (let i = 0; i < 1200; i++) await csrfCookieGenuine(key, `made-up-${i}.x`);
  assert(await csrfCookieGenuine(key, cookie));
  assert(!await csrfCookieGenuine(key, `${cookie.split(".")[0]}.forged`));
  assert(!await csrfCookieGenuine(key, "made-up-5.x"));
});
