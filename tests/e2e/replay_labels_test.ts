/**
 * Browser test of the replay labels: wherever replay shows values made up inside a real day
 * (the radial centre's indices, the symbol page's quote and 1D chart, positions and their fills),
 * the label says the intraday path is simulated and explains the model in its tooltip.
 */
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { csrfFromHtml, signUpInBrowser } from "../_auth.ts";
import { openReplayEnv } from "../_replay_env.ts";
import { e2eTest, launchBrowser, newPage, startApp, watchConsoleErrors } from "./_helpers.ts";

/** The label reads "simulated", and so do its title and the description tied to it. */
async function assertSimulatedBadge(page: Page, badge: Locator, where: string) {
  await badge.waitFor();
  assert.match(await badge.textContent() ?? "", /^REPLAY · .*intraday simulated$/, where);
  assert.match(await badge.getAttribute("title") ?? "", /simulated/, `${where}: title`);
  const described = await badge.getAttribute("aria-describedby");
  assert.ok(described, `${where}: aria-describedby`);
  const tip = await page.locator(`[id="${described}"]`).textContent();
  assert.match(tip ?? "", /open, high, low and close[\s\S]*simulated/, `${where}: description`);
}

e2eTest(
  "replay labels: radial centre, quote header, 1D chart, positions, ticket and orders say simulated",
  async () => {
    const app = await startApp({ env: openReplayEnv() });
    const browser = await launchBrowser();
    try {
      // With motion, which every other test turns off: this one checks the pulse.
      const page = await newPage(browser, { motion: true });
      const errors = watchConsoleErrors(page);
      await signUpInBrowser(page, app.url);
      await page.waitForLoadState("networkidle");

      // Home: the radial centre's replay line, with the model as its SVG title and description.
      const centre = page.getByTestId("index-replay");
      await centre.waitFor();
      assert.match(await centre.locator("text").textContent() ?? "", /INTRADAY SIMULATED/);
      assert.match(await centre.locator("title").textContent() ?? "", /simulated/);
      const descId = await centre.locator("text").getAttribute("aria-describedby");
      assert.match(await page.locator(`[id="${descId}"]`).textContent() ?? "", /simulated/);
      // The session is open, so the centre's dot pulses, a few times: nothing on the page may
      // blink without end (WCAG 2.2.2), which also kept the compositor drawing all day.
      const motion = await page.evaluate(() => {
        const styles = [...document.querySelectorAll("*")].map((el) => getComputedStyle(el));
        return {
          pulsing: styles.filter((s) => s.animationName === "pulse").length,
          endless: styles.filter((s) =>
            s.animationName !== "none" && s.animationIterationCount.includes("infinite")
          ).length,
        };
      });
      assert.ok(motion.pulsing > 0, "the open market's dot pulses");
      assert.equal(motion.endless, 0, "no animation repeats without end");
      // A user who asks for reduced motion gets none: the pulse ends at once.
      await page.emulateMedia({ reducedMotion: "reduce" });
      const running = await page.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        return document.getAnimations().filter((a) => a.playState === "running").length;
      });
      assert.equal(running, 0, "nothing animates under prefers-reduced-motion: reduce");
      await page.emulateMedia({ reducedMotion: "no-preference" });

      // A filled buy, placed over the API as this browser session, so positions have a row.
      const csrf = csrfFromHtml(await page.content());
      const placed = await page.request.post(`${app.url}/api/orders`, {
        headers: { "X-CSRF-Token": csrf },
        data: {
          symbol: "AAPL",
          side: "buy",
          type: "market",
          timeInForce: "day",
          qty: 2,
          clientOrderId: crypto.randomUUID(),
        },
      });
      assert.equal(placed.status(), 201, await placed.text());
      assert.equal((await placed.json()).order.prices, "replay");

      // Symbol page: the quote header, then the 1D chart.
      await page.goto(`${app.url}/symbol/AAPL`, { waitUntil: "networkidle" });
      await assertSimulatedBadge(page, page.getByTestId("replay-badge"), "quote header");
      // The chart loads its library after the first paint: let its first range finish, so the
      // click lands on a hydrated island, then wait for the 1D range itself.
      const overlay = page.locator('[data-testid="price-chart"] .chart-overlay');
      await overlay.waitFor({ state: "detached" });
      // A click before hydration is lost (server-rendered button): click until 1D is pressed.
      const oneDay = page.getByRole("button", { name: "1D", exact: true });
      for (let tries = 0; (await oneDay.getAttribute("aria-pressed")) !== "true"; tries++) {
        assert.ok(tries < 10, "the 1D button never became pressed");
        await oneDay.click();
        await page.locator('button[aria-pressed="true"]', { hasText: /^1D$/ })
          .waitFor({ timeout: 3000 }).catch(() => {});
      }
      await overlay.waitFor({ state: "detached" });
      const chart = page.getByTestId("chart-replay-badge");
      await assertSimulatedBadge(page, chart, "1D chart");
      assert.match(await chart.getAttribute("title") ?? "", /5-minute candles/);

      // Positions: the account's label, over a row of the replay-priced position.
      await page.goto(`${app.url}/positions`, { waitUntil: "networkidle" });
      await page.getByTestId("position-row-AAPL").waitFor();
      await assertSimulatedBadge(page, page.getByTestId("replay-badge"), "positions");

      // Execute: the ticket's quote line and today's orders label the replay prices and fill.
      await page.goto(`${app.url}/execute?symbol=AAPL`, { waitUntil: "networkidle" });
      await assertSimulatedBadge(page, page.getByTestId("orders-replay-badge"), "today's orders");
      await assertSimulatedBadge(page, page.getByTestId("replay-badge"), "order ticket");

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
