/** The order ticket on Execute Trade, driven as a person would, for the trading browser tests. */
import type { Locator, Page } from "playwright-core";

export interface TicketOrder {
  qty: string;
  type?: "market" | "limit";
  limitPrice?: string;
}

/** Fills a buy of AAPL and opens its review; returns the review's checks once they show. */
export async function reviewBuy(page: Page, order: TicketOrder): Promise<Locator> {
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
