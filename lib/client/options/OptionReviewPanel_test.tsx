import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { OptionReviewPanel } from "./OptionReviewPanel.tsx";
import { readOptionPreview } from "./preview.ts";
import type { OptionReview } from "./use_option_review.ts";

const preview = readOptionPreview({
  preview: {
    buyingPower: 100_000,
    buyingPowerAfter: 99_895,
    marketState: "open",
    marketOpen: true,
    checks: [{ rule: "option_level", ok: true, severity: "info", message: "Spreads allowed." }],
    option: {
      structure: "vertical",
      label: "Bull call spread AAPL 150/155 2021-01-15",
      premium: 105,
      maxProfit: 395,
      maxLoss: 105,
      breakevens: [151.05],
      buyingPower: { amount: 105, rule: "A debit spread holds its debit." },
      requires: "spreads",
      legs: [
        {
          symbol: "AAPL210115C00150000",
          side: "buy",
          ratioQty: 1,
          positionIntent: "buy_to_open",
          bid: 2,
          ask: 2.2,
          mark: 2.1,
        },
        {
          symbol: "AAPL210115C00155000",
          side: "sell",
          ratioQty: 1,
          positionIntent: "sell_to_open",
          bid: 1,
          ask: 1.1,
          mark: 1.05,
        },
      ],
      chain: "replay-model",
    },
  },
})!;

const review: OptionReview = {
  key: "k",
  refusal: null,
  preview,
  body: {
    orderClass: "mleg",
    symbol: "AAPL",
    side: "buy",
    type: "limit",
    timeInForce: "day",
    qty: 1,
    limitPrice: 1.05,
    legs: preview.option.legs.map(({ symbol, side, ratioQty, positionIntent }) => ({
      symbol,
      side,
      ratioQty,
      positionIntent,
    })),
  },
};

const render = (r: OptionReview) =>
  renderToString(
    <OptionReviewPanel review={r} placing={false} onConfirm={() => {}} onBack={() => {}} />,
  );

Deno.test("option review: structure, premium, limits, breakevens, buying power and its rule", () => {
  const html = render(review);
  assert.match(html, /Review: Bull call spread AAPL 150\/155 2021-01-15 · 1 unit · limit \$1\.05/);
  assert.match(html, /data-testid="opt-review-premium">\$105\.00 paid \(debit\)/);
  assert.match(html, /data-testid="opt-review-max-profit">\$395\.00/);
  assert.match(html, /data-testid="opt-review-breakevens">\$151\.05/);
  assert.match(html, /A debit spread holds its debit\./);
  assert.match(html, /Buy to open AAPL 150 call · 15 Jan 2021/);
  assert.match(html, /data-testid="opt-review-model"/, "the modelled chain is labelled");
  assert.match(html, /data-rule="option_level"/);
  assert.ok(!/data-testid="opt-ticket-confirm"[^>]*disabled/.test(html), "Confirm enabled");
});

Deno.test("option review: a refusal disables Confirm and names the rule", () => {
  const refused = {
    ...review,
    preview: {
      ...preview,
      checks: [{
        rule: "option_level" as const,
        ok: false,
        severity: "refuse" as const,
        message: "Naked short calls have unlimited risk.",
      }],
    },
  };
  const html = render(refused);
  assert.match(html, /Refused by Option level\./);
  assert.match(html, /data-testid="opt-ticket-confirm"[^>]*disabled/);
  const live = render({
    ...review,
    preview: { ...preview, option: { ...preview.option, chain: "tradier" } },
  });
  assert.ok(!/opt-review-model/.test(live), "no model label on a quoted chain");
});
