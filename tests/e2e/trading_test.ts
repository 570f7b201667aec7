/**
 * Browser test of trading: on Execute Trade, review and place a market buy; see it filled in
 * today's orders and in Active Positions with live values; close it behind its confirmation.
 */
import assert from "node:assert/strict";
import {
  e2eTest,
  hydrated,
  launchBrowser,
  newPage,
  screenshot,
  startApp,
  watchConsoleErrors,
} from "./_helpers.ts";
import { signUpForBrowser } from "../_auth.ts";
import { openReplayEnv } from "../_replay_env.ts";
import { pickSymbolWithKeys, reviewBuy } from "./_ticket.ts";

e2eTest(
  "trading: a market buy on Execute shows in Active Positions, then closes; a sized trade reaches the ticket",
  async () => {
    const app = await startApp({ env: openReplayEnv() });
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      const errors = watchConsoleErrors(page);
      await signUpForBrowser(page, app.url);

      // networkidle says the island chunks arrived; typing waits until the ticket is hydrated.
      await page.goto(`${app.url}/execute`, { waitUntil: "networkidle" });
      await hydrated(page);
      const ticket = page.getByTestId("order-ticket");
      await ticket.waitFor();
      assert.ok(await page.getByTestId("trading-mode-badge").count());
      await pickSymbolWithKeys(page);
      const checks = await reviewBuy(page, { qty: "5" });
      assert.match(await checks.innerText(), /buying power/i);
      const review = page.getByTestId("ticket-review-panel");
      assert.match(
        await review.locator("h3").innerText(),
        /^Review: Buy 5 shares of AAPL · Market/,
      );
      assert.match(
        await page.getByTestId("ticket-estimated-cost").innerText(),
        /^\$\d{1,3}(,\d{3})*\.\d{2}$/,
      );
      await page.getByTestId("ticket-confirm").click();
      const toast = page.getByTestId("toast");
      await toast.waitFor();
      await page.waitForFunction(() =>
        /bought|filled/i.test(document.querySelector("[data-testid=toast]")?.textContent ?? "")
      );
      assert.match(await toast.innerText(), /AAPL/);
      const orders = page.getByTestId("todays-orders");
      await page.waitForFunction(() =>
        /filled/i.test(document.querySelector("[data-testid=todays-orders]")?.textContent ?? "")
      );
      assert.match(await orders.innerText(), /AAPL/);
      await screenshot(page, "execute-filled");

      await page.goto(`${app.url}/positions`);
      const row = page.getByTestId("position-row-AAPL");
      await row.waitFor();
      // One snapshot of the row and the cards, so a live tick cannot land between the reads.
      const shown = await page.evaluate(() => {
        const row = document.querySelector<HTMLTableRowElement>("[data-testid=position-row-AAPL]")!;
        const heads = [...row.closest("table")!.tHead!.rows[0].cells].map((c) => c.textContent);
        const cell = (head: RegExp) => row.cells[heads.findIndex((h) => head.test(h ?? ""))];
        const card = (id: string) =>
          document.querySelector(`[data-testid=summary-${id}] .positions-summary-value`);
        return {
          qty: cell(/^Qty/)?.textContent,
          last: cell(/^Last/)?.textContent,
          marketValue: cell(/^Market value/)?.textContent,
          cardMarketValue: card("market-value")?.textContent,
          cardCash: card("cash")?.textContent,
        };
      });
      assert.equal(shown.qty, "5", "the five shares bought");
      const usd = /^\$\d{1,3}(,\d{3})*\.\d{2}$/;
      for (const [what, text] of Object.entries(shown)) {
        if (what !== "qty") assert.match(text ?? "", usd, `${what} is a USD amount`);
      }
      const dollars = (text: string | null | undefined) => Number(text!.replace(/[$,]/g, ""));
      // Market value is the five shares at the last price (each shown rounded to the cent).
      assert.ok(
        Math.abs(dollars(shown.marketValue) - 5 * dollars(shown.last)) <= 0.03,
        `${shown.marketValue} is 5 × ${shown.last}`,
      );
      assert.equal(shown.cardMarketValue, shown.marketValue, "the only position is the total");
      assert.equal(await page.locator('a[href="/symbol/AAPL"]').count() > 0, true);
      await screenshot(page, "positions");

      await page.getByTestId("close-AAPL").click();
      await page.getByTestId("close-confirm").click();
      await page.waitForFunction(() => !document.querySelector("[data-testid=position-row-AAPL]"), {
        timeout: 10_000,
      });
      await page.reload({ waitUntil: "networkidle" });
      assert.equal(await page.getByTestId("position-row-AAPL").count(), 0, "closed for good");

      // Risk stage: size a trade by a stop, then send it to the ticket prefilled.
      await page.goto(`${app.url}/risk`, { waitUntil: "networkidle" });
      const sizer = page.getByTestId("position-sizer");
      await sizer.locator('input[name="entry"]').fill("100");
      await sizer.locator('input[name="stop"]').fill("95");
      await sizer.locator('input[name="riskPercent"]').fill("0.5");
      await page.getByTestId("size-submit").click();
      // 0.5 % of equity at risk over $5 a share (equity is a little under the $100,000 start
      // after the round trip above paid the spread).
      await page.getByTestId("size-result").waitFor();
      const equity: number = await page.evaluate(async () =>
        (await (await fetch("/api/portfolio")).json()).account.equity
      );
      const expected = Math.floor(equity * 0.005 / 5);
      assert.equal(await page.getByTestId("size-shares").innerText(), String(expected));
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/execute"),
        page.getByTestId("send-to-ticket").click(),
      ]);
      await page.getByTestId("order-ticket").waitFor();
      assert.equal(await page.getByTestId("ticket-qty").inputValue(), String(expected));
      assert.equal(await page.getByTestId("ticket-symbol").inputValue(), "AAPL");
      assert.deepEqual(errors, [], "no console errors");
    } catch (err) {
      console.error(`--- app output ---\n${app.logs()}`);
      throw err;
    } finally {
      await browser.close();
      await app.stop();
    }
  },
);
