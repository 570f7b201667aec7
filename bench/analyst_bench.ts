/**
 * The analyst's speed. `deno bench -A bench/analyst_bench.ts`
 *
 * - offline: a whole turn of the price intent (intent, the quote tool through the registry, the
 *   templated answer) over the replay with its quote cached, i.e. answers per second;
 * - Claude, to the first streamed token, against the fake Anthropic server on 127.0.0.1: our
 *   ClaudeAnalyst (prompt with 12 tool definitions, the SDK's stream, our event handling) side by
 *   side with the bare SDK streaming the same reply. The difference is what PaiiD adds.
 *
 * Printed on the 2-core development machine while four other test runs shared it (load average
 * 8.8), 2026-12-04:
 *
 *     offline analyst: price intent, one whole turn   485.7 µs avg (113.8 µs min)   2,059 /s
 *     bare SDK: stream to the first text delta          2.1 ms avg (574.7 µs min)
 *     ClaudeAnalyst: turn to the first text event       1.9 ms avg (539.6 µs min)
 *
 * PaiiD adds no measurable time before the first token: the two are within the noise.
 */
import Anthropic from "@anthropic-ai/sdk";
import { openTestApp } from "../tests/_harness.ts";
import { signUp } from "../tests/_auth.ts";
import { FAKE_API_KEY, startFakeAnthropic } from "../tests/fakes/anthropic.ts";
import { OPEN_SESSION_MS, openReplayForTest } from "../lib/market/testing.ts";
import { ClaudeAnalyst } from "../lib/ai/claude/analyst.ts";
import { analystTools } from "../lib/ai/tools/mod.ts";

const t = await openTestApp({ LOG_LEVEL: "silent" }, {
  market: () => openReplayForTest({ now: () => OPEN_SESSION_MS }),
});
const me = await signUp(t.app);
const fake = await startFakeAnthropic();
const claude = new ClaudeAnalyst(t.services, analystTools(), {
  apiKey: FAKE_API_KEY,
  model: "claude-sonnet-4-5",
  baseURL: fake.url,
  maxRetries: 0,
});
const sdk = new Anthropic({ apiKey: FAKE_API_KEY, baseURL: fake.url, maxRetries: 0 });
const reply = { kind: "text" as const, text: ["AAPL", " is up today."] };

Deno.bench("offline analyst: price intent, one whole turn", { group: "offline" }, async () => {
  await t.services.analyst.turn(
    { userId: me.user.id, history: [], message: "What is the price of AAPL?" },
    () => {},
  );
});

Deno.bench(
  "bare SDK: stream to the first text delta",
  { group: "first-token", baseline: true },
  async () => {
    fake.script(reply);
    const stream = await sdk.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "AAPL?" }],
      stream: true,
    });
    for await (const e of stream) {
      if (e.type === "content_block_delta") break;
    }
  },
);

Deno.bench("ClaudeAnalyst: turn to the first text event", { group: "first-token" }, async (b) => {
  fake.script(reply);
  let timing = true;
  b.start();
  await claude.turn({ userId: me.user.id, history: [], message: "AAPL?" }, (e) => {
    if (timing && e.type === "text") {
      b.end();
      timing = false;
    }
  });
});

globalThis.addEventListener("unload", () => {
  void fake.close();
  void t.close();
});
