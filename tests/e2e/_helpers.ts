/**
 * Harness for browser tests: starts the real app in a child process and drives Debian's Chromium
 * with playwright-core.
 *
 * playwright-core under Deno 2 (checked with Deno 2.9.6 and playwright-core 1.65.1): it works
 * through Deno's Node compatibility as is. It needs no `--unstable-*` flag, no environment
 * variable and no special launch option beyond `executablePath`. Its pipe to Chromium leaves
 * nothing open once `browser.close()` has resolved, so Deno.test's resource and op sanitizers
 * stay on. Never run `npx playwright install`: browsers can't be downloaded here. The only
 * browser is the apt package `chromium`, which `.ci/run` installs.
 */
import { type Browser, chromium, type Page } from "playwright-core";
// node:url rather than @std/path: JSR is not reachable from this network, npm and node: are.
import { fileURLToPath } from "node:url";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Repository root: the app must start from there, so `main.ts` finds its routes and `static/`. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

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

export interface RunningApp {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Stops the app and removes its DATA_DIR. It is safe to call more than once. */
  stop(): Promise<void>;
  /** Everything the app has written to stdout and stderr so far. */
  logs(): string;
}

export interface StartAppOptions {
  /** Extra environment for the app. It overrides the inherited environment and the defaults. */
  env?: Record<string, string>;
  /** How long to wait for `/api/health`, in ms. */
  timeoutMs?: number;
}

/**
 * Runs `main.ts` the way production does, on a free port with an empty temporary DATA_DIR.
 * The child inherits this process's environment. In CI's Postgres run the app therefore talks to
 * DATABASE_URL; otherwise it uses the embedded database inside the temporary DATA_DIR.
 */
export async function startApp(opts: StartAppOptions = {}): Promise<RunningApp> {
  const dataDir = await Deno.makeTempDir({ prefix: "paiid-e2e-" });
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: REPO_ROOT,
    env: {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      ...opts.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  let output = "";
  const append = (chunk: string) => {
    output += chunk;
  };
  // Both pipes must be drained, or a chatty app blocks on a full pipe. Both readers must also end
  // before the test does, or the resource sanitizer reports a leak.
  const drained = Promise.all([
    child.stdout.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream({ write: append })),
    child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream({ write: append })),
  ]).catch(() => {});

  let exited: Deno.CommandStatus | undefined;
  const status = child.status.then((s) => (exited = s));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      try {
        child.kill("SIGTERM");
      } catch { /* it exited between the check and the kill */ }
      // Graceful shutdown gets 10 s. After that SIGKILL makes sure no app outlives the test.
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, 10_000);
      await status;
      clearTimeout(timer);
    }
    await drained;
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  };

  try {
    await waitForHealth(url, () => exited, opts.timeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- app output ---\n${output}`);
  }
  return { url, stop, logs: () => output };
}

/** Binds port 0 to let the kernel pick a port that is free now. The app binds it right after. */
function freePort(): number {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitForHealth(
  url: string,
  exited: () => Deno.CommandStatus | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "no answer yet";
  while (Date.now() < deadline) {
    const status = exited();
    if (status) throw new Error(`app exited with code ${status.code} before it was healthy`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.ok) return;
      lastError = `GET /api/health answered ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`app not healthy after ${timeoutMs} ms (${lastError})`);
}

/**
 * Registers a browser test. Without Chromium it still shows up, as "ignored", so a machine
 * without the browser doesn't silently report fewer tests.
 */
export function e2eTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  const ignore = !browserAvailable();
  if (ignore) {
    console.warn(`[e2e] ${CHROMIUM_PATH} not found (apt-get install chromium): ignoring "${name}"`);
  }
  Deno.test({ name, ignore, fn });
}

/** Opens a fresh page. Each page is in its own context, so cookies never leak between tests. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Fail fast. The default is 30 s, and a broken selector would make a run slow to read.
  page.setDefaultTimeout(15_000);
  return page;
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
