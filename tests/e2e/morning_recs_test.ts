/**
 * Browser test of issue 12's flow: on Morning Routine, "Run now" builds the brief (progress, then
 * the brief with today's recommendations); on AI Recs, "Make a proposal" on a buy card puts it in
 * the approval queue, Approve… shows the order preview and checks, and confirming places one
 * paper order, which Execute Trade lists in today's orders.
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
import { signUpInBrowser } from "../_auth.ts";
import { openReplayEnv } from "../_replay_env.ts";

e2eTest(
  "morning & recs: run the brief, propose a buy from AI Recs, approve it, see the order on Execute",
  async () => {
    // The session is open (a day limit order is accepted), and the replayed day follows a strong
    // close (2020-11-09's rally), so the offline analyst has buy ideas.
    const app = await startApp({ env: { ...openReplayEnv(), REPLAY_START: "2020-11-10" } });
    const browser = await launchBrowser();
    const page = await newPage(browser);
    try {
      const errors = watchConsoleErrors(page);
      await signUpInBrowser(page, app.url);

      // Morning Routine. The session is open, so the minute job may already have built today's
      // brief for the new user (it catches up on a missing brief during the session); Run now
      // rebuilds it either way, with progress, and then shows the brief.
      await page.goto(`${app.url}/morning-routine`, { waitUntil: "networkidle" });
      const stage = page.getByTestId("morning-routine");
      await stage.waitFor();
      assert.ok(await page.locator("#morning-replay").count(), "the replay label");
      const started = page.waitForResponse((r) =>
        r.url().endsWith("/api/morning/brief") && r.request().method() === "POST"
      );
      await page.getByRole("button", { name: "Run now" }).click();
      assert.equal((await started).status(), 202, "the build is accepted");
      await page.waitForFunction(
        () =>
          !document.querySelector("[data-testid=morning-progress]") &&
          document.querySelector("[data-testid=morning-brief]"),
        undefined,
        { timeout: 60_000 },
      );
      const recsSection = page.getByTestId("morning-recommendations");
      const recsText = await recsSection.innerText();
      assert.match(recsText, /Today's recommendations/);
      assert.match(recsText, /\bBUY [A-Z.]+ · confidence \d+/, "the brief lists a buy idea");
      assert.match(await page.getByTestId("morning-narrative").innerText(), /\S/);
      await screenshot(page, "morning-brief");

      // AI Recs: the ideas the brief made are the live cards.
      await page.goto(`${app.url}/recommendations`, { waitUntil: "networkidle" });
      const buy = page.locator("[data-testid=rec-card].rec-card--buy").first();
      await buy.waitFor();
      const symbol = await buy.getByTestId("rec-symbol").innerText();
      const shares = Number(
        (await buy.getByTestId("rec-size").innerText()).match(/^(\d+) shares/)?.[1],
      );
      assert.ok(shares >= 1, "a buy card has a size in shares");
      assert.equal(await page.getByTestId("proposal-item").count(), 0, "the queue starts empty");
      await buy.getByRole("button", { name: "Make a proposal" }).click();
      await buy.getByText("Proposal created").waitFor();
      const item = page.getByTestId("proposal-item");
      await item.waitFor();
      assert.match(
        await item.locator("strong").innerText(),
        new RegExp(`^Buy ${shares} shares? of ${symbol} · limit \\$[\\d,]+\\.\\d{2} · Day$`),
      );

      // Approve… opens the confirmation: the order preview and every check, focus on its title.
      await item.getByRole("button", { name: "Approve…" }).click();
      const confirm = page.getByTestId("proposal-confirm");
      await confirm.waitFor();
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        "proposal-confirm-title",
      );
      const preview = await confirm.innerText();
      assert.match(preview, /Estimated cost\s+\$[\d,]+\.\d{2}/i);
      assert.match(preview, /Buying power\s+\$[\d,]+\.\d{2} → \$[\d,]+\.\d{2}/i);
      assert.match(
        preview,
        new RegExp(`Position in ${symbol}\\s+0 shares → ${shares} shares?`, "i"),
      );
      assert.match(preview, /REPLAY/);
      const checks = page.getByTestId("proposal-checks").locator("li");
      assert.ok(await checks.count() > 0, "the checks are listed");
      assert.equal(await page.locator(".ticket-check--refuse").count(), 0, "no check refuses");
      await screenshot(page, "recs-confirm");
      await confirm.getByTestId("proposal-confirm-approve").click();
      await page.getByTestId("proposals-empty").waitFor();
      assert.match(
        await page.getByTestId("proposal-message").innerText(),
        /^Approved: order (new|accepted|pending_new|filled|partially_filled)\. See it in Execute/,
      );

      // Execute Trade: the approved proposal's order is in today's orders.
      await page.goto(`${app.url}/execute`, { waitUntil: "networkidle" });
      const orders = page.getByTestId("todays-orders");
      await orders.getByRole("cell", { name: symbol, exact: true }).waitFor();
      assert.match(await orders.innerText(), new RegExp(`${symbol}[\\s\\S]*\\b${shares}\\b`));
      await screenshot(page, "execute-after-proposal");
      assert.deepEqual(errors, [], "no console errors");
    } catch (err) {
      await screenshot(page, "morning-recs-failure").catch(() => {});
      console.error(`--- app output ---\n${app.logs()}`);
      throw err;
    } finally {
      await browser.close();
      await app.stop();
    }
  },
);
