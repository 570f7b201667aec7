import assert from "node:assert/strict";
import { breakevensText, levelText, limitText, premiumText, readOptionPreview } from "./preview.ts";

const answer = {
  preview: {
    symbol: "AAPL",
    qty: 1,
    estimatedCost: 105,
    buyingPower: 100_000,
    buyingPowerAfter: 99_895,
    marketState: "open",
    marketOpen: true,
    checks: [
      { rule: "option_level", ok: true, severity: "info", message: "Spreads are allowed." },
      {
        rule: "option_structure",
        ok: true,
        severity: "info",
        message: "Two legs, one underlying.",
      },
      { rule: "nonsense" },
    ],
    option: {
      structure: "vertical",
      label: "Bull call spread AAPL 150/155 2021-01-15",
      premium: 105,
      maxProfit: 395,
      maxLoss: 105,
      breakevens: [151.05],
      buyingPower: { amount: 105, rule: "The debit paid" },
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
};

Deno.test("readOptionPreview: the structure, its limits, buying power rule and legs", () => {
  const p = readOptionPreview(answer);
  assert.ok(p);
  assert.equal(p.option.label, "Bull call spread AAPL 150/155 2021-01-15");
  assert.equal(p.option.maxProfit, 395);
  assert.deepEqual(p.option.buyingPower, { amount: 105, rule: "The debit paid" });
  assert.equal(p.option.legs.length, 2);
  assert.equal(p.option.chain, "replay-model");
  assert.equal(p.checks.length, 2, "a malformed check is dropped");
  assert.equal(p.buyingPowerAfter, 99_895);
});

Deno.test("readOptionPreview: unlimited and undefined limits pass, other shapes do not", () => {
  const o = answer.preview.option;
  const naked = { preview: { ...answer.preview, option: { ...o, maxLoss: "unlimited" } } };
  assert.equal(readOptionPreview(naked)?.option.maxLoss, "unlimited");
  const calendar = { preview: { ...answer.preview, option: { ...o, maxProfit: null } } };
  assert.equal(readOptionPreview(calendar)?.option.maxProfit, null);
  for (
    const bad of [
      null,
      { preview: { ...answer.preview, option: undefined } },
      { preview: { ...answer.preview, option: { ...o, maxLoss: "lots" } } },
      { preview: { ...answer.preview, option: { ...o, buyingPower: 105 } } },
      { preview: { ...answer.preview, option: { ...o, legs: [{ symbol: 1 }] } } },
      { preview: { ...answer.preview, checks: "ok" } },
    ]
  ) assert.equal(readOptionPreview(bad), null, JSON.stringify(bad)?.slice(0, 80));
});

Deno.test("preview figures in words", () => {
  assert.equal(premiumText(105), "$105.00 paid (debit)");
  assert.equal(premiumText(-42.5), "$42.50 received (credit)");
  assert.equal(premiumText(null), "—");
  assert.equal(limitText("unlimited"), "Unlimited");
  assert.equal(limitText(null), "Not defined at one expiry");
  assert.equal(limitText(395), "$395.00");
  assert.equal(breakevensText([147.9, 152.1]), "$147.90 · $152.10");
  assert.equal(breakevensText([]), "None");
  assert.equal(levelText("spreads"), "covered and spreads");
});
