/**
 * Browser test of the option strategy builder: on the Risk stage, build an iron condor on AAPL
 * from the chain, read its max loss and breakevens on screen, and check them against the API's
 * answer for the same legs at the premiums the screen says it used.
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
import { csrfFromHtml, signUpForBrowser } from "../_auth.ts";
import { openReplayEnv } from "../_replay_env.ts";
import { formatBreakevens, formatLimit } from "../../lib/client/risk/options_builder.ts";

e2eTest(
  "options: an iron condor on AAPL from the chain shows the API's max loss and breakevens",
  async () => {
    const app = await startApp({ env: openReplayEnv() });
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      const errors = watchConsoleErrors(page);
      await signUpForBrowser(page, app.url);
      await page.goto(`${app.url}/risk`, { waitUntil: "networkidle" });
      const builder = page.getByTestId("option-builder");
      await builder.waitFor();
      assert.equal(await builder.locator('input[name="opt-symbol"]').inputValue(), "AAPL");
      const expiration = builder.locator('select[name="opt-expiration"]');
      await page.waitForFunction(() =>
        (document.querySelector('select[name="opt-expiration"]') as HTMLSelectElement | null)
          ?.options.length! > 1
      );
      // Keyboard: pick the template with the select focused, then press the button.
      await builder.locator('select[name="opt-template"]').selectOption("iron_condor");
      const use = page.getByTestId("opt-use-template");
      await page.waitForFunction(() =>
        !(document.querySelector("[data-testid=opt-use-template]") as HTMLButtonElement).disabled
      );
      await use.focus();
      await page.keyboard.press("Enter");
      await page.getByTestId("opt-result").waitFor();

      const rows = builder.locator("[data-testid=opt-legs] tbody tr");
      assert.equal(await rows.count(), 4, "an iron condor has four legs");
      const legs: {
        type: string;
        side: string;
        strike: number;
        expiration: string;
        quantity: number;
        premium: number;
        iv: number;
      }[] = [];
      for (let i = 0; i < 4; i++) {
        const row = rows.nth(i);
        const value = (label: string) => row.getByLabel(`Leg ${i + 1} ${label}`);
        legs.push({
          type: await value("type").inputValue(),
          side: await value("side").inputValue(),
          strike: Number(await value("strike").inputValue()),
          expiration: await value("expiration").inputValue(),
          quantity: Number(await value("quantity").inputValue()),
          // Blank premiums took the chain's mid, which the field shows as its placeholder.
          premium: Number(await value("premium").getAttribute("placeholder")),
          iv: Number(await value("IV").getAttribute("placeholder")) / 100,
        });
      }
      assert.deepEqual(legs.map((l) => `${l.side} ${l.type}`), [
        "buy put",
        "sell put",
        "sell call",
        "buy call",
      ]);
      const strikes = legs.map((l) => l.strike);
      assert.deepEqual([...strikes].sort((a, b) => a - b), strikes, "wings outside the shorts");
      assert.ok(legs.every((l) => l.expiration === legs[0].expiration && l.premium > 0));
      assert.equal(legs[0].expiration, await expiration.inputValue());

      const shownMaxLoss = await page.getByTestId("opt-max-loss").innerText();
      const shownBreakevens = await page.getByTestId("opt-breakevens").innerText();
      assert.match(shownMaxLoss, /^\$[\d,]+\.\d{2}$/);
      assert.match(shownBreakevens, /^\$[\d,.]+ and \$[\d,.]+$/);

      const csrf = csrfFromHtml(await page.content());
      const res = await page.request.post(`${app.url}/api/risk/options/analyze`, {
        headers: { "X-CSRF-Token": csrf },
        data: { symbol: "AAPL", legs },
      });
      assert.equal(res.status(), 200, await res.text());
      const api = await res.json();
      assert.equal(shownMaxLoss, formatLimit(api.maxLoss));
      assert.equal(shownBreakevens, formatBreakevens(api.breakevens));
      // And the API's figures are the condor's: the wider wing less the credit.
      const credit = -api.net.amount;
      const wing = Math.max(strikes[1] - strikes[0], strikes[3] - strikes[2]);
      assert.ok(Math.abs(api.maxLoss - (wing * 100 - credit)) < 0.011, JSON.stringify(api));

      assert.match(await builder.innerText(), /REPLAY/);
      assert.match(await builder.innerText(), /modelled option chain/);
      assert.ok(await page.getByTestId("opt-chart").locator("path").count() >= 2);
      // The date slider moves the dashed line to the expiry, where only the expiry line is left.
      const slider = page.getByTestId("opt-date-slider");
      await slider.focus();
      await page.keyboard.press("End");
      await page.waitForFunction(() =>
        document.querySelectorAll("[data-testid=opt-chart] path").length === 1
      );
      await screenshot(page, "risk-iron-condor");
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
