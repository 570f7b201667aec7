import assert from "node:assert/strict";
import { stageById, stageForPath, STAGES } from "./stages.ts";

Deno.test("stages: ten, in wheel order clockwise from ten o'clock", () => {
  assert.deepEqual(STAGES.map((s) => s.id), [
    "morning-routine",
    "positions",
    "execute",
    "risk",
    "scanner",
    "recommendations",
    "settings",
    "news",
    "strategies",
    "backtesting",
  ]);
});

Deno.test("stages: ids and hrefs are unique and every href is /<id>", () => {
  assert.equal(new Set(STAGES.map((s) => s.id)).size, 10);
  assert.equal(new Set(STAGES.map((s) => s.href)).size, 10);
  for (const stage of STAGES) assert.equal(stage.href, `/${stage.id}`);
});

Deno.test("stages: each has a two-line label, a colour, a description and a plan", () => {
  for (const stage of STAGES) {
    assert.equal(stage.label.length, 2, stage.id);
    assert.ok(stage.label.every((line) => line.length > 0 && line.length <= 9), stage.id);
    assert.match(stage.color, /^#[0-9a-f]{6}$/i, stage.id);
    assert.ok(stage.description.endsWith("."), stage.id);
    const sentences = stage.plan.split(/(?<=\.)\s+/).length;
    assert.ok(sentences >= 2 && sentences <= 4, `${stage.id}: ${sentences} sentences in plan`);
  }
});

Deno.test("stageById and stageForPath find the stage, and nothing outside the stages", () => {
  assert.equal(stageById("risk").name, "Risk");
  assert.equal(stageForPath("/risk")?.id, "risk");
  assert.equal(stageForPath("/risk/sizing")?.id, "risk");
  assert.equal(stageForPath("/"), null);
  assert.equal(stageForPath("/risky"), null);
  assert.equal(stageForPath("/api/health"), null);
});
