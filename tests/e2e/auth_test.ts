/** Browser test of accounts: sign up, land on the radial home, stay signed in, log out. */
import assert from "node:assert/strict";
import { e2eTest, launchBrowser, newPage, startApp, watchConsoleErrors } from "./_helpers.ts";
import { signUpInBrowser } from "../_auth.ts";

e2eTest(
  "accounts: sign up, radial home signed in, reload keeps it, log out, back to login",
  async () => {
    const app = await startApp();
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      const errors = watchConsoleErrors(page);

      // An anonymous visit to a stage goes to the login page, which remembers the way back.
      await page.goto(`${app.url}/risk`);
      assert.equal(new URL(page.url()).pathname, "/login");
      assert.equal(new URL(page.url()).searchParams.get("next"), "/risk");

      const { username, password } = await signUpInBrowser(page, app.url);
      await page.waitForLoadState("networkidle");
      assert.equal(await page.locator('a[data-testid^="wedge-"]').count(), 10, "radial home");

      const cookies = await page.context().cookies();
      const access = cookies.find((c) => c.name === "paiid_access");
      assert.ok(access, "access cookie set");
      assert.equal(access.httpOnly, true);
      assert.equal(access.sameSite, "Lax");
      assert.equal(
        await page.evaluate(() => document.cookie.includes("paiid_")),
        false,
        "no auth cookie is readable from scripts",
      );

      await page.reload({ waitUntil: "networkidle" });
      assert.equal(new URL(page.url()).pathname, "/", "still signed in after a reload");
      assert.equal(await page.locator('a[data-testid^="wedge-"]').count(), 10);

      await page.goto(`${app.url}/logout`);
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/login"),
        page.click('[data-testid="logout-form"] button[type="submit"]'),
      ]);
      await page.goto(`${app.url}/`);
      assert.equal(new URL(page.url()).pathname, "/login", "signed out: home needs a login again");

      // Signing in again with the form returns to the page asked for.
      await page.goto(`${app.url}/risk`);
      await page.fill('input[name="login"]', username);
      await page.fill('input[name="password"]', password);
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/risk"),
        page.click('[data-testid="login-form"] button[type="submit"]'),
      ]);
      await page.locator(".split").waitFor();
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
