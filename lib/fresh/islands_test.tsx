import { equal, match, throws } from "node:assert/strict";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import {
  assertSerializable,
  collectIslands,
  registerIsland,
  serializeForScript,
} from "./islands.ts";

function Chip({ label }: { label: string }) {
  return <span class="chip">{label}</span>;
}
function Panel({ title }: { title: string }) {
  // An island used inside another island.
  return (
    <section>
      {title}
      <Chip label="inner" />
    </section>
  );
}
registerIsland("Chip", Chip);
registerIsland("Panel", Panel);

Deno.test("an island renders inside a marker and its props are collected in order", () => {
  const { result, islands } = collectIslands(() =>
    renderToString(
      <main>
        <Chip label="a" />
        <p>static</p>
        <Chip label="b" />
      </main>,
    )
  );
  equal(
    result,
    '<main><paiid-island data-island="Chip" data-id="0"><span class="chip">a</span></paiid-island>' +
      '<p>static</p><paiid-island data-island="Chip" data-id="1"><span class="chip">b</span>' +
      "</paiid-island></main>",
  );
  equal(
    JSON.stringify(islands),
    '[{"name":"Chip","props":{"label":"a"}},{"name":"Chip","props":{"label":"b"}}]',
  );
});

Deno.test("an island inside an island is rendered plainly, as part of its parent", () => {
  const { result, islands } = collectIslands(() => renderToString(<Panel title="t" />));
  equal(islands.length, 1);
  equal(islands[0].name, "Panel");
  equal((result.match(/<paiid-island/g) ?? []).length, 1);
});

Deno.test("outside a page render an island is just a component", () => {
  equal(renderToString(<Chip label="x" />), '<span class="chip">x</span>');
});

Deno.test("a non-serializable prop is rejected, naming the island and the prop", () => {
  // deno-lint-ignore no-explicit-any
  const Any = Chip as any;
  throws(
    () => collectIslands(() => renderToString(h(Any, { label: "x", onPick: () => {} }))),
    /Island "Chip": prop "onPick" is not serializable \(a function\)/,
  );
  throws(
    () => assertSerializable("Chart", { series: [{ at: new Date(0) }] }),
    /Island "Chart": prop "series\[0\]\.at" is not serializable \(a Date instance\)/,
  );
  throws(
    () => assertSerializable("Chart", { ratio: NaN }),
    /prop "ratio" is not serializable \(NaN is not a finite number\)/,
  );
  throws(
    () => assertSerializable("Card", { children: <b>hi</b> }),
    /prop "children" is not serializable \(a JSX element/,
  );
  throws(() => assertSerializable("Big", { n: 10n }), /prop "n" is not serializable \(a bigint\)/);
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  throws(() => assertSerializable("Loop", { loop }), /prop "loop\.self" .*circular/);
});

Deno.test("JSON-safe props pass, and undefined ones are simply left out", () => {
  assertSerializable("Ok", {
    s: "x",
    n: 1.5,
    b: false,
    nil: null,
    list: [1, "two", { three: [3] }],
    obj: Object.assign(Object.create(null), { k: "v" }),
    missing: undefined,
    nested: { gone: undefined },
  });
});

Deno.test("serialized props cannot close the script tag they live in", () => {
  const json = serializeForScript({ text: "</script><script>alert(1)</script>\u2028" });
  equal(json.includes("</script"), false);
  match(json, /\\u003c\/script>/);
  equal(JSON.parse(json).text, "</script><script>alert(1)</script>\u2028");
});

let badgeRenders = 0;
function Badge({ label }: { label: string }) {
  badgeRenders++;
  return (
    <b>
      {label}
      <Chip label="nested" />
    </b>
  );
}
Badge.renderOnce = true;
registerIsland("Badge", Badge);

Deno.test("a renderOnce island is rendered once per set of props, with the same markup", () => {
  const page = (label: string) =>
    collectIslands(() =>
      renderToString(
        <main>
          <Badge label={label} />
          <Chip label="after" />
        </main>,
      )
    );
  const expected =
    '<main><paiid-island data-island="Badge" data-id="0"><b>x<span class="chip">nested</span>' +
    '</b></paiid-island><paiid-island data-island="Chip" data-id="1"><span class="chip">after' +
    "</span></paiid-island></main>";
  const first = page("x");
  const second = page("x");
  equal(first.result, expected);
  equal(second.result, expected);
  equal(badgeRenders, 1, "the second page reused the first page's markup");
  equal(JSON.stringify(second.islands), JSON.stringify(first.islands));
  equal(JSON.stringify(second.islands.map((i) => i.name)), '["Badge","Chip"]');
  match(page("y").result, /<b>y</);
  equal(badgeRenders, 2, "new props render anew");
});
