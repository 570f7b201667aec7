import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import RadialMenu from "./RadialMenu.tsx";
import { STAGES } from "../lib/stages.ts";

function links(html: string): { testid: string; href: string; current: boolean }[] {
  return [...html.matchAll(/<a\b[^>]*>/g)].map(([tag]) => ({
    testid: /data-testid="([^"]+)"/.exec(tag)?.[1] ?? "",
    href: /\bhref="([^"]+)"/.exec(tag)?.[1] ?? "",
    current: tag.includes('aria-current="page"'),
  }));
}

Deno.test("RadialMenu: ten plain links to the stages, in wheel order", () => {
  const html = renderToString(<RadialMenu size="full" />);
  assert.deepEqual(
    links(html).map(({ testid, href }) => [testid, href]),
    STAGES.map((s) => [`wedge-${s.id}`, s.href]),
  );
  assert.ok(!html.includes("aria-current"), "no wedge is current on the home page");
});

Deno.test("RadialMenu: each wedge is named 'Name – description'", () => {
  const html = renderToString(<RadialMenu size="full" />);
  for (const stage of STAGES) {
    assert.ok(html.includes(`aria-label="${stage.name} – ${stage.description}"`), stage.id);
  }
});

Deno.test("RadialMenu: aria-current on the active wedge only", () => {
  const html = renderToString(<RadialMenu size="compact" activeId="execute" />);
  assert.deepEqual(links(html).filter((l) => l.current).map((l) => l.testid), ["wedge-execute"]);
});

Deno.test("RadialMenu: the index-quotes slot says it is not built yet, at both sizes", () => {
  for (const size of ["full", "compact"] as const) {
    const html = renderToString(<RadialMenu size={size} />);
    const slot = /data-testid="index-quotes"[\s\S]*?<\/g>/.exec(html)?.[0];
    assert.ok(slot, `${size}: index-quotes slot present`);
    assert.match(slot, /INDEX QUOTES/);
    assert.match(slot, /market data/);
    assert.match(slot, /not built yet/);
  }
});

Deno.test("RadialMenu: compact and full differ in size class, not in links", () => {
  const full = renderToString(<RadialMenu size="full" />);
  const compact = renderToString(<RadialMenu size="compact" />);
  assert.match(full, /class="radial radial--full"/);
  assert.match(compact, /class="radial radial--compact"/);
  assert.deepEqual(links(compact), links(full));
  // Gradient ids carry the size, so the two never collide on one page.
  assert.ok(full.includes('id="radial-full-risk"') && compact.includes('id="radial-compact-risk"'));
});

Deno.test("RadialMenu: wedges are drawn from real arcs, with a grown copy for hover", () => {
  const html = renderToString(<RadialMenu size="full" />);
  assert.equal(html.match(/class="wedge-shape" d="M/g)?.length, 10);
  assert.equal(html.match(/class="wedge-grown" d="M/g)?.length, 10);
});

Deno.test("RadialMenu: inline styles set custom properties only (the CSP allows nothing else)", () => {
  const html = renderToString(<RadialMenu size="full" />);
  assert.ok(!html.includes("<style"));
  for (const [, css] of html.matchAll(/style="([^"]*)"/g)) assert.match(css, /^--[\w-]+: [^;]+$/);
});
