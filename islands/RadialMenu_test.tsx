import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import RadialMenu from "./RadialMenu.tsx";
import { STAGES } from "../lib/stages.ts";
import type { MarketClock, MarketSource, Quote } from "../lib/market/types.ts";

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

Deno.test("RadialMenu: each wedge is named by its visible words, then what it does", () => {
  const html = renderToString(<RadialMenu size="full" />);
  const named = {
    risk: "Risk &amp; Sizing",
    recommendations: "AI Recs",
    settings: "App Settings",
    backtesting: "Back-testing",
  } as Record<string, string>;
  for (const stage of STAGES) {
    const words = named[stage.id] ?? stage.name;
    assert.ok(html.includes(`aria-label="${words} – ${stage.description}"`), stage.id);
    // The two lines' text reads as two words, not one run together (or one hyphenated word).
    const gap = stage.label[0].endsWith("-") ? "" : " ";
    assert.ok(
      html.includes(`${stage.label[0].toUpperCase().replace("&", "&amp;")}</tspan>${gap}<tspan`),
      stage.id,
    );
  }
});

Deno.test("RadialMenu: aria-current on the active wedge only", () => {
  const html = renderToString(<RadialMenu size="compact" activeId="execute" />);
  assert.deepEqual(links(html).filter((l) => l.current).map((l) => l.testid), ["wedge-execute"]);
});

function slot(html: string): string {
  const at = html.indexOf('data-testid="index-quotes"');
  assert.ok(at >= 0, "index-quotes slot present");
  return html.slice(at);
}

function clock(source: MarketSource, state: MarketClock["state"]): MarketClock {
  return {
    state,
    date: "2020-01-02",
    session: 0,
    nextCloseSession: null,
    nextOpen: null,
    nextClose: null,
    description: "",
    source,
    timestamp: "2020-01-02T15:00:00Z",
  };
}

function quote(symbol: string, last: number, changePercent: number, source: MarketSource): Quote {
  return {
    symbol,
    description: null,
    last,
    bid: null,
    ask: null,
    bidSize: null,
    askSize: null,
    change: null,
    changePercent,
    volume: null,
    open: null,
    high: null,
    low: null,
    prevClose: null,
    timestamp: "2020-01-02T15:00:00Z",
    source,
  };
}

Deno.test("RadialMenu: before market data arrives the index slot says it is loading", () => {
  for (const size of ["full", "compact"] as const) {
    const html = slot(renderToString(<RadialMenu size={size} />));
    assert.match(html, /Loading/);
    assert.ok(!html.includes("market-status"), `${size}: no status pill without a clock`);
  }
});

Deno.test("RadialMenu: replay shows S&P 500 and VIX with signed change, status and REPLAY", () => {
  const market = {
    clock: clock("replay", "open"),
    quotes: [quote("SPX", 3257.85, 0.8379, "replay"), quote("VIX", 12.47, -9.1, "replay")],
  };
  const html = slot(renderToString(<RadialMenu size="full" market={market} />));
  assert.match(html, /MARKET OPEN/);
  assert.match(html, /data-testid="index-SPX"[\s\S]*?S&amp;P 500[\s\S]*?3,257.85[\s\S]*?\+0.84 %/);
  assert.match(html, /data-testid="index-VIX"[\s\S]*?12.47[\s\S]*?−9.10 %/);
  assert.match(html, /centre-quote-change--gain/);
  assert.match(html, /centre-quote-change--loss/);
  assert.match(html, /REPLAY · THU 2 JAN 2020/);
  assert.match(html, /data-testid="index-replay"[\s\S]*?INTRADAY SIMULATED/);
  assert.ok(!html.includes("index-DJI"), "replay has no Dow");
  const compact = slot(
    renderToString(
      <RadialMenu size="compact" market={{ ...market, clock: clock("replay", "postmarket") }} />,
    ),
  );
  assert.match(compact, /AFTER HRS/);
});

Deno.test("RadialMenu: Tradier shows the Dow, Nasdaq and S&P 500 and no REPLAY label", () => {
  const html = slot(
    renderToString(
      <RadialMenu size="full" market={{ clock: clock("tradier", "premarket"), quotes: [] }} />,
    ),
  );
  for (const symbol of ["DJI", "COMP", "SPX"]) assert.match(html, new RegExp(`index-${symbol}`));
  assert.match(html, /PRE-MARKET/);
  assert.ok(!html.includes("REPLAY"));
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

Deno.test("RadialMenu: each wedge carries what the caption says about it", () => {
  const html = renderToString(<RadialMenu size="full" />);
  const tags = [...html.matchAll(/<a\b[^>]*>/g)].map(([tag]) => tag);
  assert.equal(tags.length, STAGES.length);
  for (const [i, stage] of STAGES.entries()) {
    assert.ok(tags[i].includes(`data-name="${stage.name}"`), stage.id);
    assert.ok(tags[i].includes(`data-description="${stage.description}"`), stage.id);
    assert.match(tags[i], /data-color="#[0-9A-Fa-f]{6}"/, stage.id);
  }
});
