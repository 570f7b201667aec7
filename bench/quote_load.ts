/**
 * An authenticated, cached `GET /api/market/quote/AAPL` through the app as `deno task start`
 * runs it, against a bare `Deno.serve` answering the same body: the ratio is the figure.
 *
 *     deno run -A bench/quote_load.ts [seconds=5] [connections=32] [path=/api/market/quote/AAPL]
 *       [--no-front] [--browser] [--same-headers] [--front-floor]
 *
 * - `--no-front`: the app with HEADER_TIMEOUT_MS=0 (no header-deadline front).
 * - `--browser`: every request (app and bare) carries the Accept-Encoding browsers send, so the
 *   app compresses what it would compress for them; the bare server still answers plain bytes.
 * - `--same-headers`: a third target, a bare `Deno.serve` answering with the app's own response
 *   headers as well: how far the headers alone bring the ratio down.
 * - `--front-floor`: a further target, the header-deadline front (lib/http/header_deadline.ts)
 *   relaying to a handler that only answers the same body with the app's headers (a new
 *   Response each time, as the app makes them): the ceiling of the app served as `deno task
 *   start` serves it.
 *
 * Any signed-in GET can be measured the same way: `deno run -A bench/quote_load.ts 3 32 /`
 * renders the radial hub for a signed-in user against a bare server answering its HTML.
 *
 * - The app is a child process, `deno run -A main.ts`, on a free port with an empty temporary
 *   DATA_DIR: the embedded database (PGlite) and a KV file, as a fresh install has them.
 *   Two settings differ from the defaults, as any load test of one user needs: the per-user
 *   rate limit is raised (RATE_LIMIT_PER_MINUTE) and request logs are off (LOG_LEVEL=warn).
 * - One user signs up over HTTP; every request carries its bearer token, and the cookies the
 *   first answer set (a page's CSRF cookie), as a browser sends them back.
 * - The load comes from Debian's `wrk` (C, one thread, `connections` keep-alive connections),
 *   which outruns a bare `Deno.serve` on this machine, so the bare figure is the server's own.
 * - A warm-up run of each, then three rounds alternating bare and app; the median of each is
 *   reported, with the load average around every run (other work on the machine skews both).
 *   Responses other than 200 are counted as failures, not throughput.
 *
 * Printed on the 2-core development machine, other work sharing it lightly (load average about
 * 1.5), 2026-12-04, `deno run -A bench/quote_load.ts 3 32`, after identify stopped asking the
 * database (lib/auth/identity_cache.ts) and stopped re-verifying the same JWT:
 *
 *     round  target              req/s   p99 ms      ok  failed
 *     1      bare Deno.serve     71425     1.86  214274       0
 *     1      app quote (cached)  10659     6.17   31976       0
 *     2      bare Deno.serve     70854     2.06  212563       0
 *     2      app quote (cached)  11639     6.21   34918       0
 *     3      bare Deno.serve     72941     2.28  218824       0
 *     3      app quote (cached)  10956     5.84   32977       0
 *     median of 3: bare 71425 req/s, app 10956 req/s, app/bare = 0.1534
 *
 * The signed-in hub, `deno run -A bench/quote_load.ts 3 32 /`, same day, load average about 3
 * (every figure lower for it): app GET / 2,836, 2,846 and 3,209 renders/s against a bare server
 * answering the same HTML at 36,477, 35,548 and 25,044; median 2,846 renders/s.
 *
 * After the app's own compress middleware (lib/http/compress.ts) stopped rebuilding every
 * response, 2026-12-04, same command, on a machine other helpers were loading hard (load average
 * 11–12 on 2 cores, so both figures are depressed and noisy): median of 3, bare 49038 req/s,
 * app 8432 req/s, app/bare = 0.1720 (rounds: bare 32390, 49038, 58713; app 8432, 6643, 8991).
 *
 * After the middleware chain went from about ten layers to five (one front layer in lib/app.ts
 * for metrics, request id, log, security headers, compression, body limit and the private-cache
 * rule; CSRF work skipped where it has nothing to do) and the cached quote's JSON is made once,
 * 2026-12-04, same command, load average 4.3–4.5:
 *
 *     round  target              req/s   p99 ms      ok  failed
 *     1      bare Deno.serve     60630     3.11  182495       0
 *     1      app quote (cached)  12587     8.03   37761       0
 *     2      bare Deno.serve     54473     6.21  163965       0
 *     2      app quote (cached)  12187    18.53   36683       0
 *     3      bare Deno.serve     50662     9.12  152493       0
 *     3      app quote (cached)  13149    11.49   39578       0
 *     median of 3: bare 54473 req/s, app 12587 req/s, app/bare = 0.2311
 *
 * The same code on a quiet machine (no other work; load average 1.5 falling), 2026-12-05, same
 * command: the ratio is lower than under load because load slows the bare server more:
 *
 *     round  target              req/s   p99 ms      ok  failed
 *     1      bare Deno.serve    117266     1.34  351797       0
 *     1      app quote (cached)  15379     3.32   46138       0
 *     2      bare Deno.serve    102147     1.77  306442       0
 *     2      app quote (cached)  15276     3.22   45827       0
 *     3      bare Deno.serve    109047     1.81  327140       0
 *     3      app quote (cached)  15400     3.12   46200       0
 *     median of 3: bare 109047 req/s, app 15379 req/s, app/bare = 0.1410
 *
 * and `deno run -A bench/quote_load.ts 3 32 /` right after: app GET / 2,677, 2,466 and 3,054
 * renders/s against a bare server answering the same HTML at 44,573, 41,704 and 35,143; median
 * 2,677 renders/s.
 *
 * On the slower VM of the next session (the in-process chain of bench/request_chain.ts 90 µs
 * there against 25 µs on the machine above), quiet (load average 0.5–0.7), 2026-12-05, after the
 * front reached the inner server over a Unix socket, same command, with the CPU column this file
 * now prints:
 *
 *     round  target              req/s   p99 ms  CPU µs/req
 *     1      bare Deno.serve     53767     3.84        17.1
 *     1      app quote (cached)   4564    14.65       252.6
 *     2      bare Deno.serve     40743     1.77        24.4
 *     2      app quote (cached)   5328     8.56       192.7
 *     3      bare Deno.serve     48892     1.60        20.4
 *     3      app quote (cached)   5570     7.85       181.9
 *     median of 3: bare 48892 req/s, app 5328 req/s, app/bare = 0.1090
 *     server CPU per request, median of 3: bare 20.4 µs, app 192.7 µs, bare/app = 0.1057
 *
 * and `deno run -A bench/quote_load.ts 3 32 /` right after: app 849 renders/s (median), bare
 * 18,925 req/s for the same HTML.
 *
 * On the machine of 2026-12-05's third session (bench/request_chain.ts 42 µs before the changes
 * below), quiet (load average under 1), after the route cache (lib/http/cached_router.ts),
 * `deno run -A bench/quote_load.ts 3 32 --same-headers`:
 *
 *     round  target                    req/s   p99 ms  CPU µs/req
 *     1      bare Deno.serve           70255     1.21        14.0
 *     1      bare, app's 19 headers    23337     2.77        43.1
 *     1      app quote (cached)        10131     5.76       101.0
 *     2      bare Deno.serve           70831     1.27        13.9
 *     2      bare, app's 19 headers    26275     2.59        38.1
 *     2      app quote (cached)        10805    10.98        92.5
 *     3      bare Deno.serve           80778     1.10        11.7
 *     3      bare, app's 19 headers    25746     2.67        38.7
 *     3      app quote (cached)        11240     4.41        90.2
 *     median of 3: bare 70831 req/s, app 10805 req/s, app/bare = 0.1526
 *     bare, app's 19 headers: 25746 req/s, 38.7 µs per request; ÷ bare Deno.serve = 0.3635
 *
 * A bare `Deno.serve` that only adds the app's 19 response headers (security headers, rate-limit
 * headers, cache rule, request id) already falls to 0.32–0.36 of itself: Deno validates every
 * header value character by character in JavaScript on each `Headers.set` and passes the list
 * to Rust per response. The app's own chain adds about 50 µs more. The same command alternated
 * with 39eec38 (before the route cache and the compression change), twice: app 10,494 and
 * 10,613 req/s before, 10,868 and 11,580 after (CPU 96.2 and 94.9 → 93.2 and 87.2 µs a request).
 * Without the front (`--no-front`) the app cost the same CPU (96.9 against 90.3 µs with it).
 *
 * With a browser's Accept-Encoding (`--browser`), where the compression change shows: the
 * signed-in market clock (`3 32 /api/market/clock --browser`), 4,909 req/s before against
 * 10,198 after (208 → 100 µs a request: small JSON answers are no longer gzipped into about as
 * many bytes through a CompressionStream); the hub (`3 32 / --browser`), 1,173 renders/s before
 * against 1,344 after (gzipped in one native call). Without an Accept-Encoding the hub renders at
 * 2,233 and 2,205 before, 2,168 and 2,131 after (`3 32 /`, alternated): unchanged, over the goal
 * of 2,000.
 *
 * On the machine of 2026-12-05's fifth session, quiet (load average 0.9–1.5), same command:
 * median of 3, bare 73,496 req/s, app 13,134 req/s, app/bare = 0.1787 (CPU 13.3 against 78.5 µs
 * a request). With `--no-front` right after: bare 74,511, app 18,182, app/bare = 0.2440 (55.9 µs
 * a request); here the front's relay (four socket operations a request) is about 23 µs of the
 * app's 78. `3 32 /` right after: 2,389 renders/s (bare 35,176).
 *
 * On the machine of 2026-12-05's seventh session (a faster one: the bare server at 8–10 µs a
 * request), after JSON answers got the four API security headers instead of the twelve of a
 * page (lib/http/security_headers.ts), quiet (load average 0.7–0.8), same command:
 *
 *     round  target              req/s   p99 ms  CPU µs/req
 *     1      bare Deno.serve    122614     1.00         8.0
 *     1      app quote (cached)  20042     2.81        51.2
 *     2      bare Deno.serve    120473     0.77         8.2
 *     2      app quote (cached)  20409     2.50        49.3
 *     3      bare Deno.serve    121286     0.62         8.2
 *     3      app quote (cached)  19384     3.04        52.4
 *     median of 3: bare 121286 req/s, app 20042 req/s, app/bare = 0.1652
 *     server CPU per request, median of 3: bare 8.2 µs, app 51.2 µs, bare/app = 0.1598
 *
 * Alternated with the commit before that change, twice: app 56.1 and 58.1 µs a request before,
 * 52.6 and 51.1 after. Here the front costs nothing measurable: `--no-front` alternated with the
 * front gave 52.1 and 54.5 µs against 51.0. `3 32 /` right after: 2,864 renders/s (bare 39,482).
 *
 * The ceiling. On the machine of 2026-12-05's twelfth session (a Firecracker VM where a loopback
 * send costs 10–15 µs), quiet, `deno run -A bench/quote_load.ts 3 32 --same-headers
 * --front-floor`, twice (the quote carries 11 headers of the app's own, besides Content-Length
 * and Date):
 *
 *     target                            req/s (median of 3)   ÷ bare   CPU µs/req
 *     bare Deno.serve                   59,896 | 43,924       1        16.1 | 21.7
 *     bare, app's 11 headers            30,409 | 21,387       0.5077 | 0.4869   34.6 | 46.9
 *     front, app's 11 headers, no app   15,143 | 13,344       0.2528 | 0.3038   63.0 | 75.6
 *     app quote (cached)                 7,816 |  8,238       0.1305 | 0.1876   129.6 | 122.6
 *
 * A handler that does nothing but answer the same bytes with the same headers reaches 0.25–0.30
 * of the bare server behind the front: the front's relay (a read and a write on each side of the
 * inner socket) costs about as much as a bare request, and validating the headers (Deno does it
 * in JavaScript on every new Response) about as much again. The app, which does real work on
 * top, stays below 0.30 here while it keeps the front and answers this way. Without the front (`3 32
 * --no-front`, right after): bare 59,220 req/s, app 15,377, app/bare = 0.2597 (CPU 16.2 against
 * 66.3 µs a request).
 */
