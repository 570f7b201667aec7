import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import StagePlaceholder from "./StagePlaceholder.tsx";
import { stageById, STAGES } from "../lib/stages.ts";

Deno.test("StagePlaceholder: says plainly that the stage is not built yet", () => {
  const html = renderToString(<StagePlaceholder stage={stageById("execute")} />);
  assert.match(html, /data-testid="stage-placeholder"/);
  assert.match(html, /Not built yet — this stage is a placeholder/);
});

Deno.test("StagePlaceholder: shows the stage's name, colour, description and plan", () => {
  for (const stage of STAGES) {
    const html = renderToString(<StagePlaceholder stage={stage} />);
    assert.ok(
      html.includes(`<h1 id="stage-title" class="stage-title">${stage.name}</h1>`),
      stage.id,
    );
    assert.ok(html.includes(`style="--stage-color: ${stage.color}"`), stage.id);
    // Preact escapes "&" in text; compare against the escaped form.
    const escape = (s: string) => s.replaceAll("&", "&amp;");
    assert.ok(html.includes(escape(stage.description)), stage.id);
    assert.ok(html.includes(escape(stage.plan)), stage.id);
  }
});
