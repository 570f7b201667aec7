/**
 * Browser test of the Backtesting stage: run the SMA cross template, see its progress end in the
 * metric cards, the equity chart, the bias checks and the trades.
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
  "backtesting: a template run shows its metrics, chart, bias checks and trades",
  async () => {
    const app = await startApp({ env: openReplayEnv() });
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      const errors = watchConsoleErrors(page);
      await signUpForBrowser(page, app.url);
      await page.goto(`${app.url}/backtesting`, { waitUntil: "networkidle" });
      await page.getByTestId("backtester").waitFor();
      // The templates load, and the chosen one reads as sentences.
      await page.waitForFunction(() =>
        /crosses above/.test(
          document.querySelector("[data-testid=bt-template-sentences]")?.textContent ?? "",
        )
      );
      await page.getByTestId("bt-replay-label").waitFor();
      await page.selectOption("select[name=template]", "sma-cross");
      await page.fill("input[name=symbols]", "MSFT");
      await page.getByTestId("bt-run").click();

      const results = page.getByTestId("bt-results");
      await results.waitFor({ timeout: 60_000 });
      const total = await page.getByTestId("bt-metric-totalReturnPct").innerText();
      assert.match(total, /[+-]?\d+\.\d{2} %/);
      assert.match(await page.getByTestId("bt-metric-trades").innerText(), /\d+/);
      // lightweight-charts draws into canvases inside the chart box.
      await page.waitForFunction(() =>
        document.querySelectorAll("[data-testid=bt-equity-chart] canvas").length > 0
      );
      await page.waitForFunction(() =>
        document.querySelectorAll("[data-testid=bt-price-chart] canvas").length > 0
      );
      assert.match(await page.getByTestId("bt-lookahead").innerText(), /Look-ahead: passed/);
      assert.match(await page.getByTestId("bt-bias").innerText(), /Survivorship/);
      assert.match(await page.getByTestId("bt-trades").innerText(), /MSFT/);
      assert.ok(await page.getByTestId("bt-monthly").count());
      await screenshot(page, "backtesting-results");

      // A small sweep: 3 × 2 parameter sets, mapped, with the count tried beside the best.
      await page.locator("[data-testid=bt-sweep] summary").click();
      await page.fill("input[name=sweepX]", "10..30 step 10");
      await page.fill("input[name=sweepY]", "50, 100");
      await page.getByTestId("bt-sweep-run").click();
      const best = page.getByTestId("bt-sweep-best");
      await best.waitFor({ timeout: 60_000 });
      assert.match(await best.innerText(), /best of 6 combinations tried/);
      await screenshot(page, "backtesting-sweep");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await app.stop();
    }
  },
);
