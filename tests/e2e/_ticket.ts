/** The order ticket on Execute Trade, driven as a person would, for the trading browser tests. */
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { hydrated } from "./_helpers.ts";

export interface TicketOrder {
  qty: string;
  type?: "market" | "limit";
  limitPrice?: string;
}

/** Fills a buy of AAPL and opens its review; returns the review's checks once they show. */
export async function reviewBuy(page: Page, order: TicketOrder): Promise<Locator> {
  // The ticket may have been reached by a click rather than `goto`, which waits on its own.
  await hydrated(page);
  await page.getByTestId("ticket-symbol").fill("AAPL");
  await page.getByTestId("ticket-symbol").press("Tab");
  await page.getByTestId("ticket-side-buy").click();
  await page.getByTestId("ticket-qty").fill(order.qty);
  if (order.type) await page.getByTestId("ticket-type").selectOption(order.type);
  if (order.limitPrice) await page.getByTestId("ticket-limit").fill(order.limitPrice);
  await page.getByTestId("ticket-review").click();
  const checks = page.getByTestId("ticket-checks");
  await checks.waitFor();
  return checks;
}

/**
 * The ticket's symbol combobox from the keyboard: typed text is upper-cased, ArrowDown makes the
 * first suggestion active (announced through aria-activedescendant), Enter fills the box with
 * it, and Escape closes a reopened list without leaving the box. It searches by company name,
 * which is no ticker, so the ticket asks no quote for the half-typed text.
 */
export async function pickSymbolWithKeys(page: Page): Promise<void> {
  const box = page.getByTestId("ticket-symbol");
  const first = page.locator("#ticket-symbol-list [role=option]").first();
  await box.fill("apple inc");
  await first.waitFor();
  assert.equal(await box.inputValue(), "APPLE INC");
  assert.equal(await box.getAttribute("aria-expanded"), "true");
  await box.press("ArrowDown");
  assert.equal(await box.getAttribute("aria-activedescendant"), "ticket-symbol-list-0");
  assert.equal(await first.getAttribute("aria-selected"), "true");
  assert.equal(await first.locator("strong").innerText(), "AAPL");
  await box.press("Enter");
  assert.equal(await box.inputValue(), "AAPL");
  assert.equal(await box.getAttribute("aria-expanded"), "false");
  assert.equal(await box.getAttribute("aria-activedescendant"), null);

  await box.fill("apple inc");
  await first.waitFor();
  await box.press("Escape");
  assert.equal(await box.getAttribute("aria-expanded"), "false");
  assert.equal(await page.locator("#ticket-symbol-list").isHidden(), true);
  assert.equal(await box.evaluate((el) => el === document.activeElement), true);
}
