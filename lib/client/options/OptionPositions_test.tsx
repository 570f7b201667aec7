import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { formatOcc } from "../../shared/occ.ts";
import OptionPositions from "./OptionPositions.tsx";
import type { OptionPosition } from "./positions.ts";

function leg(strike: number, qty: number, greeks = true): OptionPosition {
  return {
    symbol: formatOcc("AAPL", "2021-01-15", "call", strike),
    qty,
    side: qty > 0 ? "long" : "short",
    avgEntryPrice: 2,
    costBasis: qty * 200,
    marketValue: qty * 250,
    currentPrice: 2.5,
    lastdayPrice: 2.4,
    unrealizedPl: qty * 50,
    unrealizedPlPercent: 0.25,
    changeToday: 0.04,
    dayPl: qty * 10,
    realizedPl: null,
    source: "paper",
    prices: "replay",
    assetClass: "us_option",
    option: { underlying: "AAPL", expiration: "2021-01-15", type: "call", strike, multiplier: 100 },
    greeks: greeks ? { delta: 0.5, gamma: 0.04, theta: -0.05, vega: 0.15, iv: 0.3 } : null,
    chain: "replay-model",
  };
}

const render = (options: OptionPosition[]) =>
  renderToString(
    <OptionPositions
      options={options}
      csrfToken="t"
      showToast={() => {}}
      refresh={() => Promise.resolve()}
    />,
  );

Deno.test("option positions render grouped, with a Close strategy for a spread", () => {
  const html = render([leg(155, -1, false), leg(150, 2)]);
  assert.match(html, /data-testid="opt-group-AAPL-2021-01-15"/);
  assert.match(html, /data-testid="close-strategy-AAPL-2021-01-15"/);
  assert.ok(html.indexOf("150 call") < html.indexOf("155 call"), "legs by strike");
  assert.match(html, /data-testid="opt-positions-model"/);
  // The broker's Greeks paint at once (2 contracts × 0.5 × 100 shares); a leg without them
  // shows dashes until the chain's arrive, and so does the group's total.
  assert.match(html, /data-testid="greeks-AAPL210115C00150000-0">100\.0</);
  assert.match(html, /data-testid="greeks-AAPL210115C00150000-2">−\$10\.00</);
  assert.match(html, /data-testid="greeks-AAPL210115C00155000-0">—/);
  assert.match(html, /data-testid="opt-group-greeks-0">—/);
  assert.match(html, /data-testid="pl-AAPL210115C00150000">\+\$100\.00/);
});

Deno.test("a single option leg has no Close strategy, only its own Close", () => {
  const html = render([leg(150, 1)]);
  assert.ok(!/close-strategy-/.test(html));
  assert.match(html, /data-testid="close-AAPL210115C00150000"/);
});
