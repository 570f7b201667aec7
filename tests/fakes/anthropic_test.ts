/** The fake Anthropic server answers like the contract says, before any test trusts it. */
import assert from "node:assert/strict";
import { FAKE_API_KEY, startFakeAnthropic } from "./anthropic.ts";

Deno.test("fake Anthropic: auth, validation, models, JSON and SSE answers", async () => {
  const fake = await startFakeAnthropic();
  try {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${fake.url}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": FAKE_API_KEY,
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
          ...headers,
        },
        body: JSON.stringify(body),
      });
    const noKey = await post({}, { "x-api-key": "wrong" });
    assert.equal(noKey.status, 401);
    assert.equal((await noKey.json()).error.type, "authentication_error");
    const bad = await post({ model: "m" });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.type, "invalid_request_error");
    const models = await fetch(`${fake.url}/v1/models`, {
      headers: { "x-api-key": FAKE_API_KEY, "anthropic-version": "2023-06-01" },
    });
    assert.equal((await models.json()).data[0].type, "model");

    const msg = { model: "m", max_tokens: 10, messages: [{ role: "user", content: "hi" }] };
    fake.script({ kind: "text", text: ["a", "b"] }, { kind: "text", text: ["x", "y"] }, {
      kind: "error",
      status: 529,
      type: "overloaded_error",
    });
    const json = await (await post(msg)).json();
    assert.deepEqual([json.type, json.content[0].text, json.stop_reason], [
      "message",
      "ab",
      "end_turn",
    ]);
    const stream = await post({ ...msg, stream: true });
    const text = await stream.text();
    const names = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    assert.equal(names[0], "message_start");
    assert.equal(names.at(-1), "message_stop");
    assert.ok(names.includes("ping"));
    assert.equal(names.filter((n) => n === "content_block_delta").length, 2);
    const overloaded = await post(msg);
    assert.equal(overloaded.status, 529);
    assert.ok(overloaded.headers.get("request-id"));
    await overloaded.body?.cancel();
    assert.equal(fake.requests.length, 3);
  } finally {
    await fake.close();
  }
});