import process from "node:process";
import { startApp } from "../tests/_app_process.ts";
import { serveWithHeaderDeadline } from "../lib/http/header_deadline.ts";

const WRK = "/usr/bin/wrk";
const noFront = Deno.args.includes("--no-front");
/** Every request (app and bare) carries the Accept-Encoding browsers send. */
const browser = Deno.args.includes("--browser");
/** A third target: a bare Deno.serve answering with the app's own response headers too. */
const sameHeaders = Deno.args.includes("--same-headers");
/**
 * A fourth: the header-deadline front in front of a handler that only answers the same body with
 * the app's headers, in a new Response as the app does: the app cannot do better behind it.
 */
const frontFloor = Deno.args.includes("--front-floor");
const args = Deno.args.filter((a) => !a.startsWith("--"));
const BROWSER_ENCODING = { "Accept-Encoding": "gzip, deflate, br, zstd" };
const seconds = Math.max(1, Math.min(30, Number(args[0] ?? 5)));
const connections = Math.max(1, Math.min(256, Number(args[1] ?? 32)));
const path = args[2] ?? "/api/market/quote/AAPL";
if (!path.startsWith("/")) throw new Error("the path must start with /");
const appLabel = path === "/api/market/quote/AAPL" ? "app quote (cached)" : `app GET ${path}`;
const WARM_UP_SECONDS = 2;

