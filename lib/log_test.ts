import { deepEqual, equal } from "node:assert/strict";
import { createLogger } from "./log.ts";

Deno.test("log lines are JSON with time, level and message; levels below the threshold are dropped", () => {
  const lines: string[] = [];
  const log = createLogger("info", (l) => lines.push(l));
  log.debug("hidden");
  log.info("request", { path: "/x", status: 200 });
  equal(lines.length, 1);
  const entry = JSON.parse(lines[0]);
  equal(entry.level, "info");
  equal(entry.msg, "request");
  deepEqual([entry.path, entry.status], ["/x", 200]);
  equal(Number.isNaN(Date.parse(entry.time)), false);
});

Deno.test("fields that look secret are redacted, also when nested", () => {
  const lines: string[] = [];
  const log = createLogger("debug", (l) => lines.push(l));
  log.warn("oops", {
    password: "hunter2hunter2",
    headers: { Authorization: "Bearer abc", cookie: "s=1", accept: "*/*" },
    apiKey: "sk-1",
    refresh_token: "r",
  });
  const text = lines[0];
  for (const secret of ["hunter2hunter2", "Bearer abc", "s=1", "sk-1", '"r"']) {
    equal(text.includes(secret), false, secret);
  }
  equal(JSON.parse(text).headers.accept, "*/*");
});

Deno.test("silent writes nothing", () => {
  const lines: string[] = [];
  const log = createLogger("silent", (l) => lines.push(l));
  log.error("x");
  equal(lines.length, 0);
});
