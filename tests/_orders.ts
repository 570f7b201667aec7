/**
 * Shared by the order crash test and the order benchmarks: an app process that can be killed
 * (tests/e2e/_helpers.ts `startApp` only stops gracefully and owns its DATA_DIR), a signed-up
 * trader over plain HTTP, market-order bodies, and the paper ledger read straight from SQL.
 */
import { fileURLToPath } from "node:url";
import type { Queryable } from "../lib/db/mod.ts";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface AppProcess {
  url: string;
  /** Resolves when the process has exited (for any reason). */
  exited: Promise<Deno.CommandStatus>;
  /** Sends `signal` now; a process that already exited is left alone. */
  kill(signal: Deno.Signal): void;
  /** SIGTERM, SIGKILL after 10 s, then waits for the exit and the pipes. Safe to call twice. */
  stop(): Promise<void>;
  logs(): string;
}

/**
 * Runs `main.ts` with exactly the DATA_DIR and DATABASE_URL in `env` (an empty DATABASE_URL
 * forces the embedded database even when this process's environment names a server).
 */
export async function spawnApp(env: Record<string, string>): Promise<AppProcess> {
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
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const sink = () => new WritableStream<string>({ write: (c) => void (output += c) });
  // Both pipes are drained (a full pipe would block the app) and must end before the test does.
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
  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      kill("SIGTERM");
      const timer = setTimeout(() => kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
      await drained;
    })();
  try {
    await waitForHealth(url, () => status, 60_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- app output ---\n${output}`);
  }
  return { url, exited, kill, stop, logs: () => output };
}

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
  let last = "no answer yet";
  while (Date.now() < deadline) {
    const s = exited();
    if (s) throw new Error(`app exited with code ${s.code} before it was healthy`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.ok) return;
      last = `GET /api/health answered ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`app not healthy after ${timeoutMs} ms (${last})`);
}

export interface Trader {
  userId: number;
  headers: Record<string, string>;
}

/** Signs a new user up over HTTP and lifts the limits that would refuse many small orders. */
export async function signUpTrader(baseUrl: string, name: string): Promise<Trader> {
  const res = await fetch(`${baseUrl}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: name,
      email: `${name}@example.test`,
      password: "correct horse battery staple 42",
    }),
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`sign-up: ${res.status} ${JSON.stringify(body)}`);
  const headers = {
    Authorization: `Bearer ${body.accessToken}`,
    "Content-Type": "application/json",
  };
  const patch = await fetch(`${baseUrl}/api/settings`, {
    method: "PATCH",
    headers,
    body: JSON.stringify({ maxPositionPercent: 100, maxOrderValue: 1_000_000 }),
  });
  await patch.body?.cancel();
  if (patch.status !== 200) throw new Error(`PATCH /api/settings: ${patch.status}`);
  return { userId: body.user.id, headers };
}

/** A one-share market day order. */
export function marketOrder(symbol: string, clientOrderId: string, side: "buy" | "sell" = "buy") {
  return { symbol, side, type: "market", timeInForce: "day", qty: 1, clientOrderId };
}

export interface LedgerState {
  orders: number;
  distinctKeys: number;
  filled: number;
  trades: number;
  /** Orders without exactly one trade. */
  ordersWithoutOneTrade: number;
  /** cash + Σ cost basis, and starting cash + realized P&L, as Postgres prints the numerics. */
  cashPlusCost: string;
  startingPlusRealized: string;
  realizedPl: string;
  tradesRealizedPl: string;
  /** Positions whose qty differs from the signed sum of their trades. */
  positionsOffTrades: number;
}

/** The user's paper ledger, every figure computed in SQL numerics. */
export async function readLedger(db: Queryable, userId: number): Promise<LedgerState> {
  const [row] = await db.query<LedgerState>(
    `select
       (select count(*)::int from orders where user_id = $1) as "orders",
       (select count(distinct client_order_id)::int from orders where user_id = $1)
         as "distinctKeys",
       (select count(*)::int from orders where user_id = $1 and status = 'filled') as "filled",
       (select count(*)::int from trades where user_id = $1) as "trades",
       (select count(*)::int from orders o where o.user_id = $1
          and (select count(*) from trades t where t.order_id = o.id) <> 1)
         as "ordersWithoutOneTrade",
       (a.cash + coalesce((select sum(cost_basis) from paper_positions where user_id = $1), 0))
         ::text as "cashPlusCost",
       (a.starting_cash + a.realized_pl)::text as "startingPlusRealized",
       a.realized_pl::text as "realizedPl",
       coalesce((select sum(realized_pl) from trades where user_id = $1), 0)::numeric(20, 2)
         ::text as "tradesRealizedPl",
       (select count(*)::int from (
          select symbol, sum(case side when 'buy' then quantity else -quantity end) as q
          from trades where user_id = $1 group by symbol) t
        full join (select symbol, qty from paper_positions where user_id = $1) p using (symbol)
        where coalesce(t.q, 0) <> coalesce(p.qty, 0)) as "positionsOffTrades"
     from paper_accounts a where a.user_id = $1`,
    [userId],
  );
  if (!row) throw new Error(`user ${userId} has no paper account`);
  return row;
}
