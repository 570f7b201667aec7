/**
 * Browser test of the analyst chat on the offline analyst: on a symbol page, open the chat (its
 * code loads only then), ask for the price, and see the streamed answer quote the replay price
 * that the tool step shows, labelled as the offline analyst.
 */
import assert from "node:assert/strict";
import { signUpForBrowser } from "../_auth.ts";
import { openReplayEnv } from "../_replay_env.ts";
import {
  e2eTest,
  launchBrowser,
  newPage,
  screenshot,
  startApp,
  watchConsoleErrors,
} from "./_helpers.ts";

e2eTest("chat: the offline analyst answers the price of AAPL with its tool step", async () => {
  const app = await startApp({ env: openReplayEnv() });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);
    await signUpForBrowser(page, app.url);
    await page.goto(`${app.url}/symbol/AAPL`, { waitUntil: "networkidle" });

    // The panel's module is not fetched before the first open.
    const chunks: string[] = [];
    page.on("request", (r) => chunks.push(r.url()));
    await page.getByTestId("chat-button").click();
    const input = page.getByTestId("chat-input");
    await input.waitFor();
    assert.ok(chunks.some((u) => u.endsWith(".js")), "opening loaded the panel's code");

    await input.fill("What is the price of AAPL?");
    await input.press("Enter");
    // Wait for the turn to end either way, so a failed turn fails here with its message.
    const answer = page.locator("[data-testid=chat-turn-assistant]:not([data-status=streaming])");
    await answer.waitFor({ timeout: 30_000 });
    assert.equal(await answer.getAttribute("data-status"), "complete", await answer.innerText());

    const step = answer.getByTestId("chat-step");
    assert.match(await step.locator("summary").innerText(), /replay/);
    await step.locator("summary").click();
    const data = JSON.parse(await step.locator("pre").innerText());
    const output = JSON.stringify(data.output);
    const text = await answer.innerText();
    assert.match(text, /Offline analyst/);
    // Some price the tool returned appears in the answer, as the tool step shows it.
    const prices = [...output.matchAll(/"(?:last|price|close)":(\d+(?:\.\d+)?)/g)].map((m) =>
      Number(m[1])
    );
    assert.ok(prices.length > 0, `the tool step shows a price: ${output}`);
    assert.ok(
      prices.some((p) => text.includes(p.toFixed(2))),
      `the answer quotes the tool's price: ${text}`,
    );
    await screenshot(page, "chat-price");

    // Keyboard: Escape closes the panel, Ctrl+J opens it again with the conversation kept.
    await page.getByTestId("chat-input").focus();
    await page.keyboard.press("Escape");
    await page.getByTestId("chat-panel").waitFor({ state: "hidden" });
    await page.keyboard.press("Control+j");
    await page.getByTestId("chat-input").waitFor({ state: "visible" });
    assert.match(await page.getByTestId("chat-panel").innerText(), /What is the price of AAPL\?/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await app.stop();
  }
});
