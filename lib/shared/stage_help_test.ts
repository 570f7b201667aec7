import { equal, ok } from "node:assert/strict";
import { STAGES } from "./stages.ts";
import { helpFor, STAGE_HELP } from "./stage_help.ts";

Deno.test("every stage has help saying where its data comes from, and nothing else has", () => {
  equal(Object.keys(STAGE_HELP).sort().join(), STAGES.map((s) => s.id).sort().join());
  for (const stage of STAGES) {
    const help = helpFor(stage.id);
    ok(help && help.data.length > 40, stage.id);
  }
  equal(helpFor(undefined), null);
  equal(helpFor("toString"), null);
});
