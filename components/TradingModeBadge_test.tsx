import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import TradingModeBadge from "./TradingModeBadge.tsx";

Deno.test("TradingModeBadge: PAPER with an explanation tied to it", () => {
  const html = renderToString(<TradingModeBadge mode="paper" />);
  assert.match(html, /class="badge badge--paper"/);
  assert.match(html, />PAPER</);
  assert.match(html, /aria-describedby="trading-mode-tip"/);
  assert.match(html, /role="tooltip" id="trading-mode-tip">Paper trading: [^<]*simulated/);
});

Deno.test("TradingModeBadge: LIVE warns that real money is used", () => {
  const html = renderToString(<TradingModeBadge mode="live" />);
  assert.match(html, />LIVE</);
  assert.match(html, /real money/);
});
