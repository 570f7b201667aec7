import { deepEqual, equal } from "node:assert/strict";
import { EMOTIONS, isEmotion, MAX_TAGS, parseTags } from "./journal.ts";

Deno.test("tags typed in one box: split, lowercased, each once; bad words and too many refused", () => {
  deepEqual(parseTags(" Breakout, earnings  swing,breakout "), {
    ok: true,
    tags: ["breakout", "earnings", "swing"],
  });
  deepEqual(parseTags(""), { ok: true, tags: [] });
  const bad = parseTags("good =bad");
  equal(bad.ok, false);
  equal(!bad.ok && bad.message.startsWith('"=bad"'), true);
  equal(parseTags(Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`).join(" ")).ok, false);
  equal(parseTags(Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`).join(" ")).ok, true);
});

Deno.test("the emotions are a fixed set", () => {
  equal(EMOTIONS.length, 7);
  equal(isEmotion("calm"), true);
  equal(isEmotion("Calm"), false);
  equal(isEmotion(null), false);
});
