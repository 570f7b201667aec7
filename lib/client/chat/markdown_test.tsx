import assert from "node:assert/strict";
import { render } from "preact-render-to-string";
import { Markdown, parseBlocks } from "./markdown.tsx";

Deno.test("parseBlocks: paragraphs, lists and fenced code", () => {
  assert.deepEqual(parseBlocks("a\nb\n\n- x\n- y\n1. one\n```\n<b>\n```"), [
    { kind: "p", text: "a b" },
    { kind: "ul", items: ["x", "y"] },
    { kind: "ol", items: ["one"] },
    { kind: "code", text: "<b>" },
  ]);
});

Deno.test("Markdown: raw HTML stays text, bold and unverified numbers are marked", () => {
  const html = render(
    <Markdown
      text="**AAPL** at 187.25 <img src=x onerror=alert(1)> and `42`"
      unverified={["187.25"]}
    />,
  );
  assert.ok(!html.includes("<img"), html);
  assert.ok(html.includes("&lt;img"), html);
  assert.ok(html.includes("<strong>AAPL</strong>"), html);
  assert.match(html, /<mark[^>]*>187\.25<\/mark>/);
  assert.ok(html.includes("<code>42</code>"), html);
});
