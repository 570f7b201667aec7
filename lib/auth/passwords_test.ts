import assert from "node:assert/strict";
import {
  BCRYPT_COST,
  commonPasswords,
  hashPassword,
  passwordProblem,
  verifyPassword,
} from "./passwords.ts";

Deno.test("passwords: 12..256 characters, counted as characters, not bytes", async () => {
  assert.match((await passwordProblem("short pass"))!, /at least 12/);
  assert.equal(await passwordProblem("ünïcødé wörd"), undefined);
  assert.equal(await passwordProblem("🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊"), undefined);
  assert.equal(await passwordProblem("a quiet violet harbour ".repeat(5).slice(0, 128)), undefined);
  assert.match((await passwordProblem("x".repeat(257)))!, /at most 256/);
});

Deno.test("passwords: the shipped common list holds >= 3000 entries and is enforced", async () => {
  const list = await commonPasswords();
  assert.ok(list.size >= 3000, `${list.size} entries`);
  assert.ok(list.has("password"));
  const longCommon = [...list].find((p) => [...p].length >= 12)!;
  assert.match((await passwordProblem(longCommon))!, /most common/);
  assert.match((await passwordProblem(longCommon.toUpperCase()))!, /most common/);
});

Deno.test("passwords: not the username or email", async () => {
  assert.match(
    (await passwordProblem("Alice.Example.Org", { email: "alice.example.org" }))!,
    /username or email/,
  );
});

Deno.test("passwords: production cost is 12; bytes beyond 72 still count (pre-hash)", async () => {
  assert.ok(BCRYPT_COST >= 12);
  const base = "é".repeat(40); // 80 bytes in UTF-8: bcrypt alone would ignore the tail.
  const hash = await hashPassword(`${base}tail-one`, 4);
  assert.match(hash, /^\$2[aby]\$04\$/);
  assert.equal(await verifyPassword(`${base}tail-one`, hash), true);
  assert.equal(await verifyPassword(`${base}tail-two`, hash), false);
});
