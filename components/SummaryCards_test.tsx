import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import type { Account } from "../lib/broker/types.ts";
import SummaryCards from "./SummaryCards.tsx";

const totals = {
  marketValue: 1234.5,
  costBasis: 1300,
  unrealizedPl: -65.5,
  unrealizedPlPercent: -0.05038,
  dayPl: -3,
  positions: 2,
};

const account = {
  cash: 98_700,
  buyingPower: 197_400,
  equity: 99_934.5,
  dayPl: 12.25,
  dayPlPercent: 0.000123,
} as Account;

/** The value text of the card `id`. */
function card(html: string, id: string): string {
  const m = new RegExp(`data-testid="summary-${id}"[\\s\\S]*?summary-value[^>]*>([^<]*)<`)
    .exec(html);
  assert.ok(m, `card ${id}`);
  return m[1];
}

Deno.test("SummaryCards: signed P&L with its tone, money in USD", () => {
  const html = renderToString(<SummaryCards account={account} totals={totals} failed={false} />);
  assert.equal(card(html, "market-value"), "$1,234.50");
  assert.equal(card(html, "cost-basis"), "$1,300.00");
  assert.equal(card(html, "unrealized"), "−$65.50");
  assert.equal(card(html, "day"), "+$12.25");
  assert.equal(card(html, "cash"), "$98,700.00");
  assert.equal(card(html, "buying-power"), "$197,400.00");
  assert.equal(card(html, "equity"), "$99,934.50");
  assert.match(html, /summary-unrealized[\s\S]*?positions-summary-value num loss/);
  assert.match(html, /summary-day[\s\S]*?positions-summary-value num gain/);
  assert.match(html, /−5.04 %/);
});

Deno.test("SummaryCards: loading shows an ellipsis, a failed load a dash, never $0.00", () => {
  const loading = renderToString(<SummaryCards account={null} totals={totals} failed={false} />);
  const failed = renderToString(<SummaryCards account={null} totals={totals} failed />);
  for (const id of ["market-value", "unrealized", "cash", "equity"]) {
    assert.equal(card(loading, id), "…", id);
    assert.equal(card(failed, id), "—", id);
  }
  assert.ok(!loading.includes("$"), "no money before the account is known");
});
