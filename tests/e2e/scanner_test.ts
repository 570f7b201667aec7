/**
 * Browser test of the Market Scanner: the oversold preset run from its chip lists hits with their
 * RSI reasons on the day before the replayed one, the table sorts from the keyboard, and a hit's
 * link opens the symbol page, which shows its chart patterns and levels.
 */
import assert from "node:assert/strict";
import {
  e2eTest,
  launchBrowser,
  newPage,
  screenshot,
  SCREENSHOT_DIR,
  startApp,
  watchConsoleErrors,
} from "./_helpers.ts";
import { signUpForBrowser } from "../_auth.ts";
import { openReplayEnv } from "../_replay_env.ts";

e2eTest("scanner: run the oversold preset, sort by RSI from the keyboard, open a hit", async () => {
  // Mid-March 2020: the sell-off leaves many stocks oversold.
  const app = await startApp({ env: { ...openReplayEnv(), REPLAY_START: "2020-03-16" } });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);
    await signUpForBrowser(page, app.url);
    await page.goto(`${app.url}/scanner`, { waitUntil: "networkidle" });
    await page.getByTestId("regime-current").waitFor();
    assert.match(
      await page.getByTestId("regime-current").innerText(),
      /^(calm uptrend|volatile uptrend|correction|crisis)$/,
    );
    // Chart patterns come with their record (or say none completed).
    await page.locator("[data-testid=patterns-table], [data-testid=patterns-empty]").first()
      .waitFor();
    if (await page.getByTestId("patterns-table").count()) {
      assert.match(
        await page.getByTestId("patterns-table").innerText(),
        /went its way \d+ % of \d+ times/,
      );
    }
    await page.getByTestId("regime").screenshot({ path: `${SCREENSHOT_DIR}scanner-regime.png` });
    await page.getByTestId("patterns").screenshot({
      path: `${SCREENSHOT_DIR}scanner-patterns.png`,
    });
    await page.getByTestId("preset-oversold").click();
    await page.getByTestId("scan-results").waitFor();
    assert.equal(await page.getByTestId("preset-oversold").getAttribute("aria-pressed"), "true");
    assert.match(
      await page.getByTestId("scan-asof").innerText(),
      /\d+ of 107 stocks matched on the close of \w{3} \d+ \w{3} 2020/,
    );
    assert.ok(await page.locator("#scan-replay").count(), "the replay label");
    const hits = page.getByTestId("scan-hit");
    const n = await hits.count();
    assert.ok(n > 0);
    for (let i = 0; i < n; i++) {
      assert.match(await hits.nth(i).locator(".scan-reasons").innerText(), /RSI\(14\) [\d.]+ < 30/);
    }

    // Sort by RSI from the keyboard: focus the header button, Enter twice gives ascending.
    const rsiHeader = page.getByRole("button", { name: /^RSI\(14\)/ });
    await rsiHeader.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    const th = page.locator("th", { has: rsiHeader });
    assert.equal(await th.getAttribute("aria-sort"), "ascending");
    const values = await page.locator("[data-testid=scan-hit] td:nth-of-type(2)").allInnerTexts();
    const numbers = values.map(Number);
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
    await screenshot(page, "scanner-oversold");

    const first = page.getByTestId("scan-hit-link").first();
    const symbol = await first.innerText();
    await first.focus();
    await Promise.all([page.waitForURL(`**/symbol/${symbol}`), page.keyboard.press("Enter")]);
    assert.match(
      await page.locator("h1, [data-testid=quote-symbol]").first().innerText(),
      new RegExp(symbol),
    );
    // The symbol page shows the stock's patterns of the last year with their record.
    await page.getByTestId("pattern-levels").waitFor();
    assert.match(await page.getByTestId("pattern-levels").innerText(), /support|resistance/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await app.stop();
  }
});
