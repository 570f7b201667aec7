/**
 * Browser test of the Risk stage's portfolio risk: an empty book says so; after buying four
 * stocks the panel shows exposure, VaR cards with their methods, a 4 × 4 correlation heatmap,
 * the stress tests (the 2020 crash included, the replay being past it) and limit bars, all
 * labelled as replay; a bad look-back typed with the keyboard gets the server's reason.
 */
import assert from "node:assert/strict";
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

e2eTest(
  "portfolio risk: exposure, VaR, heatmap, stress tests and limits of a bought book",
  async () => {
    const app = await startApp({ env: { ...openReplayEnv(), REPLAY_START: "2020-06-01" } });
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      const errors = watchConsoleErrors(page);
      await signUpForBrowser(page, app.url);
      await page.goto(`${app.url}/risk`, { waitUntil: "networkidle" });
      const panel = page.getByTestId("portfolio-risk");
      await page.getByTestId("prisk-empty").waitFor();
      assert.match(await page.getByTestId("prisk-empty").innerText(), /No open positions/);

      // Buy through the API as the page itself would, with its CSRF token.
      const statuses = await page.evaluate(async () => {
        const csrf = (document.querySelector("input[name=_csrf]") as HTMLInputElement).value;
        const out: number[] = [];
        for (const [symbol, qty] of [["AAPL", 10], ["MSFT", 5], ["XOM", 20], ["JPM", 10]]) {
          const res = await fetch("/api/orders", {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
            body: JSON.stringify({
              symbol,
              side: "buy",
              type: "market",
              timeInForce: "day",
              qty,
              clientOrderId: crypto.randomUUID(),
            }),
          });
          out.push(res.status);
        }
        return out;
      });
      assert.deepEqual(statuses, [201, 201, 201, 201]);

      await page.getByTestId("prisk-submit").click();
      await page.getByTestId("prisk-var-cards").waitFor();
      assert.ok(await page.getByTestId("prisk-replay-label").count());
      assert.equal(await page.getByTestId("prisk-by-symbol").locator("tbody tr").count(), 4);
      assert.match(await page.getByTestId("prisk-gross").innerText(), /^\$[\d,]+\.\d{2} · /);
      const card = page.getByTestId("prisk-var-Historical-1-0.95");
      assert.match(await card.innerText(), /1-day 95 % VaR\s+\$[\d,]+\.\d{2}/);
      assert.match(await card.innerText(), /CVaR \$/);
      assert.match(await card.locator("summary").innerText(), /Historical simulation/);
      assert.match(
        await page.getByTestId("prisk-var-Parametric-10-0.99").innerText(),
        /variance-covariance/,
      );
      assert.equal(await page.getByTestId("prisk-heatmap").locator("rect").count(), 16);
      const covid = page.getByTestId("prisk-stress-covid_2020");
      assert.match(await covid.innerText(), /−\d+\.\d{2} %/);
      assert.match(await covid.innerText(), /−\$[\d,]+\.\d{2}/);
      assert.ok(await page.getByTestId("prisk-limit-max_position_percent").count());
      assert.ok(await page.locator("[role=meter]").count() >= 3);
      // A page shot only: an element shot after resizing the viewport waited for the panel to
      // stop moving and timed out on a loaded machine (CI), while asserting nothing.
      await screenshot(page, "portfolio-risk");

      // Keyboard: a look-back below the minimum, submitted with Enter, gets the server's reason.
      await panel.locator("input[name=lookback]").focus();
      await page.keyboard.press("Control+A");
      await page.keyboard.type("5");
      await page.keyboard.press("Enter");
      await page.getByTestId("prisk-problem").waitFor();
      assert.match(await page.getByTestId("prisk-problem").innerText(), /20 trading days/);
      assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
    } finally {
      await browser.close();
      await app.stop();
    }
  },
);
