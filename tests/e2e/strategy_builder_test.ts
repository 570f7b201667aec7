/**
 * Browser test of the Strategy Builder: a strategy typed in words is read back as sentences,
 * confirmed and put in the form; the condition editor changes a threshold (the sentences follow)
 * and shows a bad period under its row; the strategy is saved, explained, and its Backtest link
 * opens the Backtesting stage with it selected, where a run starts and finishes. Back on the
 * builder's page, the Deployments section (which listed the strategy as soon as it was saved,
 * through the builder's saved event) deploys that version: active, not evaluated yet. Then the
 * replayed session closes, the admin (the first account) runs the deployments job now through
 * the scheduler, and the proposal appears: on the deployment's line and in the AI Recs queue.
 *
 * The replay stands on 2016-05-12 (closingReplayEnv), a day whose close has AAPL's RSI(14)
 * under 25, with the close some 45 s after the test starts and a replayed minute passing each
 * real second, so the test waits for a real close without waiting long. (On a machine slow
 * enough that the close comes before the deploy, the deployment still starts on that session
 * and is evaluated at its close all the same.)
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
import { closingReplayEnv } from "../_replay_env.ts";

const WORDS = "buy AAPL and MSFT when RSI(14) falls below 30, sell when it rises above 70, " +
  "8 % stop, 10 % of equity each";
/** The replayed session: AAPL's RSI(14) closes under 25, MSFT's does not. */
const SESSION = "2016-05-12";
/** Real seconds from the start of the test to the replayed close. */
const CLOSE_IN = 45;

