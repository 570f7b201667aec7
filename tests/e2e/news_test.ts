/**
 * Browser test of the offline News Review stage: the market events of the days before the
 * replayed day show up, each derived from prices and dated before it, one is explained by the
 * offline analyst on a click, and the sentiment lab scores a headline typed with the keyboard.
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

e2eTest("news: events for the replayed day, and the lab scores a headline", async () => {
  const app = await startApp({ env: { ...openReplayEnv(), REPLAY_START: "2020-03-17" } });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);
    await signUpForBrowser(page, app.url);
    // The page fills in as the day's events are worked out: waited for below, with the time a
    // loaded 2-core machine needs, rather than in the navigation's 15 s.
    await page.goto(`${app.url}/news`, { waitUntil: "load", timeout: 60_000 });
    await page.getByTestId("news-event").first().waitFor({ timeout: 60_000 });
    const feed = await page.evaluate(async () =>
      (await fetch("/api/news?scope=all&days=5")).json()
    );
    assert.equal(feed.mode, "offline");
    assert.ok(feed.asOf >= "2020-03-17");
    assert.equal(await page.getByTestId("news-event").count(), feed.events.events.length);
    for (const e of feed.events.events) assert.ok(e.date < feed.asOf);
    assert.match(await page.getByTestId("news-summary").first().innerText(), /S&P 500|index|VIX/);
    const label = await page.getByTestId("news-replay-label").innerText();
    assert.match(label, /REPLAY/);
    assert.match(await page.getByTestId("news-window").innerText(), /through the close of/);
    // March 2020: the S&P's drawdown lines and the VIX spiked within any five days.
    const firstSymbols = await page.locator("[data-testid=news-event] .news-symbol")
      .allInnerTexts();
    assert.ok(firstSymbols.length > 0);

    // Explain is asked only on a click: the offline analyst's summary and its figures.
    await page.getByTestId("news-explain-button").first().click();
    await page.getByTestId("news-explanation").first().waitFor();
    assert.match(
      await page.getByTestId("news-explain-analyst").first().innerText(),
      /^offline analyst$/i,
    );
    assert.match(
      await page.getByTestId("news-explain-summary").first().innerText(),
      /derived from prices/,
    );

    // Narrow to one kind with the keyboard: every item shown is of it.
    await page.locator("select[name=kind]").focus();
    await page.locator("select[name=kind]").selectOption("gap");
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-testid=news-event] .news-kind")].every((n) =>
        n.textContent === "Gap at the open"
      ) && !document.querySelector("[data-testid=news-loading]")
    );

    const text = page.locator("#lab-text");
    await text.focus();
    await page.keyboard.type("$XYZ downgraded to sell as shares plunge on weak guidance");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByTestId("lab-result").waitFor();
    assert.equal(await page.getByTestId("lab-label").innerText(), "bearish");
    assert.match(await page.getByTestId("lab-words").innerText(), /downgraded|plunge|sell/);

    await page.getByTestId("sample-row").first().waitFor();
    assert.equal(await page.getByTestId("sample-row").count(), 20);
    await screenshot(page, "news");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await app.stop();
  }
});
