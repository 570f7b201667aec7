/**
 * The one way tests run the real app as a child process: `main.ts` as production starts it, on a
 * free port, with its output captured. Browser tests, the restart and two-process tests and the
 * order crash test all use it. It lives outside tests/e2e/ so that tests without a browser don't
 * load playwright-core; tests/e2e/_helpers.ts re-exports it.
 */
// node:url rather than @std/path: JSR is not reachable from this network, npm and node: are.
import { fileURLToPath } from "node:url";
import {
  appTestDatabase,
  createServerDatabase,
  seedPgliteDataDir,
  type ServerTestDatabase,
} from "../lib/db/testing.ts";

/** Repository root: the app must start from there, so `main.ts` finds its routes and `static/`. */
export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface RunningApp {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The app's DATA_DIR. */
  dataDir: string;
  /** Resolves when the process has exited, for any reason. */
  exited: Promise<Deno.CommandStatus>;
  /** Sends `signal` now, e.g. "SIGKILL" to simulate a crash. A process that exited is left alone. */
  kill(signal: Deno.Signal): void;
  /**
   * SIGTERM, SIGKILL after 10 s, then waits for the exit and for both pipes to end. Removes
   * DATA_DIR when startApp created it. Safe to call more than once and after `kill`.
   */
  stop(): Promise<void>;
  /** Everything the app has written to stdout and stderr so far. */
  logs(): string;
  /** The app's process id (benchmarks read its CPU time from /proc). */
  pid: number;
}

export interface StartAppOptions {
  /**
   * DATA_DIR owned by the caller: used as is and never removed, so a second app can start on the
   * same data. Without it the app gets an empty temporary directory that `stop` removes.
   */
  dataDir?: string;
  /**
   * Extra environment for the app. It overrides the inherited environment and the defaults. An
   * empty value counts as unset for the app: `DATABASE_URL: ""` forces the embedded database.
   * Without a DATABASE_URL here the app gets the backend `appTestDatabase` picks: the embedded
   * database in DATA_DIR, or a fresh database on the test server that `stop` drops (so a test
   * that restarts on the same data against the server passes its own DATABASE_URL). A DATA_DIR
   * here is treated like `dataDir` (the caller's, not removed); `dataDir` wins if both are given.
   */
  env?: Record<string, string>;
  /** How long to wait for `/api/health`, in ms. */
  timeoutMs?: number;
}

/**
 * Starts `main.ts` and resolves once `/api/health` answers 200. The child inherits this process's
 * environment, except for the database (see `StartAppOptions.env`).
 */
export async function startApp(opts: StartAppOptions = {}): Promise<RunningApp> {
  const callerDir = opts.dataDir ?? opts.env?.DATA_DIR;
  const dataDir = callerDir ?? await Deno.makeTempDir({ prefix: "paiid-app-" });
  const callerDatabase = opts.env?.DATABASE_URL;
  const server: ServerTestDatabase | undefined =
    callerDatabase === undefined && appTestDatabase() === "postgres"
      ? await createServerDatabase({ migrated: true })
      : undefined;
  // A fresh embedded database of our own starts from the migrated template (a caller's DATA_DIR
  // is left as it is: restart tests need the app's own first start).
  if (callerDir === undefined && !server && !callerDatabase) await seedPgliteDataDir(dataDir);
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: REPO_ROOT,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      // An inherited DATABASE_URL never decides: the caller or appTestDatabase does.
      DATABASE_URL: server?.url ?? "",
      ...opts.env,
      DATA_DIR: dataDir,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  let output = "";
  const sink = () => new WritableStream<string>({ write: (chunk) => void (output += chunk) });
  // Both pipes must be drained, or a chatty app blocks on a full pipe. Both readers must also end
  // before the test does, or the resource sanitizer reports a leak.
  const drained = Promise.all([
    child.stdout.pipeThrough(new TextDecoderStream()).pipeTo(sink()),
    child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(sink()),
  ]).catch(() => {});

  let status: Deno.CommandStatus | undefined;
  const exited = child.status.then((s) => (status = s));
  const kill = (signal: Deno.Signal) => {
    if (status) return;
    try {
      child.kill(signal);
    } catch { /* it exited between the check and the kill */ }
  };

  // Every caller of stop waits for the same shutdown, not just the first one.
  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      kill("SIGTERM");
      // Graceful shutdown gets 10 s. After that SIGKILL makes sure no app outlives the test.
      const timer = setTimeout(() => kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
      await drained;
      await server?.drop();
      if (callerDir === undefined) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    })();

  try {
    await waitForHealth(url, () => status, opts.timeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- app output ---\n${output}`);
  }
  return { url, dataDir, exited, kill, stop, logs: () => output, pid: child.pid };
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
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`app not healthy after ${timeoutMs} ms (${lastError})`);
}