try {
  await Deno.stat(WRK);
} catch {
  console.error(`${WRK} not found. Install Debian's wrk first:  sudo apt-get install -y wrk`);
  Deno.exit(1);
}

/** A load target: label, URL, request headers, and the CPU clock of the process serving it. */
type Target = [string, string, Record<string, string>, () => number];

interface WrkRun {
  ok: number;
  failed: number;
  rps: number;
  p99Ms: number;
  cpuUs: number;
  load: string;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
/** CPU time in µs a process has used (user + system, all its threads), from /proc. */
function processCpuUs(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * (1e6 / CLOCK_TICKS_PER_SECOND);
}
const ownCpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function loadAverage(): string {
  return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
}

/** The duration in ms of a wrk latency figure such as `812.00us`, `1.20ms` or `2.01s`. */
function millis(figure: string): number {
  const m = figure.match(/^([\d.]+)(us|ms|s)$/);
  if (!m) throw new Error(`unreadable wrk latency ${figure}`);
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as "us" | "ms" | "s"];
}

async function wrk(url: string, duration: number, headers: Record<string, string>) {
  const args = ["-t1", `-c${connections}`, `-d${duration}s`, "--latency"];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
  const out = await new Deno.Command(WRK, { args: [...args, url], stdout: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  const total = text.match(/(\d+) requests in ([\d.]+)(s|m)/);
  if (!out.success || !total) throw new Error(`wrk failed:\n${text}`);
  const requests = Number(total[1]);
  const elapsed = Number(total[2]) * (total[3] === "m" ? 60 : 1);
  const non2xx = Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const errors = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const socketErrors = errors ? errors.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const ok = requests - non2xx;
  return {
    ok,
    failed: non2xx + socketErrors,
    rps: ok / elapsed,
    p99Ms: millis(text.match(/^\s+99%\s+(\S+)$/m)![1]),
  };
}

/**
 * One run, with the CPU time the server spent on it per answered request: the throughput of a
 * shared machine depends on what else runs, the CPU a request costs much less so.
 */
async function measure(
  url: string,
  duration: number,
  headers: Record<string, string>,
  cpu: () => number,
) {
  const before = loadAverage();
  const cpuBefore = cpu();
  const r = await wrk(url, duration, headers);
  const cpuUs = (cpu() - cpuBefore) / Math.max(1, r.ok + r.failed);
  return { ...r, cpuUs, load: `${before} → ${loadAverage()}` };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const app = await startApp({
  env: {
    DATABASE_URL: "",
    RATE_LIMIT_PER_MINUTE: "100000000",
    LOG_LEVEL: "warn",
    ...(noFront ? { HEADER_TIMEOUT_MS: "0" } : {}),
  },
});
const bare = { shutdown: () => Promise.resolve() };
try {
  const signUp = await fetch(`${app.url}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: `bench_${crypto.randomUUID().slice(0, 8)}`,
      email: `bench_${crypto.randomUUID().slice(0, 8)}@example.test`,
      password: "correct horse battery staple 42",
    }),
  });
  const account = await signUp.json();
  if (signUp.status !== 201) throw new Error(`sign-up answered ${signUp.status}`);
  const auth = {
    Authorization: `Bearer ${account.accessToken}`,
    ...(browser ? BROWSER_ENCODING : {}),
  };
  const appUrl = `${app.url}${path}`;
  const sample = await fetch(appUrl, { headers: { Authorization: auth.Authorization } });
  const body = new Uint8Array(await sample.arrayBuffer());
  if (sample.status !== 200) throw new Error(`${path} answered ${sample.status}`);
  // Cookies the answer set (a page's CSRF cookie) go back with every request, as a browser
  // sends them: without it every render would mint and sign a new one.
  const cookies = sample.headers.getSetCookie().map((c) => c.split(";", 1)[0]).join("; ");
  if (cookies) Object.assign(auth, { Cookie: cookies });
  const contentType = sample.headers.get("Content-Type") ?? "application/json";
  // The app's own answer headers, for --same-headers (those Deno.serve writes itself left out).
  const appHeaders = [...sample.headers].filter(([name]) =>
    !["content-length", "date", "content-encoding", "transfer-encoding"].includes(name)
  );

  const serveBare = (headers: [string, string][]) =>
    Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response(body, { headers }),
    );
  const servers: { addr: Deno.NetAddr; shutdown(): Promise<void> }[] = [
    serveBare([["Content-Type", contentType]]),
  ];
  if (sameHeaders) servers.push(serveBare(appHeaders));
  if (frontFloor) {
    servers.push(serveWithHeaderDeadline(
      { hostname: "127.0.0.1", port: 0, headerTimeoutMs: 10_000 },
      () => new Response(body, { headers: appHeaders }),
    ));
  }
  bare.shutdown = async () => void await Promise.all(servers.map((s) => s.shutdown()));
  const bareUrl = (i: number) => `http://127.0.0.1:${servers[i].addr.port}/`;
  const bareHeaders = browser ? BROWSER_ENCODING : {};
  const sameLabel = `bare, app's ${appHeaders.length} headers`;
  const floorLabel = `front, app's ${appHeaders.length} headers, no app`;
  const extra = (label: string, i: number): Target => [label, bareUrl(i), bareHeaders, ownCpuUs];

  // The bare servers run in this process, which otherwise only waits for wrk.
  const targets: Target[] = [
    ["bare Deno.serve", bareUrl(0), bareHeaders, ownCpuUs],
    ...(sameHeaders ? [extra(sameLabel, 1)] : []),
    ...(frontFloor ? [extra(floorLabel, servers.length - 1)] : []),
    [appLabel, appUrl, auth, () => processCpuUs(app.pid)],
  ];
  for (const [, url, headers] of targets) await wrk(url, WARM_UP_SECONDS, headers);
  const runs: Record<string, WrkRun[]> = Object.fromEntries(targets.map(([t]) => [t, []]));
  const rows = [];
  for (let round = 1; round <= 3; round++) {
    for (const [target, url, headers, cpu] of targets) {
      const r = await measure(url, seconds, headers, cpu);
      runs[target].push(r);
      rows.push({
        round,
        target,
        "req/s": Math.round(r.rps),
        "p99 ms": r.p99Ms,
        "CPU µs/req": Number(r.cpuUs.toFixed(1)),
        ok: r.ok,
        failed: r.failed,
        "load average 1/5/15 min": r.load,
      });
    }
  }
  console.log(
    `wrk -t1 -c${connections}, ${seconds} s rounds, body ${body.byteLength} bytes, ` +
      `${navigator.hardwareConcurrency} cores, app ${
        noFront ? "without the header-deadline front (HEADER_TIMEOUT_MS=0)" : "as started"
      }${browser ? `, every request with ${BROWSER_ENCODING["Accept-Encoding"]}` : ""}`,
  );
  console.table(rows);
  const bareRps = median(runs["bare Deno.serve"].map((r) => r.rps));
  const appRps = median(runs[appLabel].map((r) => r.rps));
  console.log(
    `median of 3: bare ${Math.round(bareRps)} req/s, app ${Math.round(appRps)} req/s, ` +
      `app/bare = ${(appRps / bareRps).toFixed(4)}`,
  );
  const bareCpu = median(runs["bare Deno.serve"].map((r) => r.cpuUs));
  const appCpu = median(runs[appLabel].map((r) => r.cpuUs));
  console.log(
    `server CPU per request, median of 3: bare ${bareCpu.toFixed(1)} µs, app ${
      appCpu.toFixed(1)
    } µs, bare/app = ${(bareCpu / appCpu).toFixed(4)}`,
  );
  /** A reference target's median beside the bare server: the most the app's ratio could be. */
  const ceiling = (label: string, condition: string) => {
    const rps = median(runs[label].map((r) => r.rps));
    const cpu = median(runs[label].map((r) => r.cpuUs));
    console.log(
      `${label}: ${Math.round(rps)} req/s, ${cpu.toFixed(1)} µs per request; ` +
        `÷ bare Deno.serve = ${(rps / bareRps).toFixed(4)} (the most the app's ratio ` +
        `could be ${condition})`,
    );
  };
  if (frontFloor) {
    ceiling(floorLabel, "behind the front while it builds answers with these headers");
  }
  if (sameHeaders) ceiling(sameLabel, "while it sends these headers");
} finally {
  await bare.shutdown();
  await app.stop();
}
