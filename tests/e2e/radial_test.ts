/**
 * Browser test of the shell: the radial home, keyboard navigation into a stage, and the split
 * view with its resizable divider.
 */
import assert from "node:assert/strict";
import type { Page, Response as PwResponse } from "playwright-core";
import {
  e2eTest,
  launchBrowser,
  newPage,
  screenshot,
  startApp,
  watchConsoleErrors,
} from "./_helpers.ts";
import { signUpInBrowser } from "../_auth.ts";

/** Clockwise order of the wedges, starting at 12 o'clock. */
const WEDGES = [
  "morning-routine",
  "positions",
  "execute",
  "risk",
  "scanner",
  "recommendations",
  "settings",
  "news",
  "strategies",
  "backtesting",
];

e2eTest("radial home: keyboard into a stage, split view keeps its width", async () => {
  const app = await startApp();
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const errors = watchConsoleErrors(page);

    // Every page needs a signed-in user: sign up through the real form first.
    await signUpInBrowser(page, app.url);

    // Home: the radial menu and what it costs in JavaScript.
    const scripts = recordScripts(page);
    // networkidle waits for the island chunks, so the key handlers exist before any key press.
    await page.goto(`${app.url}/`, { waitUntil: "networkidle" });
    const wedges = page.locator('a[data-testid^="wedge-"]');
    assert.equal(await wedges.count(), 10, "the home page shows 10 wedges");
    const found = await wedges.evaluateAll((els) =>
      els.map((el) => [el.getAttribute("data-testid"), el.getAttribute("href")])
    );
    assert.deepEqual(found, WEDGES.map((id) => [`wedge-${id}`, `/${id}`]));
    await screenshot(page, "home");
    await checkHomeScripts(page, app.url, await scripts.done());

    // Keyboard: ArrowRight walks clockwise, and Enter opens the focused wedge. The caption
    // names the focused stage (hydration wired it to the wheel the server drew).
    await wedges.first().focus();
    await page.waitForFunction(() =>
      document.querySelector(".radial-caption strong")?.textContent === "Morning Routine"
    );
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.equal(await eventuallyFocused(page, "wedge-execute"), "wedge-execute");
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/execute"),
      page.keyboard.press("Enter"),
    ]);
    await page.waitForLoadState("networkidle");

    // Stage: the split view with the compact menu and the stage (Execute Trade's order ticket).
    await page.locator(".split").waitFor();
    await page.locator('main#main [data-testid="order-ticket"]').waitFor();
    const current = page.locator('.split a[data-testid^="wedge-"][aria-current="page"]');
    assert.deepEqual(
      await current.evaluateAll((els) => els.map((el) => el.getAttribute("data-testid"))),
      ["wedge-execute"],
      "only the execute wedge is marked as the current page",
    );

    // Divider: the keyboard widens the left pane, and a reload keeps the width.
    const divider = page.locator('[data-testid="split-divider"]');
    assert.equal(await divider.getAttribute("role"), "separator");
    const before = await valueNow(page);
    const cookiesBefore = await cookieJar(page);
    await divider.focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(
      (prev) =>
        Number(
          document.querySelector('[data-testid="split-divider"]')?.getAttribute("aria-valuenow"),
        ) > prev,
      before,
      { timeout: 5_000 },
    );
    const widened = await valueNow(page);
    // The cookie may be written after the key press, e.g. debounced or by a fetch. Reloading
    // before it is written would test nothing.
    await eventually(async () => (await cookieJar(page)) !== cookiesBefore, "width cookie set");
    await page.reload({ waitUntil: "networkidle" });
    assert.equal(await valueNow(page), widened, "the divider keeps its width across a reload");
    await screenshot(page, "stage-execute");

    // A small phone, by touch: each page fits the screen's width (a wider table scrolls in its
    // box; these pages each had something that widened the page past it), and a tap on a label
    // opens its explanation (touch has no hover and no native title).
    const phone = await browser.newContext({
      storageState: await page.context().storageState(),
      viewport: { width: 320, height: 640 },
      isMobile: true,
      hasTouch: true,
      reducedMotion: "reduce", // as newPage's contexts
    });
    try {
      const touch = await phone.newPage();
      touch.setDefaultTimeout(30_000);
      for (const path of ["/", "/execute", "/risk", "/news", "/symbol/AAPL", "/positions"]) {
        await touch.goto(`${app.url}${path}`, { waitUntil: "networkidle" });
        const { scroll, client } = await touch.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        assert.ok(scroll <= client, `${path} is ${scroll} px wide on a ${client} px screen`);
      }
      const label = touch.locator(".replay-label").first();
      const tip = label.locator('[role="tooltip"]');
      assert.equal(await tip.isVisible(), false, "the tip is closed before the tap");
      await label.locator(".badge").tap();
      await tip.waitFor({ state: "visible" });
      await screenshot(touch, "phone-positions-tip");
    } finally {
      await phone.close();
    }

    assert.deepEqual(errors, [], "no console errors on the home page or the stage");
  } catch (err) {
    console.error(`--- app output ---\n${app.logs()}`);
    throw err;
  } finally {
    await browser.close();
    await app.stop();
  }
});