/** Reads until `ok` holds, for at most `ms`. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached (${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

e2eTest("strategy builder: words to sentences, form edit, save, explain, backtest", async () => {
  const app = await startApp({ env: await closingReplayEnv(SESSION, CLOSE_IN) });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);
    await signUpForBrowser(page, app.url);
    await page.goto(`${app.url}/strategies`, { waitUntil: "networkidle" });
    const sentences = page.getByTestId("sb-sentences");
    // The island checks the first template on start: its sentences mean it is hydrated.
    await page.waitForFunction(() =>
      /crosses above/.test(document.querySelector("[data-testid=sb-sentences]")?.textContent ?? "")
    );

    // Words → what was read, to confirm.
    const words = page.getByTestId("sb-words");
    await words.locator("textarea[name=text]").fill(WORDS);
    await words.getByRole("button", { name: "Read it" }).click();
    const parsed = page.getByTestId("sb-parsed-sentences");
    await parsed.waitFor();
    assert.match(await parsed.innerText(), /Buy when RSI\(14\) is below 30\./);
    assert.match(await parsed.innerText(), /Trades AAPL, MSFT\./);
    assert.equal(await page.getByTestId("sb-use").isDisabled(), true, "confirm first");
    await page.getByTestId("sb-confirm").check();
    await page.getByTestId("sb-use").click();
    await page.waitForFunction(() =>
      /Buy when RSI\(14\) is below 30\./.test(
        document.querySelector("[data-testid=sb-sentences]")?.textContent ?? "",
      )
    );

    // The condition editor holds what the words said; editing it rewrites the sentences.
    const entry = page.getByTestId("sb-entry-row-0");
    assert.equal(await entry.getByLabel("Indicator").inputValue(), "rsi");
    assert.equal(await entry.getByLabel("Comparison").inputValue(), "<");
    await entry.getByLabel("Threshold").fill("25");
    await page.waitForFunction(() =>
      /Buy when RSI\(14\) is below 25\./.test(
        document.querySelector("[data-testid=sb-sentences]")?.textContent ?? "",
      )
    );
    // A period of 0 is refused under its own row, and saving waits until it is fixed.
    await entry.getByLabel("Period (bars)").fill("0");
    await entry.getByText("Indicator period: A period is 1 bar or more.").waitFor();
    assert.equal(await page.getByTestId("sb-save").isDisabled(), true);
    await entry.getByLabel("Period (bars)").fill("14");
    await page.waitForFunction(() => !document.querySelector("[data-testid=sb-errors]"));
    assert.match(await sentences.innerText(), /Sell when RSI\(14\) is above 70\./);

    // Save, then Explain the saved version (offline analyst: no backtest yet).
    await page.locator("input[name=name]").fill("RSI dip, AAPL and MSFT");
    await page.getByTestId("sb-save").click();
    await page.getByTestId("sb-saved").waitFor();
    assert.match(await page.getByTestId("sb-saved").innerText(), /version 1/);
    // The Deployments section lists what was just saved, ready to deploy, without a reload.
    const deployments = page.getByTestId("deployments");
    const strategy = deployments.getByLabel("Strategy");
    await strategy.waitFor();
    assert.equal(
      await strategy.evaluate((el) => {
        const s = el as HTMLSelectElement;
        return s.options[s.selectedIndex]?.textContent ?? "";
      }),
      "RSI dip, AAPL and MSFT",
    );
    assert.equal(await deployments.getByLabel("Version").inputValue(), "1");
    await page.getByTestId("sb-explain-button").click();
    const explained = page.getByTestId("sb-explanation");
    await explained.waitFor();
    assert.match(await explained.innerText(), /RSI\(14\) is below 25/);
    assert.match(await explained.innerText(), /not been backtested yet/);
    await screenshot(page, "strategy-builder-saved");

    // Backtest opens the Backtesting stage with this version selected; the run finishes.
    await Promise.all([
      page.waitForURL(/\/backtesting\?strategy=\d+&version=1$/),
      page.getByTestId("sb-backtest").click(),
    ]);
    await page.getByTestId("backtester").waitFor();
    await page.waitForLoadState("networkidle");
    const picked = await page.locator("select[name=template]").evaluate((el) => {
      const s = el as HTMLSelectElement;
      return s.options[s.selectedIndex]?.textContent ?? "";
    });
    assert.match(picked, /RSI dip, AAPL and MSFT \(v1\)/);
    await page.getByTestId("bt-run").click();
    await page.getByTestId("bt-results").waitFor({ timeout: 60_000 });
    assert.match(await page.getByTestId("bt-metric-trades").innerText(), /\d+/);

    // Deploy the saved version from the builder's page.
    await page.goto(`${app.url}/strategies`, { waitUntil: "networkidle" });
    await page.waitForFunction(() =>
      /crosses above/.test(document.querySelector("[data-testid=sb-sentences]")?.textContent ?? "")
    );
    await deployments.getByLabel("Strategy").selectOption({ label: "RSI dip, AAPL and MSFT" });
    await deployments.getByLabel("Capital (USD)").fill("20000");
    await deployments.getByRole("button", { name: "Deploy" }).click();
    const item = deployments.getByTestId("deployment-item");
    await item.waitFor();
    const text = await item.innerText();
    assert.match(text, /RSI dip, AAPL and MSFT v1/);
    assert.equal(await item.locator(".deployment-status").textContent(), "active");
    assert.match(text, /\$20,000\.00/);
    assert.match(text, /Not evaluated yet: it runs after each session's close\./);
    await screenshot(page, "strategy-builder-deployed");

    // The replayed session closes; the admin runs the deployments job now rather than waiting
    // for its minute (a run already going, from the cron, is waited for and followed by ours).
    const get = async (path: string) => {
      const res = await page.request.get(`${app.url}${path}`);
      assert.equal(res.status(), 200, `${path}: ${await res.text()}`);
      return await res.json();
    };
    const open = await get("/api/market/clock");
    if (open.state === "open") {
      assert.equal(open.date, SESSION);
      // The clock names the instant of the close: wait for it rather than asking again and again.
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(open.nextClose) - Date.now())));
    }
    const clock = await until(
      () => get("/api/market/clock"),
      (c) => c.state !== "open",
      "the replayed close",
    );
    assert.equal(clock.date, SESSION);
    const csrf = csrfFromHtml(await page.content());
    for (;;) {
      const run = await page.request.post(`${app.url}/api/scheduler/strategy-deployments/run`, {
        headers: { "X-CSRF-Token": csrf },
      });
      if (run.status() === 202) break;
      assert.equal(run.status(), 409, await run.text());
      await until(() => get("/api/scheduler/strategy-deployments"), (j) => !j.job.running, "idle");
    }
    const [deployed] = (await get("/api/deployments")).deployments;
    const evaluated = await until(
      () => get(`/api/deployments/${deployed.id}`),
      (d) => d.evaluations.some((e: { status: string }) => e.status !== "running"),
      "the evaluation",
    );
    assert.equal(evaluated.evaluations[0].session, SESSION, JSON.stringify(evaluated));

    // The deployment's line says what the close made; the proposal waits in the AI Recs queue.
    await page.reload({ waitUntil: "networkidle" });
    assert.equal(
      await item.locator("p.muted").first().textContent(),
      `${SESSION}: 1 proposal, 0 orders placed.`,
    );
    await page.goto(`${app.url}/recommendations`, { waitUntil: "networkidle" });
    const proposal = page.getByTestId("proposal-queue").getByTestId("proposal-item");
    await proposal.waitFor();
    assert.match(await proposal.locator("strong").innerText(), /^Buy \d+ shares? of AAPL/);
    assert.match(
      await proposal.locator(".proposal-note").innerText(),
      new RegExp(`^RSI dip, AAPL and MSFT v1: The entry condition held at the ${SESSION} close`),
    );
    await proposal.scrollIntoViewIfNeeded();
    await screenshot(page, "strategy-builder-proposal");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await app.stop();
  }
});
