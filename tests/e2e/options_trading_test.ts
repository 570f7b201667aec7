/**
 * Browser test of option trading: on AAPL's symbol page, Enter on a call's ask opens the option
 * ticket prefilled with that contract (buy to open, limit at the ask, 1 contract, × 100 in
 * dollars); its review shows the structure, premium, max loss and the modelled-chain label;
 * the order fills, and Active Positions shows the contract with its Greeks and days to expiry;
 * its Close sells it to close behind a confirmation. Then "+ leg" builds a bull call spread from
 * the chain, placed as one multi-leg order and closed with "Close strategy"; and the strategy
 * builder's iron condor reaches the ticket with "Send as order".
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

const USD = /^\$\d{1,3}(,\d{3})*\.\d{2}$/;

e2eTest(
  "options: buy a call from AAPL's chain at the ask, see it with its Greeks; a spread",
  async () => {
    const app = await startApp({ env: openReplayEnv() });
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      const errors = watchConsoleErrors(page);
      await signUpForBrowser(page, app.url);
      await page.goto(`${app.url}/symbol/AAPL`, { waitUntil: "networkidle" });

      // The at-the-money call's ask: the first ask button of the highlighted row.
      const ask = page.locator(
        '[data-testid="option-chain"] .chain-atm [data-testid^="chain-ask-"]',
      )
        .first();
      await ask.waitFor();
      const occ = (await ask.getAttribute("data-testid"))!.replace("chain-ask-", "");
      assert.match(occ, /^AAPL\d{6}C\d{8}$/, "a call's OCC symbol");
      const askText = (await ask.innerText()).replace(/,/g, "");
      const askPrice = Number(askText);
      assert.ok(askPrice > 0, `an ask, got ${askText}`);
      await ask.focus();
      await page.keyboard.press("Enter");

      const ticket = page.getByTestId("opt-ticket");
      await ticket.waitFor();
      assert.equal(await page.getByTestId("opt-ticket-intent-0").inputValue(), "buy_to_open");
      assert.equal(await page.getByTestId("opt-ticket-qty").inputValue(), "1");
      assert.equal(await page.getByTestId("opt-ticket-type").inputValue(), "limit");
      assert.equal(await page.getByTestId("opt-ticket-tif").inputValue(), "day");
      assert.equal(Number(await page.getByTestId("opt-ticket-limit").inputValue()), askPrice);
      assert.equal(
        await page.getByTestId("opt-ticket-dollars").innerText(),
        `1 × $${askPrice.toFixed(2)} × 100 = $${
          (askPrice * 100).toLocaleString("en-US", {
            minimumFractionDigits: 2,
            maximumFractionDigits: 2,
          })
        }`,
      );

      // Market, so the fill does not depend on the modelled ask moving before it arrives.
      await page.getByTestId("opt-ticket-type").selectOption("market");
      await page.getByTestId("opt-ticket-review").click();
      const review = page.getByTestId("opt-review-panel");
      await review.waitFor();
      assert.match(await review.locator("h3").innerText(), /call/i);
      assert.match(await page.getByTestId("opt-review-premium").innerText(), /paid \(debit\)$/);
      const maxLoss = await page.getByTestId("opt-review-max-loss").innerText();
      assert.match(maxLoss, USD, "a long call's loss is bounded by its premium");
      assert.equal(await page.getByTestId("opt-review-max-profit").innerText(), "Unlimited");
      assert.ok(await page.getByTestId("opt-review-bp-rule").innerText());
      await page.getByTestId("opt-review-model").waitFor();
      const level = page.locator('[data-testid="ticket-checks"] [data-rule="option_level"]');
      assert.equal(await level.getAttribute("data-verdict"), "ok");
      await screenshot(page, "options-review");

      await page.getByTestId("opt-ticket-confirm").click();
      await page.waitForFunction(() =>
        /^Bought 1 contract AAPL/.test(
          document.querySelector("[data-testid=opt-ticket-toast] .toast-text")?.textContent ?? "",
        )
      );

      await page.goto(`${app.url}/positions`, { waitUntil: "networkidle" });
      const row = page.getByTestId(`position-row-${occ}`);
      await row.waitFor();
      // The Greeks arrive from the chain after the table: wait for the delta to be a number.
      await page.waitForFunction(
        (id) =>
          /\d/.test(document.querySelector(`[data-testid="greeks-${id}-0"]`)?.textContent ?? ""),
        occ,
      );
      const delta = Number(
        (await page.getByTestId(`greeks-${occ}-0`).innerText()).replace("≈", ""),
      );
      assert.ok(delta > 0 && delta <= 100, `a long call's delta in shares, got ${delta}`);
      assert.match(await page.getByTestId(`greeks-${occ}-2`).innerText(), /^≈?−\$/, "theta costs");
      // Days to expiry need the market clock, which the panel fetches after it renders ("—").
      await page.waitForFunction(() =>
        /\d+ days?|today/.test(
          document.querySelector('[data-testid="opt-group-dte"]')?.textContent ?? "",
        )
      );
      assert.match(await page.getByTestId(`pl-${occ}`).innerText(), /^([+−]\$|\$0\.00)/);
      await page.getByTestId("opt-positions-model").waitFor();
      await screenshot(page, "options-positions");

      // Close it: the confirmation names the contract, then the row goes.
      await page.getByTestId(`close-${occ}`).click();
      const confirm = page.getByTestId("opt-close-confirm");
      await confirm.waitFor();
      assert.match(await confirm.innerText(), /Sell to close 1 contract AAPL .* call/);
      await page.getByTestId("opt-close-yes").click();
      await row.waitFor({ state: "detached" });

      // A bull call spread from the chain in "+ leg" mode, then closed as one order.
      await page.goto(`${app.url}/symbol/AAPL`, { waitUntil: "networkidle" });
      // A later expiry than the nearest: a day before expiry the strike above the money can bid
      // 0.00, and a leg that cannot be sold leaves the spread with no premium to judge.
      const expiry = page.locator('[data-testid="option-chain"] select').first();
      const later = await expiry.locator("option").nth(2).getAttribute("value");
      await expiry.selectOption(later!);
      const yymmdd = later!.slice(2).replaceAll("-", "");
      await page.locator(
        `[data-testid="option-chain"] .chain-atm [data-testid^="chain-ask-AAPL${yymmdd}"]`,
      ).first().waitFor();
      await page.getByTestId("chain-leg-mode").click();
      await page.getByTestId("chain-picked").waitFor();
      const atm = page.locator('[data-testid="option-chain"] .chain-atm');
      const longLeg = atm.locator('[data-testid^="chain-ask-"]').first();
      const longOcc = (await longLeg.getAttribute("data-testid"))!.replace("chain-ask-", "");
      await longLeg.click();
      const higher = page.locator('[data-testid="option-chain"] .chain-atm + tr');
      const shortLeg = higher.locator('[data-testid^="chain-bid-"]').first();
      const shortOcc = (await shortLeg.getAttribute("data-testid"))!.replace("chain-bid-", "");
      await shortLeg.click();
      assert.equal(await shortLeg.getAttribute("aria-pressed"), "true");
      await page.locator('[data-testid="option-chain"]').screenshot({
        path: `${SCREENSHOT_DIR}options-chain-legs.png`,
      });
      await page.getByTestId("chain-review-legs").click();
      await page.getByTestId("opt-ticket-legs").waitFor();
      assert.equal(await page.getByTestId("opt-ticket-intent-1").inputValue(), "sell_to_open");
      assert.equal(await page.getByTestId("opt-ticket-net").inputValue(), "buy", "a net debit");
      await page.getByTestId("opt-ticket-type").selectOption("market");
      await page.getByTestId("opt-ticket-review").click();
      await page.getByTestId("opt-review-panel").waitFor();
      assert.match(await page.getByTestId("opt-review-max-profit").innerText(), USD, "capped");
      await page.getByTestId("opt-ticket-confirm").click();
      await page.waitForFunction(() =>
        /^Bought 1 × 2-leg AAPL order/.test(
          document.querySelector("[data-testid=opt-ticket-toast] .toast-text")?.textContent ?? "",
        )
      );

      await page.goto(`${app.url}/positions`, { waitUntil: "networkidle" });
      const spread = [
        page.getByTestId(`position-row-${longOcc}`),
        page.getByTestId(`position-row-${shortOcc}`),
      ];
      for (const leg of spread) await leg.waitFor();
      await page.locator('[data-testid^="close-strategy-AAPL-"]').click();
      assert.match(
        await page.getByTestId("opt-close-confirm").innerText(),
        /Close all 2 legs of AAPL .* at market, as one order\?/,
      );
      await page.getByTestId("opt-close-yes").click();
      for (const leg of spread) await leg.waitFor({ state: "detached" });

      // Today's orders: both multi-leg orders (open and close) with their legs.
      await page.goto(`${app.url}/execute`, { waitUntil: "networkidle" });
      const legLists = page.locator('[data-testid^="order-legs-"]');
      await page.waitForFunction(() =>
        document.querySelectorAll('[data-testid^="order-legs-"]').length >= 2
      );
      assert.match(await legLists.first().innerText(), /Sell to close .*call/);

      // The strategy builder's iron condor, sent as an order: four legs in the ticket, previewed.
      await page.goto(`${app.url}/risk`, { waitUntil: "networkidle" });
      await page.locator('select[name="opt-template"]').selectOption("iron_condor");
      await page.waitForFunction(() =>
        !(document.querySelector("[data-testid=opt-use-template]") as HTMLButtonElement).disabled
      );
      await page.getByTestId("opt-use-template").click();
      await page.getByTestId("opt-result").waitFor();
      await page.getByTestId("opt-send-order").click();
      await page.getByTestId("opt-ticket-legs").waitFor();
      assert.equal(await page.locator("[data-testid=opt-ticket-legs] > li").count(), 4);
      await page.getByTestId("opt-ticket-review").click();
      await page.getByTestId("opt-review-panel").waitFor();
      assert.match(await page.locator("#opt-review-title").innerText(), /condor/i);
      assert.match(await page.getByTestId("opt-review-max-loss").innerText(), USD, "defined risk");

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