interface ScriptLoad {
  url: string;
  status: number;
  bytes: number;
  gzipBytes: number;
}

/** Records every JavaScript response from now on, with its size raw and gzipped. */
function recordScripts(page: Page): { done(): Promise<ScriptLoad[]> } {
  const loads: Promise<ScriptLoad | undefined>[] = [];
  const onResponse = (res: PwResponse) => {
    const type = res.headers()["content-type"] ?? "";
    if (res.request().resourceType() !== "script" && !type.includes("javascript")) return;
    loads.push(
      res.body().then(async (body) => ({
        url: res.url(),
        status: res.status(),
        bytes: body.byteLength,
        gzipBytes: await gzipSize(body),
      }), () => undefined),
    );
  };
  page.on("response", onResponse);
  return {
    async done() {
      page.off("response", onResponse);
      return (await Promise.all(loads)).filter((l): l is ScriptLoad => l !== undefined);
    },
  };
}

/**
 * The home page may run one boot script, and it may load island chunks from this app only. No
 * third-party scripts, no second entry point. JSON data blocks such as island props don't count.
 */
async function checkHomeScripts(page: Page, origin: string, loads: ScriptLoad[]): Promise<void> {
  const tags = await page.evaluate(() =>
    [...document.scripts].map((s) => ({ src: s.src, type: s.type, inlineChars: s.text.length }))
  );
  const executable = tags.filter((t) =>
    ["", "module", "text/javascript", "application/javascript"].includes(t.type)
  );
  const total = loads.reduce((sum, l) => sum + l.gzipBytes, 0);
  const inline = executable.reduce((sum, t) => sum + t.inlineChars, 0);
  console.log(
    `home: ${executable.length} executable <script> tag(s) (${inline} inline chars), ` +
      `${loads.length} JS response(s), ${total} B gzipped in all`,
  );
  for (const l of loads) console.log(`  ${l.status} ${l.url} ${l.bytes} B, ${l.gzipBytes} B gz`);

  assert.ok(executable.length <= 1, `one boot script at most, got ${JSON.stringify(executable)}`);
  for (const l of loads) {
    assert.ok(l.url.startsWith(`${origin}/`), `script from another origin: ${l.url}`);
    assert.equal(l.status, 200, `script failed to load: ${l.url}`);
  }
  const urls = loads.map((l) => l.url);
  assert.equal(new Set(urls).size, urls.length, `a script was fetched twice: ${urls}`);
}

async function gzipSize(bytes: Uint8Array): Promise<number> {
  // The copy gives a plain ArrayBuffer-backed view, which is what Blob's types accept.
  const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return (await new Response(stream).arrayBuffer()).byteLength;
}

async function valueNow(page: Page): Promise<number> {
  const raw = await page.locator('[data-testid="split-divider"]').getAttribute("aria-valuenow");
  const n = Number(raw);
  assert.ok(raw !== null && Number.isFinite(n), `divider aria-valuenow is a number, got ${raw}`);
  return n;
}

/** The context's cookies as one comparable string: the test doesn't depend on the cookie's name. */
async function cookieJar(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  return JSON.stringify(cookies.map((c) => [c.name, c.value]).sort());
}

/**
 * Returns the data-testid of the focused element once it is `expected`, or whatever is focused
 * when time runs out. Focus may move after a re-render, not within the key event.
 */
async function eventuallyFocused(page: Page, expected: string): Promise<string | null> {
  const focused = () =>
    page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? null);
  await eventually(async () => (await focused()) === expected, `focus on ${expected}`).catch(
    () => {},
  );
  return focused();
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for: ${what}`);
}
