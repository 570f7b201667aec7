/**
 * Browser test of the journal and order templates (issue 18), one flow: Add note on an Active
 * Positions row writes a journal entry that shows in the Journal section at once (and filters
 * out and back); on Execute Trade the ticket is saved as a template, changed, and the template
 * applied brings its fields back (not its limit price); the palette's "Order template: …" opens
 * the ticket filled from it. Nothing is placed along the way.
 */
import assert from "node:assert/strict";
import type { Locator } from "playwright-core";
import { csrfFromHtml, signUpInBrowser } from "../_auth.ts";
import { openReplayEnv } from "../_replay_env.ts";
import {
  e2eTest,
  hydrated,
  launchBrowser,
  newPage,
  paletteReady,
  screenshot,
  startApp,
  watchConsoleErrors,
} from "./_helpers.ts";

/** A click on a server-rendered button before hydration is lost: click until `shows` appears. */
async function clickUntil(button: Locator, shows: Locator) {
  for (let tries = 0; !(await shows.isVisible()); tries++) {
    assert.ok(tries < 10, "the click never took effect");
    await button.click();
    await shows.waitFor({ timeout: 2000 }).catch(() => {});
  }
}

e2eTest(
  "journal: a note from Active Positions lands in the journal; a template fills the ticket",
  async () => {
    const app = await startApp({ env: openReplayEnv() });
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      const errors = watchConsoleErrors(page);
      await signUpInBrowser(page, app.url);

      // A filled buy, placed over the API as this browser session, so positions have a row.
      const csrf = csrfFromHtml(await page.content());
      const placed = await page.request.post(`${app.url}/api/orders`, {
        headers: { "X-CSRF-Token": csrf },
        data: {
          symbol: "AAPL",
          side: "buy",
          type: "market",
          timeInForce: "day",
          qty: 3,
          clientOrderId: crypto.randomUUID(),
        },
      });
      assert.equal(placed.status(), 201, await placed.text());

      await page.goto(`${app.url}/positions`, { waitUntil: "networkidle" });
      await hydrated(page);
      const journal = page.getByTestId("journal");
      await journal.getByTestId("journal-empty").waitFor();
      await page.getByTestId("position-row-AAPL").waitFor();
      const form = page.getByTestId("journal-form");
      await clickUntil(page.getByTestId("note-AAPL"), form);
      assert.match(await form.textContent() ?? "", /Journal note on the AAPL position/);
      assert.equal(
        await page.getByTestId("journal-why").evaluate((el) => el === document.activeElement),
        true,
        "the form opens ready for typing",
      );
      await page.getByTestId("journal-why").fill("Broke out over the 20-day high on volume");
      await page.getByTestId("journal-plan").fill("Stop under 170, add on a retest");
      await page.getByTestId("journal-emotion").selectOption("confident");
      await page.getByTestId("journal-tags").fill("Breakout, swing");
      await page.getByTestId("journal-save").click();
      await form.waitFor({ state: "detached" });

      // The Journal section shows it without a reload.
      const entry = journal.getByTestId("journal-list").locator("li").first();
      await entry.getByText("Broke out over the 20-day high on volume").waitFor();
      const text = await entry.textContent() ?? "";
      for (
        const part of ["Position", "AAPL", "confident", "#breakout", "#swing", "Stop under 170"]
      ) {
        assert.ok(text.includes(part), `${part} in ${text}`);
      }
      const stored = await (await page.request.get(`${app.url}/api/journal?symbol=AAPL`)).json();
      assert.equal(stored.entries.length, 1);
      assert.equal(stored.entries[0].link, "position");
      assert.deepEqual(stored.entries[0].tags, ["breakout", "swing"]);
      await screenshot(page, "journal-note");

      // Filters: another symbol finds nothing; clearing brings the note back.
      await journal.getByTestId("journal-filter-symbol").fill("msft");
      await journal.getByTestId("journal-filter-apply").click();
      await journal.getByText("No notes match these filters.").waitFor();
      assert.equal(
        await journal.getByTestId("journal-export").getAttribute("href"),
        "/api/journal/export.csv?symbol=MSFT",
      );
      await journal.getByRole("button", { name: "Clear" }).click();
      await entry.getByText("Broke out over the 20-day high on volume").waitFor();

      // The ticket: save it as a template, change it, apply the template.
      await page.goto(`${app.url}/execute`, { waitUntil: "networkidle" });
      await hydrated(page);
      const bar = page.getByTestId("ticket-templates");
      await bar.waitFor();
      await page.getByTestId("ticket-symbol").fill("MSFT");
      await page.getByTestId("ticket-type").selectOption("limit");
      await page.getByTestId("ticket-tif").selectOption("gtc");
      await page.getByTestId("ticket-qty").fill("7");
      await page.getByTestId("ticket-limit").fill("180.5");
      await page.getByTestId("ticket-template-save-open").click();
      await page.getByTestId("ticket-template-name").fill("Swing limit");
      await page.getByTestId("ticket-template-save").click();
      const status = page.getByTestId("ticket-template-status");
      await status.getByText("Saved “Swing limit”: Buy 7 sh · Limit · GTC.").waitFor();

      await page.getByTestId("ticket-type").selectOption("market");
      await page.getByTestId("ticket-tif").selectOption("day");
      await page.getByTestId("ticket-qty").fill("1");
      await page.getByTestId("ticket-symbol").fill("KO");
      await page.getByTestId("ticket-template").selectOption({
        label: "Swing limit — Buy 7 sh · Limit · GTC",
      });
      await page.getByTestId("ticket-template-apply").click();
      await status.getByText("Applied “Swing limit”. Enter the limit price.").waitFor();
      assert.equal(await page.getByTestId("ticket-type").inputValue(), "limit");
      assert.equal(await page.getByTestId("ticket-tif").inputValue(), "gtc");
      assert.equal(await page.getByTestId("ticket-qty").inputValue(), "7");
      assert.equal(await page.getByTestId("ticket-symbol").inputValue(), "KO", "no symbol kept");
      assert.equal(await page.getByTestId("ticket-limit").inputValue(), "", "no price kept");
      await screenshot(page, "ticket-template-applied");

      // The palette opens the ticket from the template.
      await paletteReady(page);
      await page.keyboard.press("Control+k");
      await page.getByTestId("palette-input").waitFor();
      await page.keyboard.type("order template swing");
      const command = page.locator('[data-command^="template:"][aria-selected="true"]');
      await command.waitFor();
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/execute" && u.searchParams.has("template")),
        page.keyboard.press("Enter"),
      ]);
      await page.getByTestId("ticket-templates").waitFor();
      assert.equal(await page.getByTestId("ticket-type").inputValue(), "limit");
      assert.equal(await page.getByTestId("ticket-tif").inputValue(), "gtc");
      assert.equal(await page.getByTestId("ticket-qty").inputValue(), "7");
      await page.getByTestId("ticket-template-status").getByText(/Applied “Swing limit”/).waitFor();

      const orders = await (await page.request.get(`${app.url}/api/orders?status=all`)).json();
      assert.equal(orders.orders.length, 1, "templates and notes placed nothing");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await app.stop();
    }
  },
);
