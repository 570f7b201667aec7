import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { ReviewPanel } from "./ReviewPanel.tsx";
import type { Review } from "./use_order_review.ts";

const review: Review = {
  body: { symbol: "AAPL", side: "buy", type: "limit", timeInForce: "day", qty: 5, limitPrice: 99 },
  key: "k",
  refusal: null,
  preview: {
    symbol: "AAPL",
    side: "buy",
    qty: 5,
    estimatedPrice: 99,
    estimatedCost: 495,
    buyingPower: 1_000,
    buyingPowerAfter: 505,
    positionQty: 0,
    positionQtyAfter: 5,
    marketState: "open",
    marketOpen: true,
    quote: {
      bid: 98.5,
      ask: 99.5,
      last: 99,
      timestamp: "2026-12-04T15:00:00Z",
      source: "replay",
      replayDate: "2020-02-05",
    },
    checks: [{ rule: "buying_power", ok: true, severity: "info", message: "Enough cash." }],
  },
};

const render = (r: Review, placing = false) =>
  renderToString(
    <ReviewPanel
      review={r}
      placing={placing}
      titleRef={{ current: null }}
      onConfirm={() => {}}
      onClose={() => {}}
    />,
  );

const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&");

Deno.test("ReviewPanel: says what the order does, in shares and USD, with its replay day", () => {
  const t = text(render(review));
  assert.match(t, /Review: Buy 5 shares of AAPL · Limit \(limit \$99\.00\) · Day/);
  assert.match(t, /Estimated cost\$495\.00/);
  assert.match(t, /Buying power\$1,000\.00 → \$505\.00/);
  assert.match(t, /0 shares → 5 shares/);
  assert.match(t, /REPLAY · Wed 5 Feb 2020 · intraday simulated/);
  assert.match(t, /Confirm buy · 5 shares/);
  assert.ok(!/data-testid="ticket-confirm"[^>]*disabled/.test(render(review)));
});

Deno.test("ReviewPanel: a refusing check disables Confirm and names the rule", () => {
  const refused: Review = {
    ...review,
    preview: {
      ...review.preview,
      checks: [{
        rule: "buying_power",
        ok: false,
        severity: "refuse",
        message: "Not enough cash.",
      }],
    },
  };
  const html = render(refused);
  assert.match(
    html,
    /<button[^>]*disabled[^>]*data-testid="ticket-confirm"|data-testid="ticket-confirm"[^>]*disabled/,
  );
  assert.match(text(html), /Refused by .*Confirm is disabled\./);
});

Deno.test("ReviewPanel: live quotes carry no replay label", () => {
  const live: Review = {
    ...review,
    preview: { ...review.preview, quote: { ...review.preview.quote, source: "tradier" } },
  };
  assert.ok(!text(render(live)).includes("REPLAY"));
});
