/**
 * Browser test of the P&L dashboard on Active Positions: it loads, draws the chart, shows each
 * metric's formula on keyboard focus, switches period and points the CSV link at that period.
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

e2eTest("P&L dashboard: chart, formulas a focus away, periods and the CSV export", async () => {
  const app = await startApp({ env: openReplayEnv() });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);
    await signUpForBrowser(page, app.url);
    await page.goto(`${app.url}/positions`, { waitUntil: "networkidle" });
    const dash = page.getByTestId("pnl-dashboard");
    await dash.waitFor();
    const twr = page.getByTestId("pnl-metric-twr");
    await twr.waitFor();
    assert.match(await twr.innerText(), /time-weighted return/i);
    // The chart library draws into a canvas.
    await page.locator("[data-testid=pnl-chart] canvas").first().waitFor();

    // A new account has no Sharpe: the card says why, in its tooltip.
    const label = page.getByTestId("pnl-metric-sharpe").locator(".pnl-card-label");
    assert.match((await label.getAttribute("title")) ?? "", /√252.*No value: needs at least two/);
    await label.focus();
    const tip = page.locator("#pnl-tip-sharpe");
    // Shown, not merely present: a hidden tip is out of the layout (display: none).
    await tip.waitFor({ state: "visible" });
    assert.match(await tip.innerText(), /mean\(r_d\)/);
    await page.getByTestId("pnl-dashboard").screenshot({
      path: `${SCREENSHOT_DIR}pnl-formula-tooltip.png`,
    });
    assert.equal(
      await page.getByTestId("pnl-metric-sharpe").locator(".pnl-card-value").innerText(),
      "—",
    );

    // Another period: the answer for it, and the export follows.
    const week = dash.getByRole("button", { name: "1W" });
    const answered = page.waitForResponse((r) => r.url().includes("/api/analytics?period=1W"));
    await week.click();
    assert.equal((await answered).status(), 200);
    assert.equal(await week.getAttribute("aria-pressed"), "true");
    assert.equal(
      await page.getByTestId("pnl-csv").getAttribute("href"),
      "/api/analytics/export.csv?period=1W",
    );
    // Refresh asks again for the same period.
    const again = page.waitForResponse((r) => r.url().includes("/api/analytics?period=1W"));
    await dash.getByRole("button", { name: "Refresh" }).click();
    assert.equal((await again).status(), 200);
    const csv = await page.request.get(`${app.url}/api/analytics/export.csv?period=1W`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()["content-type"], /^text\/csv/);
    assert.match(await csv.text(), /^market_date,/);
    assert.ok(await dash.getByText(/REPLAY/).count() > 0, "replayed prices are labelled");
    await dash.scrollIntoViewIfNeeded();
    await screenshot(page, "pnl-dashboard");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await app.stop();
  }
});
