import { deepEqual, equal, throws } from "node:assert/strict";
import { ConfigError, loadConfig, seamModes } from "./config.ts";

Deno.test("with no environment every setting has a working default", () => {
  const config = loadConfig({});
  equal(config.PORT, 8000);
  equal(config.DATA_DIR, "./data");
  equal(config.DATABASE_URL, undefined);
  equal(config.LOG_LEVEL, "info");
  equal(config.DATABASE_PREPARE, true);
  deepEqual(seamModes(config), {
    database: "pglite",
    kv: "local",
    market_data: "replay",
    broker: "paper",
    analyst: "offline",
  });
});

Deno.test("settings choose the real implementation of each seam", () => {
  const config = loadConfig({
    PORT: "9001",
    DATABASE_URL: "postgres://u:p@db:5432/paiid",
    DENO_KV_PATH: "/tmp/kv",
    TRADIER_TOKEN: "t",
    ALPACA_KEY_ID: "k",
    ALPACA_SECRET_KEY: "s",
    ANTHROPIC_API_KEY: "a",
  });
  equal(config.PORT, 9001);
  deepEqual(seamModes(config), {
    database: "postgres",
    kv: "file",
    market_data: "tradier",
    broker: "alpaca-paper",
    analyst: "claude",
  });
});

Deno.test("DATABASE_PREPARE=false turns prepared statements off; other words are refused", () => {
  equal(loadConfig({ DATABASE_PREPARE: "false" }).DATABASE_PREPARE, false);
  throws(() => loadConfig({ DATABASE_PREPARE: "no" }), /DATABASE_PREPARE must be true or false/);
});

Deno.test("an empty variable counts as unset", () => {
  equal(loadConfig({ DATABASE_URL: "", PORT: " " }).DATABASE_URL, undefined);
});

Deno.test("invalid settings fail with the variable named, and no secret value echoed", () => {
  const err = (() => {
    try {
      loadConfig({
        PORT: "eighty",
        DATABASE_URL: "mysql://x",
        LOG_LEVEL: "loud",
        ALPACA_KEY_ID: "only-the-key",
        TRADIER_BASE_URL: "ftp://nope",
      });
    } catch (e) {
      return e;
    }
  })();
  if (!(err instanceof ConfigError)) throw new Error("expected a ConfigError");
  const variables = err.problems.map((p) => p.variable).sort();
  deepEqual(variables, [
    "ALPACA_SECRET_KEY",
    "DATABASE_URL",
    "LOG_LEVEL",
    "PORT",
    "TRADIER_BASE_URL",
  ]);
  equal(err.message.includes("only-the-key"), false);
  throws(() => loadConfig({ PORT: "70000" }), /PORT/);
});

Deno.test("replay settings: defaults, values and named errors", () => {
  const d = loadConfig({});
  equal(d.REPLAY_START, "2020-01-02");
  equal(d.REPLAY_SPEED, 1);
  equal(d.REPLAY_EPOCH, undefined);
  const c = loadConfig({
    REPLAY_START: "2020-03-02",
    REPLAY_SPEED: "5",
    REPLAY_EPOCH: "2026-01-05",
  });
  equal(c.REPLAY_SPEED, 5);
  equal(c.REPLAY_EPOCH, "2026-01-05");
  throws(() => loadConfig({ REPLAY_SPEED: "0" }), /REPLAY_SPEED/);
  throws(() => loadConfig({ REPLAY_START: "March 2020" }), /REPLAY_START must be YYYY-MM-DD/);
});
