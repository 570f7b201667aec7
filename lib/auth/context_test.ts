import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { bcryptCost } from "./context.ts";
import { loadSigningKey, secretFile } from "./tokens.ts";

Deno.test("config: JWT_SECRET is required in production; short secrets are refused", () => {
  assert.throws(
    () => loadConfig({ DENO_ENV: "production" }),
    (e) => e instanceof ConfigError && e.problems.some((p) => p.variable === "JWT_SECRET"),
  );
  assert.throws(() => loadConfig({ JWT_SECRET: "short" }), ConfigError);
  assert.equal(
    loadConfig({ DENO_ENV: "production", JWT_SECRET: "x".repeat(32) }).DENO_ENV,
    "production",
  );
});

Deno.test("config: the low bcrypt cost is for DENO_ENV=test only", () => {
  assert.throws(
    () => loadConfig({ AUTH_TEST_BCRYPT_COST: "4" }),
    (e) =>
      e instanceof ConfigError && e.problems.some((p) => p.variable === "AUTH_TEST_BCRYPT_COST"),
  );
  assert.equal(bcryptCost(loadConfig({})), 12);
  assert.equal(bcryptCost(loadConfig({ DENO_ENV: "production", JWT_SECRET: "x".repeat(32) })), 12);
  assert.equal(bcryptCost(loadConfig({ DENO_ENV: "test", AUTH_TEST_BCRYPT_COST: "4" })), 4);
});

Deno.test("config: CORS_ORIGINS is a list of origins", () => {
  assert.deepEqual(
    loadConfig({ CORS_ORIGINS: "https://a.example, http://b.example:8080" }).CORS_ORIGINS,
    [
      "https://a.example",
      "http://b.example:8080",
    ],
  );
  assert.deepEqual(loadConfig({}).CORS_ORIGINS, []);
  assert.throws(() => loadConfig({ CORS_ORIGINS: "https://a.example/path" }), ConfigError);
});

Deno.test("JWT secret: generated once into DATA_DIR with a warning, then reused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lines: string[] = [];
    const log = createLogger("warn", (line) => lines.push(line));
    const config = loadConfig({ DATA_DIR: dir });
    const first = await loadSigningKey(config, log);
    const second = await loadSigningKey(config, log);
    assert.deepEqual(first, second);
    assert.ok(first.length >= 32);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /JWT_SECRET is not set/);
    const secret = await Deno.readTextFile(secretFile(config));
    assert.equal(lines.join("").includes(secret.trim()), false, "the secret is not logged");
    const fixed = await loadSigningKey(
      loadConfig({ DATA_DIR: dir, JWT_SECRET: "y".repeat(32) }),
      log,
    );
    assert.deepEqual(fixed, new TextEncoder().encode("y".repeat(32)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
