/**
 * Browser test of editing and partial closing: on Execute Trade, a resting limit buy far below
 * the market has its limit changed in Today's orders (keyboard: the editor takes focus, Escape
 * closes it, a bad price is refused before any request, Enter saves); then three shares bought
 * at market are closed one at a time on Active Positions, leaving two.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  e2eTest,
  launchBrowser,
  newPage,
  screenshot,
  startApp,
  watchConsoleErrors,
} from "./_helpers.ts";
import { signUpForBrowser } from "../_auth.ts";
import { openReplayEnv } from "../_replay_env.ts";
import { reviewBuy, type TicketOrder } from "./_ticket.ts";

/** Fills the ticket and places the order behind its review. */
async function placeOrder(page: Page, order: TicketOrder): Promise<void> {
  await reviewBuy(page, order);
  await page.getByTestId("ticket-confirm").click();
}

/** Waits until the focused element's test id matches (focus moves as the screen re-renders). */
async function waitForFocus(page: Page, testId: RegExp): Promise<void> {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.activeElement?.getAttribute("data-testid") ?? ""),
    testId.source,
  );
}

e2eTest("trading: edit a resting limit order's price, then close part of a position", async () => {
  const app = await startApp({ env: openReplayEnv() });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);
    await signUpForBrowser(page, app.url);

    await page.goto(`${app.url}/execute`);
    await page.getByTestId("order-ticket").waitFor();
    await placeOrder(page, { qty: "2", type: "limit", limitPrice: "10.00" });
    await page.waitForFunction(() =>
      /resting/i.test(document.querySelector("[data-testid=toast]")?.textContent ?? "")
    );

    const working = page.locator("[data-testid^=order-row-][data-status=new]");
    await working.waitFor();
    const rowId = (await working.getAttribute("data-testid"))!.slice("order-row-".length);
    assert.match(await working.innerText(), /limit \$10\.00/);

    // The editor opens with focus in it, and Escape gives focus back to Edit.
    await page.getByTestId(`edit-${rowId}`).click();
    const editor = page.getByTestId("order-editor");
    await editor.waitFor();
    await waitForFocus(page, /^edit-qty$/);
    assert.equal(await page.getByTestId("edit-qty").inputValue(), "2");
    assert.equal(await page.getByTestId("edit-limit").inputValue(), "10.00");
    await page.keyboard.press("Escape");
    await editor.waitFor({ state: "detached" });
    await waitForFocus(page, new RegExp(`^edit-${rowId}$`));

    // A price with fractions of a cent is refused on the spot, next to its field.
    await page.keyboard.press("Enter");
    await editor.waitFor();
    await page.getByTestId("edit-limit").fill("10.555");
    await page.getByTestId("edit-limit").press("Enter");
    await page.waitForFunction(() =>
      /2 decimal places/.test(
        document.querySelector("[data-testid=order-editor]")?.textContent ?? "",
      )
    );
    await waitForFocus(page, /^edit-limit$/);
    await screenshot(page, "execute-order-editor");
    assert.equal(
      await page.locator(`[data-testid=order-row-${rowId}]`).getAttribute(
        "data-status",
      ),
      "new",
      "nothing was sent",
    );

    await page.getByTestId("edit-limit").fill("11.25");
    await page.getByTestId("edit-limit").press("Enter");
    await editor.waitFor({ state: "detached" });
    await page.waitForFunction(() =>
      /changed/i.test(document.querySelector("[data-testid=orders-toast]")?.textContent ?? "")
    );
    assert.match(await page.getByTestId("orders-toast").innerText(), /limit \$11\.25/);
    const old = page.locator(`[data-testid=order-row-${rowId}]`);
    assert.equal(await old.getAttribute("data-status"), "replaced");
    const replacement = page.locator("[data-testid^=order-row-][data-status=new]");
    assert.match(await replacement.innerText(), /limit \$11\.25/);
    assert.match(await replacement.innerText(), /2 sh/);
    // Focus lands on the new order's Edit, so the keyboard user keeps their place.
    const nextId = (await replacement.getAttribute("data-testid"))!.slice("order-row-".length);
    await waitForFocus(page, new RegExp(`^edit-${nextId}$`));
    await screenshot(page, "execute-order-edited");

    // The replacement is what the server has, not only what the screen drew.
    await page.reload({ waitUntil: "networkidle" });
    assert.match(
      await page.locator("[data-testid^=order-row-][data-status=new]").innerText(),
      /limit \$11\.25/,
    );

    await placeOrder(page, { qty: "3", type: "market" });
    await page.waitForFunction(() =>
      /bought/i.test(document.querySelector("[data-testid=toast]")?.textContent ?? "")
    );

    await page.goto(`${app.url}/positions`);
    const qtyCell = "[data-testid=position-row-AAPL] td:nth-of-type(2)";
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "3", qtyCell);
    await page.getByTestId("close-AAPL").click();
    const dialog = page.getByTestId("close-dialog");
    await dialog.waitFor();
    assert.match(await page.getByTestId("close-question").innerText(), /Sell all 3 AAPL/);
    await page.getByTestId("close-mode-shares").check();
    await page.getByTestId("close-amount").fill("4");
    assert.match(await page.getByTestId("close-estimate").innerText(), /hold 3 shares/);
    await page.getByTestId("close-amount").fill("1");
    assert.match(await page.getByTestId("close-question").innerText(), /Sell 1 of 3 AAPL/);
    assert.match(await page.getByTestId("close-estimate").innerText(), /1 share × \$[\d,.]+ last/);
    await screenshot(page, "positions-close-part");
    await page.getByTestId("close-confirm").click();
    await dialog.waitFor({ state: "detached" });
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "2", qtyCell);

    await page.reload({ waitUntil: "networkidle" });
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "2", qtyCell);
    assert.deepEqual(errors, [], "no console errors");
  } catch (err) {
    console.error(`--- app output ---\n${app.logs()}`);
    throw err;
  } finally {
    await browser.close();
    await app.stop();
  }
});
