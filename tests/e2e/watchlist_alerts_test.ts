/**
 * Browser test of the watchlist panel and the notification bell: add a symbol and see its price
 * move under the wheel; star it on its page; set alerts a cent either side of the price and see
 * the notification arrive live (bell count, toast, panel), then open it and find it read.
 */
import assert from "node:assert/strict";
import { fastReplayEnv } from "../_replay_env.ts";
import { signUpForBrowser } from "../_auth.ts";
import {
  e2eTest,
  launchBrowser,
  newPage,
  screenshot,
  startApp,
  watchConsoleErrors,
} from "./_helpers.ts";

e2eTest("watchlist panel ticks live; an alert's notification arrives on the bell", async () => {
  const app = await startApp({ env: fastReplayEnv(Date.now() + 5_000) });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);
    await signUpForBrowser(page, app.url);
    // The watchlist lives in every stage's left column (the hub stays a bare wheel).
    await page.goto(`${app.url}/positions`);

    const panel = page.getByTestId("watchlist-panel");
    await panel.getByText("No symbols yet").waitFor();
    await panel.getByLabel("Add a symbol to the watchlist").fill("aapl");
    await panel.getByRole("button", { name: "Add" }).click();
    const last = panel.locator('[data-symbol="AAPL"] [data-testid="watch-last"]');
    await page.waitForFunction(
      (el) => el !== null && /\d/.test(el.textContent ?? ""),
      await last.elementHandle(),
    );
    const first = await last.textContent();
    // The replay ticks: the row's price changes without a reload.
    await page.waitForFunction(
      ([el, was]) => (el as Element).textContent !== was,
      [await last.elementHandle(), first] as const,
      { timeout: 30_000 },
    );
    assert.ok(await panel.getByText("REPLAY").isVisible(), "replayed prices are labelled");
    assert.ok(await panel.locator('[data-symbol="AAPL"] svg path').getAttribute("d"));

    await page.goto(`${app.url}/symbol/AAPL`);
    const star = page.getByTestId("watch-star");
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="watch-star"]')?.getAttribute("aria-pressed") === "true"
    );
    assert.match(await star.textContent() ?? "", /Watching/);

    // Levels the price already meets, a dollar on the far side of it: an armed alert fires on
    // the first quote it judges. (Levels a cent either side of the price waited for the replay
    // to move: on a quiet replayed minute it stayed inside them for the whole wait.)
    const quote = await (await page.request.get(`${app.url}/api/market/quote/AAPL`)).json();
    const form = page.getByTestId("alert-form");
    for (
      const [label, level] of [["Price at or above", quote.last - 1], [
        "Price at or below",
        quote.last + 1,
      ]] as const
    ) {
      await form.locator("select").first().selectOption({ label });
      await page.getByTestId("alert-level").fill(level.toFixed(2));
      await page.getByTestId("alert-submit").click();
      await page.getByTestId("alert-list").locator("li").nth(level < quote.last ? 0 : 1).waitFor();
    }
    await form.getByText(/^Set: AAPL/).waitFor();
    assert.equal(await page.getByTestId("alert-list").locator("li").count(), 2);

    // The bell counts it live, the toast shows it, the panel lists it.
    const count = page.getByTestId("notification-count");
    await count.waitFor({ timeout: 30_000 });
    assert.ok(Number(await count.textContent()) >= 1);
    await page.getByTestId("notification-toast").getByText(/Alert: AAPL at or (above|below)/)
      .waitFor();
    await screenshot(page, "alert-notification");
    await page.getByTestId("notification-bell").click();
    const item = page.getByTestId("notification-panel").locator(".notification--unread a").first();
    await item.waitFor();
    assert.match(await item.textContent() ?? "", /Alert: AAPL at or (above|below)/);
    await Promise.all([page.waitForURL((u) => u.pathname === "/symbol/AAPL"), item.click()]);
    const unread = await (await page.request.get(`${app.url}/api/notifications/unread-count`))
      .json();
    const all = await (await page.request.get(`${app.url}/api/notifications`)).json();
    assert.equal(
      unread.unread,
      all.notifications.filter((n: { readAt: string | null }) => !n.readAt).length,
    );
    assert.ok(
      all.notifications.some((n: { readAt: string | null; kind: string }) =>
        n.kind === "alert" && n.readAt
      ),
    );
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await app.stop();
  }
});
