/**
 * Browser test of usage telemetry (issue 18), the one flow that needs a browser: turned on in
 * Settings, the page loads the sender after first paint; a palette command and a page error are
 * batched and sent as the page is left (fetch with keepalive, with the CSRF header); the error
 * arrives scrubbed; and the admin page, opened by the same user (the first account is the
 * admin), counts what arrived, with the page views the server recorded.
 */
import assert from "node:assert/strict";
import { signUpForBrowser } from "../_auth.ts";
import { e2eTest, launchBrowser, newPage, paletteReady, screenshot, startApp } from "./_helpers.ts";

e2eTest("telemetry: on in Settings, a command and an error reach the admin page", async () => {
  const app = await startApp();
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    await signUpForBrowser(page, app.url);
    await page.goto(`${app.url}/settings`, { waitUntil: "networkidle" });
    const form = page.getByTestId("settings-form");
    await form.getByLabel("Send anonymous usage events").check();
    await page.getByTestId("settings-save").click();
    await form.getByText("Saved.").waitFor();

    // A stage page: the sender loads after first paint and says so on the page.
    await page.goto(`${app.url}/risk`, { waitUntil: "networkidle" });
    await page.locator('html[data-telemetry="on"]').waitFor({ state: "attached" });

    // An uncaught error with a number and an address in it.
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error("Quote 12345 failed for someone@example.com");
      });
    });
    // A palette command, which leaves the page: what waited goes out with keepalive (a request
    // the leaving page sends, which playwright does not report, so the admin page checks it).
    await paletteReady(page);
    await page.keyboard.press("Control+k");
    await page.getByTestId("palette-input").fill("Execute Trade");
    await page.locator('[data-command="stage:execute"][aria-selected="true"]').waitFor();
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/execute"),
      page.keyboard.press("Enter"),
    ]);
    // The admin page counts them (the beacon may land just after the page loads: reload).
    const table = page.getByTestId("ops-telemetry");
    const deadline = Date.now() + 15_000;
    for (;;) {
      await page.goto(`${app.url}/admin`, { waitUntil: "networkidle" });
      const text = (await table.count()) ? await table.textContent() ?? "" : "";
      if (/command_used\s*risk\s*stage\s*1/.test(text)) break;
      assert.ok(Date.now() < deadline, `telemetry did not arrive: ${text}`);
    }
    const text = await table.textContent() ?? "";
    // Page views come from the server: /risk and /execute are counted without any script.
    assert.match(text, /stage_opened\s*risk\s*—\s*1/);
    assert.match(text, /stage_opened\s*execute\s*—\s*1/);
    // The error as the browser worded it, with the number and the address taken out.
    const error = await page.locator("li", { hasText: "Quote # failed for <email>" }).textContent();
    assert.match(error ?? "", /^1 × .*Quote # failed for <email>$/);
    await screenshot(page, "admin-operations");
  } finally {
    await browser.close();
    await app.stop();
  }
});
