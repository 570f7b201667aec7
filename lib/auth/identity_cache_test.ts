import assert from "node:assert/strict";
import { IdentityCache, type LiveSession, MAX_AGE_MS, TRUST_MS } from "./identity_cache.ts";

const user = { id: 1, username: "ada", email: "ada@example.test", role: "user" as const };
const live = (): LiveSession => ({ user, absoluteExpiresAt: new Date(Date.now() + 86_400_000) });

/** A cache over an in-memory KV with a hand-driven clock; `ready` waits for the first epoch read. */
async function setup(fn: (t: { cache: IdentityCache; clock: { now: number } }) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  const clock = { now: Date.now() };
  const cache = new IdentityCache(kv, { now: () => clock.now, pollMs: 5 });
  try {
    // The first lookup starts the epoch reads; until one succeeds nothing is trusted.
    await cache.session(1, "s", () => Promise.resolve(undefined));
    while (!(await trusted(cache))) await new Promise((r) => setTimeout(r, 5));
    await fn({ cache, clock });
  } finally {
    cache.close();
    kv.close();
  }
}

async function trusted(cache: IdentityCache): Promise<boolean> {
  await cache.session(1, "probe", () => Promise.resolve(live()));
  return cache.size > 0;
}

Deno.test("a live session is loaded once and then answered from memory", async () => {
  await setup(async ({ cache }) => {
    let loads = 0;
    const load = () => (loads++, Promise.resolve(live()));
    for (let i = 0; i < 5; i++) assert.equal((await cache.session(1, "a", load))?.user.id, 1);
    assert.equal(loads, 1);
  });
});

Deno.test("revoked() drops every entry at once", async () => {
  await setup(async ({ cache }) => {
    let loads = 0;
    const load = () => (loads++, Promise.resolve(live()));
    await cache.session(1, "a", load);
    await cache.revoked();
    assert.equal(cache.size, 0);
    await cache.session(1, "a", load);
    assert.equal(loads, 2);
  });
});

Deno.test("a lookup that raced with a revocation is not kept", async () => {
  await setup(async ({ cache }) => {
    let loads = 0;
    await cache.session(1, "a", async () => {
      loads++;
      await cache.revoked(); // committed while this lookup was reading the database
      return live();
    });
    await cache.session(1, "a", () => (loads++, Promise.resolve(live())));
    assert.equal(loads, 2, "the raced answer was served from memory");
  });
});

Deno.test("entries are not trusted once the epoch has not been read for TRUST_MS", async () => {
  await setup(async ({ cache, clock }) => {
    let loads = 0;
    const load = () => (loads++, Promise.resolve(live()));
    await cache.session(1, "a", load);
    clock.now += TRUST_MS + 1; // the epoch reads are stamped with this clock: they look stale
    await cache.session(1, "a", load);
    assert.equal(loads, 2);
  });
});

Deno.test("entries older than MAX_AGE_MS and expired sessions are looked up again", async () => {
  await setup(async ({ cache, clock }) => {
    let loads = 0;
    await cache.session(1, "a", () => (loads++, Promise.resolve(live())));
    const start = clock.now;
    while (clock.now - start <= MAX_AGE_MS) {
      clock.now += TRUST_MS / 2;
      await new Promise((r) => setTimeout(r, 6)); // let an epoch read stamp the new time
    }
    await cache.session(1, "a", () => (loads++, Promise.resolve(live())));
    assert.equal(loads, 2);
    const ending = { user, absoluteExpiresAt: new Date(clock.now + 10) };
    await cache.session(1, "b", () => (loads++, Promise.resolve(ending)));
    clock.now += 20;
    await cache.session(1, "b", () => (loads++, Promise.resolve(undefined)));
    assert.equal(loads, 4, "an expired family is not served from memory");
  });
});
