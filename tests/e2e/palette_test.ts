/**
 * Browser test of the command palette and the help panel (issue 18), one flow: `?` opens this
 * stage's help but not while typing in a field; Ctrl+K opens the palette; "Halt trading" asks
 * first and Escape leaves trading untouched; a typed symbol with its live quote opens its page
 * on Enter, and shows up in the recent items.
 */
import assert from "node:assert/strict";
import { signUpForBrowser } from "../_auth.ts";
import {
  e2eTest,
  launchBrowser,
  newPage,
  paletteReady,
  screenshot,
  startApp,
  watchConsoleErrors,
} from "./_helpers.ts";

e2eTest("palette: help on ?, halt needs confirming, a symbol opens on Enter", async () => {
  const app = await startApp();
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);
    await signUpForBrowser(page, app.url);
    await page.goto(`${app.url}/execute`, { waitUntil: "networkidle" });
    await paletteReady(page);

    // `?` on the page: this stage's help and the shortcut map.
    await page.keyboard.press("?");
    const help = page.getByTestId("help-panel");
    await help.getByRole("heading", { name: "Help: Execute Trade" }).waitFor();
    await help.getByText("Ctrl/⌘ + K").waitFor();
    await help.getByText("Where its data comes from").waitFor();
    await screenshot(page, "help-panel");
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "detached" });

    // `?` typed in a field is text, not a shortcut.
    const search = page.getByTestId("symbol-search");
    await search.click();
    await page.keyboard.type("a?");
    assert.equal(await search.inputValue(), "a?");
    assert.equal(await page.getByTestId("help-panel").count(), 0, "no help while typing");
    await search.fill("");

    // Ctrl+K from anywhere (even that field): the palette, as a combobox.
    await page.keyboard.press("Control+k");
    const input = page.getByTestId("palette-input");
    await input.waitFor();
    assert.equal(await input.evaluate((el) => el === document.activeElement), true);
    assert.equal(await input.getAttribute("role"), "combobox");

    // Halt trading asks first; Escape steps back and nothing is halted.
    await page.keyboard.type("halt trad");
    await page.locator('[data-command="action:halt"][aria-selected="true"]').waitFor();
    assert.equal(
      await input.getAttribute("aria-activedescendant"),
      await page.locator('[data-command="action:halt"]').getAttribute("id"),
    );
    await page.keyboard.press("Enter");
    const confirm = page.getByTestId("palette-confirm");
    await confirm.getByText(/New orders, approvals and automated orders are refused/).waitFor();
    await screenshot(page, "palette-halt-confirm");
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "detached" });
    await input.waitFor();
    const halt = await (await page.request.get(`${app.url}/api/trading/halt`)).json();
    assert.equal(halt.halted, false, "Escape halted nothing");
    assert.equal(await page.getByTestId("halt-banner").count(), 0);

    // A symbol: found by the search API, with its live quote, opened on Enter.
    await input.fill("AAPL");
    const aapl = page.locator('[data-command="symbol:AAPL"][aria-selected="true"]');
    await aapl.locator(".palette-hint", { hasText: /^\$[\d,]+\.\d\d .*%/ }).waitFor();
    await screenshot(page, "palette-symbol");
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/symbol/AAPL"),
      page.keyboard.press("Enter"),
    ]);

    // The palette remembers it: first among the recent items on the next page.
    await paletteReady(page);
    await page.keyboard.press("Control+k");
    await page.locator('.palette-option[data-command="symbol:AAPL"]').first().waitFor();
    assert.equal(
      await page.locator(".palette-option").first().getAttribute("data-command"),
      "symbol:AAPL",
    );
    assert.match(await page.locator(".palette-group").first().textContent() ?? "", /Recent/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await app.stop();
  }
});
