/**
 * Browser test of App Settings: a limit saved and the light theme kept across a reload (the
 * first paint already light), a refused value explained beside its field, an API token shown
 * once and revoked.
 */
import assert from "node:assert/strict";
import { signUpForBrowser } from "../_auth.ts";
import {
  e2eTest,
  launchBrowser,
  newPage,
  screenshot,
  startApp,
  watchConsoleErrors,
} from "./_helpers.ts";

e2eTest("settings: limits and theme persist across reloads; a token is shown once", async () => {
  const app = await startApp();
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);
    await signUpForBrowser(page, app.url);
    await page.goto(`${app.url}/settings`, { waitUntil: "networkidle" });
    assert.equal(await page.locator("html").getAttribute("data-theme"), "dark");

    const form = page.getByTestId("settings-form");
    await form.locator('input[name="maxOrderValue"]').fill("12,500");
    await form.getByLabel("Light").check();
    await page.getByTestId("settings-save").click();
    await form.getByText("Saved.").waitFor();
    assert.equal(await page.locator("html").getAttribute("data-theme"), "light", "applied at once");

    await page.reload({ waitUntil: "networkidle" });
    // The server painted it light: the cookie carries the choice to the first frame.
    assert.equal(await page.locator("html").getAttribute("data-theme"), "light");
    assert.equal(await form.locator('input[name="maxOrderValue"]').inputValue(), "12500");
    const settings = await (await page.request.get(`${app.url}/api/settings`)).json();
    assert.equal(settings.settings.maxOrderValue, 12_500);
    assert.equal(settings.settings.theme, "light");
    await screenshot(page, "settings-light");

    // The server's reason shows beside the field it is about.
    await form.locator('input[name="maxPositionPercent"]').fill("250");
    await page.getByTestId("settings-save").click();
    await form.locator('input[name="maxPositionPercent"][aria-invalid="true"]').waitFor();

    const tokens = page.getByTestId("api-tokens");
    await tokens.getByPlaceholder(/Name/).fill("e2e script");
    await tokens.getByRole("button", { name: "Create token" }).click();
    const shown = await page.getByTestId("new-token").textContent();
    assert.match(shown ?? "", /^\S{20,}$/);
    const me = await fetch(`${app.url}/api/auth/me`, {
      headers: { Authorization: `Bearer ${shown}` },
    });
    assert.equal(me.status, 200, "the token works");
    await me.body?.cancel();
    await tokens.getByRole("button", { name: "I have stored it" }).click();
    assert.equal(await page.getByTestId("new-token").count(), 0, "shown once");
    await tokens.getByRole("button", { name: "Revoke token e2e script" }).click();
    await tokens.getByText("No tokens.").waitFor();
    const after = await fetch(`${app.url}/api/auth/me`, {
      headers: { Authorization: `Bearer ${shown}` },
    });
    assert.equal(after.status, 401, "revoked");
    await after.body?.cancel();
    // The refused save (a 400 the form explained) is the one expected failed request.
    assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
  } finally {
    await browser.close();
    await app.stop();
  }
});
