/**
 * Harness for browser tests: starts the real app in a child process (tests/_app_process.ts) and
 * drives Debian's Chromium with playwright-core.
 *
 * playwright-core under Deno 2 (checked with Deno 2.9.6 and playwright-core 1.65.1): it works
 * through Deno's Node compatibility as is. It needs no `--unstable-*` flag, no environment
 * variable and no special launch option beyond `executablePath`. Its pipe to Chromium leaves
 * nothing open once `browser.close()` has resolved, so Deno.test's resource and op sanitizers
 * stay on. Never run `npx playwright install`: browsers can't be downloaded here. The only
 * browser is the apt package `chromium`, which `.ci/run` installs (and requires: see `e2eTest`).
 */
import { type Browser, chromium, type Page } from "playwright-core";
// node:url rather than @std/path: JSR is not reachable from this network, npm and node: are.
import { fileURLToPath } from "node:url";

// The app's process starter is shared with tests that run no browser; see tests/_app_process.ts.
export { REPO_ROOT, type RunningApp, startApp, type StartAppOptions } from "../_app_process.ts";

/** Debian's Chromium; `CHROMIUM_PATH` points elsewhere (e.g. to check what happens without one). */
export const CHROMIUM_PATH = Deno.env.get("CHROMIUM_PATH") || "/usr/bin/chromium";

/** Where screenshots go. It is git-ignored. */
export const SCREENSHOT_DIR = fileURLToPath(new URL("./screenshots/", import.meta.url));

export function browserAvailable(): boolean {
  try {
    return Deno.statSync(CHROMIUM_PATH).isFile;
  } catch {
    return false;
  }
}

/**
 * Chromium flags for a root user on a machine without network access:
 * --no-sandbox because Chromium refuses to sandbox itself as root. The background-networking,
 * component-update, sync and QUIC flags stop it from calling Google's hosts. Those calls are
 * refused here, fill the log and slow down start-up. --disable-dev-shm-usage because /dev/shm
 * is small in containers.
 */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Whether a missing Chromium fails the browser tests instead of ignoring them: `REQUIRE_BROWSER=1`
 * (set by `.ci/run`) or `CI=true`. A CI run must never report green without its browser tests.
 */
export function browserRequired(): boolean {
  return Deno.env.get("REQUIRE_BROWSER") === "1" || Deno.env.get("CI") === "true";
}

/**
 * Registers a browser test. Without Chromium it shows up as "ignored" on a developer's machine
 * (so a run doesn't silently report fewer tests), and as a failure where a browser is required.
 */
export function e2eTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  if (browserAvailable()) {
    Deno.test({ name, fn });
  } else if (browserRequired()) {
    Deno.test({
      name,
      fn: () => {
        throw new Error(
          `${CHROMIUM_PATH} not found (apt-get install chromium) and a browser is ` +
            `required (REQUIRE_BROWSER=1 or CI=true)`,
        );
      },
    });
  } else {
    console.warn(`[e2e] ${CHROMIUM_PATH} not found (apt-get install chromium): ignoring "${name}"`);
    Deno.test({ name, ignore: true, fn });
  }
}

/**
 * Opens a fresh page. Each page is in its own context, so cookies never leak between tests.
 *
 * The page asks for reduced motion, as a user can (the styles then stop animating), unless
 * `motion` is set. Headless Chromium composites in software here: the open market's dot pulsing
 * for its 4.8 s after each page load kept its GPU process busy (1.4–2.9 s of CPU per 3 s against
 * under 0.05 s still), in every test, for an effect only replay_labels_test.ts looks at.
 */
export async function newPage(browser: Browser, opts: { motion?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    reducedMotion: opts.motion ? "no-preference" : "reduce",
  });
  const page = await context.newPage();
  // Playwright's own 30 s: on a loaded 2-core machine an island has taken over 15 s to hydrate
  // (the order ticket, twice in one CI run). Waits end as soon as the element is there.
  page.setDefaultTimeout(30_000);
  // `goto` and `reload` resolve on the load event, before the islands have hydrated: a fill or
  // a click right after could land on server markup with no handler yet (the ticket's Review,
  // once in a CI run). Here they also wait for hydration, so no test has to remember to, within
  // the caller's timeout. (With `waitUntil: "commit"` the old document may still be there; no
  // test navigates that way.)
  const goto = page.goto.bind(page);
  page.goto = async (url, options) => {
    const response = await goto(url, options);
    await hydrated(page, options?.timeout);
    return response;
  };
  const reload = page.reload.bind(page);
  page.reload = async (options) => {
    const response = await reload(options);
    await hydrated(page, options?.timeout);
    return response;
  };
  return page;
}

/**
 * Waits until every island on the page is hydrated (lib/fresh/boot.ts marks each outer island
 * `data-hydrated`; nested ones hydrate with it). `networkidle` only says the chunks arrived: on a
 * loaded machine a click or a fill can still land on server markup with no handler yet. From
 * here the handlers written in JSX are attached; what an island starts in an effect (a listener
 * on `window`, a fetch on mount) comes after paint, and needs a sign of its own (`paletteReady`).
 * An island that failed to load shows as a page error and this wait's timeout.
 */
export async function hydrated(page: Page, timeout?: number): Promise<void> {
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll("paiid-island")].every((el) =>
        el.hasAttribute("data-hydrated") || el.parentElement?.closest("paiid-island")
      ),
    undefined,
    { timeout },
  );
}

/**
 * Waits until the command palette's key listener is attached (the island marks `<html>`): a
 * shortcut pressed before the island hydrates is lost, which a loaded machine makes likely.
 */
export async function paletteReady(page: Page): Promise<void> {
  await page.locator('html[data-palette="ready"]').waitFor({ state: "attached" });
}

/** Collects console errors and uncaught exceptions, each tagged with the page's URL at the time. */
export function watchConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`${page.url()}: console.error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`${page.url()}: uncaught: ${err.message}`));
  return errors;
}

/** Saves a full-page screenshot as `tests/e2e/screenshots/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
