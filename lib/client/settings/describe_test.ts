import assert from "node:assert/strict";
import { describeAgent, shortDate } from "./describe.ts";

Deno.test("user agents read as browser on system", () => {
  assert.equal(
    describeAgent(
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
    ),
    "Chrome on Linux",
  );
  assert.equal(
    describeAgent(
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605 Version/17 Safari/605",
    ),
    "Safari on macOS",
  );
  assert.equal(describeAgent("curl/8.5.0"), "curl");
  assert.equal(describeAgent(null), "Unknown client");
  assert.equal(describeAgent("SomeBot"), "SomeBot");
  assert.equal(shortDate(null), "—");
  assert.match(shortDate("2026-12-04T15:00:00Z"), /Dec 4, 2026/);
});
