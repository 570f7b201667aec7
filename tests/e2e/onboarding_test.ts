/**
 * Browser test of onboarding: a new user sees the setup invitation on the hub, completes the
 * form, edits one suggested limit, confirms, and finds the limits in their settings.
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
import { signUpForBrowser, signUpInBrowser } from "../_auth.ts";
import { openReplayEnv } from "../_replay_env.ts";

e2eTest("onboarding: the form's suggested limits, confirmed, are the user's settings", async () => {
  const app = await startApp({ env: openReplayEnv() });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);
    await signUpInBrowser(page, app.url);
    const invite = page.getByTestId("onboarding-invite");
    await invite.waitFor();
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/onboarding"),
      invite.getByRole("link", { name: "Start the setup" }).click(),
    ]);
    await page.waitForLoadState("networkidle");

    const form = page.getByTestId("onboarding-form");
    await form.waitFor();
    await form.getByLabel("Your goals").fill("Learn to trade carefully");
    await form.getByLabel("Trading experience").selectOption("beginner");
    await form.getByLabel("Time horizon").selectOption("years");
    await form.getByLabel("Risk tolerance").selectOption("low");
    await form.getByLabel("Starting paper cash (USD)").fill("50000");
    await form.getByLabel("Symbols to watch (comma-separated)").fill("aapl, msft");
    await form.getByRole("button", { name: "See suggested limits" }).click();

    const limits = page.getByTestId("onboarding-limits");
    await limits.waitFor();
    // low tolerance, beginner, 50 000 USD: 5 % × 0.75 of the cash per order (lib/ai/risk_limits.ts).
    const order = limits.getByLabel("Largest single order (USD)");
    assert.equal(await order.inputValue(), "1875");
    assert.equal(await limits.getByLabel("Largest position (% of account)").inputValue(), "3.8");
    assert.equal(await limits.getByLabel("Daily loss limit (USD)").inputValue(), "375");
    await order.fill("1500");
    await screenshot(page, "onboarding-limits");
    await limits.getByRole("button", { name: "Confirm and save" }).click();
    await page.locator("[data-testid=onboarding-done], [role=alert]").first().waitFor();
    assert.equal(await page.getByRole("alert").count(), 0, await page.locator("main").innerText());
    await page.getByTestId("onboarding-done").waitFor();

    const settings = await page.evaluate(async () => (await fetch("/api/settings")).json());
    assert.equal(settings.settings.maxOrderValue, 1500);
    assert.equal(settings.settings.maxPositionPercent, 3.8);
    assert.equal(settings.settings.dailyLossLimit, 375);
    assert.equal(settings.settings.startingCash, 50000);
    assert.deepEqual(settings.settings.watchlist, ["AAPL", "MSFT"]);

    // Done: the hub no longer invites, and settings offers a re-run.
    await page.goto(`${app.url}/`);
    await page.locator("#main").waitFor();
    assert.equal(await page.getByTestId("onboarding-invite").count(), 0);
    await page.goto(`${app.url}/settings`);
    await page.getByTestId("rerun-onboarding").waitFor();
    assert.deepEqual(errors, []);
  } catch (err) {
    console.error(`--- app output ---\n${app.logs()}`);
    throw err;
  } finally {
    await browser.close();
    await app.stop();
  }
});

e2eTest(
  "onboarding: the interview by keyboard, question by question, to saved limits",
  async () => {
    const app = await startApp({ env: openReplayEnv() });
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      const errors = watchConsoleErrors(page);
      await signUpForBrowser(page, app.url);
      await page.goto(`${app.url}/onboarding`, { waitUntil: "networkidle" });
      await page.getByRole("tab", { name: "Form" }).focus();
      await page.keyboard.press("ArrowRight");
      const tab = page.getByRole("tab", { name: "Interview" });
      assert.equal(await tab.getAttribute("aria-selected"), "true");
      assert.match(await page.getByRole("tabpanel").innerText(), /Offline analyst/);
      await page.getByRole("button", { name: "Start interview" }).press("Enter");
      const answers = ["Steady growth", "advanced", "years", "high", "200k", "AAPL KO"];
      for (const [i, answer] of answers.entries()) {
        await page.waitForFunction(
          (n) => document.body.textContent?.includes(`Question ${n} of 6`),
          i + 1,
        );
        const input = page.locator('input[name="answer"]');
        await input.fill(answer);
        await input.press("Enter");
      }
      const limits = page.getByTestId("onboarding-limits");
      await limits.waitFor();
      // high tolerance, advanced, 200 000 USD: 20 % × 1.25 of the cash per order.
      assert.equal(await limits.getByLabel("Largest single order (USD)").inputValue(), "50000");
      await limits.getByRole("button", { name: "Confirm and save" }).press("Enter");
      await page.getByTestId("onboarding-done").waitFor();
      const { settings } = await page.evaluate(async () => (await fetch("/api/settings")).json());
      assert.equal(settings.maxOrderValue, 50000);
      assert.equal(settings.maxPositionPercent, 25);
      assert.equal(settings.dailyLossLimit, 10000);
      assert.deepEqual(settings.watchlist, ["AAPL", "KO"]);
      const profile = await page.evaluate(async () => (await fetch("/api/ai/profile")).json());
      assert.equal(profile.profile.via, "interview");
      assert.deepEqual(errors, []);
    } catch (err) {
      console.error(`--- app output ---\n${app.logs()}`);
      throw err;
    } finally {
      await browser.close();
      await app.stop();
    }
  },
);
