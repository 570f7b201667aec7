/**
 * Operations end to end on the real app: the metrics endpoint (format, counts, admin only), the
 * scheduler (every registered job with its next run, run now recorded in job_runs, 404, 409),
 * and telemetry (accepted batches stored without a user, personal-looking fields refused, the
 * setting honoured, retention through the recorded job).
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { browserSignUp, type SignedIn, signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { parseExposition, sampleValue } from "./_prometheus.ts";
import { SseClient } from "./_sse.ts";
import { jobCatalogue } from "../jobs/catalogue.ts";

async function withApp(fn: (t: TestApp, admin: SignedIn, user: SignedIn) => Promise<void>) {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, {
    market: () => openReplayForTest(),
  });
  try {
    // The first account of a fresh database is the admin.
    const admin = await signUp(t.app);
    equal(admin.user.role, "admin");
    const user = await signUp(t.app);
    equal(user.user.role, "user");
    await fn(t, admin, user);
  } finally {
    await t.close();
  }
}

async function scrape(t: TestApp, headers: Record<string, string>) {
  const res = await t.app.request("/api/monitoring/metrics", { headers });
  return { res, text: await res.text() };
}

/** Polls until `check` holds (the run finishes in the background); fails after `ms`. */
async function until<T>(read: () => Promise<T>, check: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`still not there: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("metrics: Prometheus text that parses and counts requests by route; admins only", async () => {
  await withApp(async (t, admin, user) => {
    const anonymous = await scrape(t, {});
    equal(anonymous.res.status, 401);
    equal(JSON.parse(anonymous.text).error.code, "unauthorized");
    const normal = await scrape(t, user.bearer);
    equal(normal.res.status, 403);
    equal(JSON.parse(normal.text).error.code, "forbidden");

    const before = parseExposition((await scrape(t, admin.bearer)).text);
    const s = { t, bearer: user.bearer };
    for (let i = 0; i < 3; i++) {
      equal((await call(s, "GET", "/api/market/quotes?symbols=AAPL")).status, 200);
    }
    const orderId = crypto.randomUUID();
    equal((await call(s, "GET", `/api/orders/${orderId}`)).status, 404);

    const { res, text } = await scrape(t, admin.bearer);
    equal(res.status, 200);
    equal(res.headers.get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    const after = parseExposition(text);
    const delta = (name: string, labels: Record<string, string>) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    const quotes = { route: "/api/market/quotes", method: "GET", status: "2xx" };
    equal(delta("paiid_http_requests_total", quotes), 3);
    equal(delta("paiid_http_request_duration_seconds_count", quotes), 3);
    // The route pattern, not the id asked for.
    equal(delta("paiid_http_requests_total", { route: "/api/orders/:id", status: "4xx" }), 1);
    ok(!text.includes(orderId), "a raw path leaked into a label");
    // The scrape before was counted too (a scrape's own request counts once it has answered).
    equal(delta("paiid_http_requests_total", { route: "/api/monitoring/metrics" }), 1);
    // The first quote read went to the replay, the next ones were cache hits.
    ok(delta("paiid_cache_requests_total", { kind: "quote", result: "hit" }) >= 2);
    for (
      const family of [
        "paiid_build_info",
        "paiid_cache_requests_total",
        "paiid_upstream_requests_total",
        "paiid_stream_clients",
        "paiid_cron_runs_total",
        "paiid_orders_placed_total",
        "paiid_orders_refused_total",
        "paiid_analyst_tokens_total",
      ]
    ) ok(after.has(family), `${family} is missing`);
    equal(after.get("paiid_http_request_duration_seconds")?.type, "histogram");

    // An admin's API token is how a scraper signs in.
    const created = await call({ t, bearer: admin.bearer }, "POST", "/api/auth/tokens", {
      name: "prometheus",
    });
    equal(created.status, 201);
    const byToken = await scrape(t, { Authorization: `Bearer ${created.body.token}` });
    equal(byToken.res.status, 200);
    parseExposition(byToken.text);
  });
});

Deno.test("metrics count live stream clients while they are connected", async () => {
  await withApp(async (t, admin, user) => {
    const clients = async () =>
      sampleValue(parseExposition((await scrape(t, admin.bearer)).text), "paiid_stream_clients", {
        transport: "sse",
      });
    const before = await clients();
    const res = await t.app.request("/api/stream/quotes?symbols=AAPL", { headers: user.bearer });
    equal(res.status, 200);
    const sse = SseClient.fromResponse(res);
    await sse.until(() => sse.named("ready").length === 1);
    equal(await clients() - before, 1);
    sse.close();
    await until(clients, (n) => n === before);
  });
});

Deno.test("metrics count orders placed and refused by rule", async () => {
  await withApp(async (t, admin) => {
    const s = { t, bearer: admin.bearer };
    const value = async (name: string, labels: Record<string, string> = {}) =>
      sampleValue(parseExposition((await scrape(t, admin.bearer)).text), name, labels);
    const placed0 = await value("paiid_orders_placed_total");
    const refused0 = await value("paiid_orders_refused_total");
    const order = { symbol: "AAPL", side: "buy", type: "market", timeInForce: "day" };
    equal(
      (await call(s, "POST", "/api/orders", { ...order, qty: 1, clientOrderId: "m-1" })).status,
      201,
    );
    // Far past the default largest order (USD 25,000): refused by a rule, nothing placed.
    const refused = await call(s, "POST", "/api/orders", {
      ...order,
      qty: 5_000,
      clientOrderId: "m-2",
    });
    equal(refused.status, 422);
    equal(await value("paiid_orders_placed_total") - placed0, 1);
    equal(await value("paiid_orders_refused_total") - refused0, 1);
    equal(
      await value("paiid_orders_refused_total", { reason: refused.body.error.code }) >= 1,
      true,
    );
  });
});

Deno.test("scheduler: every registered job with its next run; run now is recorded", async () => {
  await withApp(async (t, admin, user) => {
    const asAdmin = { t, bearer: admin.bearer };
    const asUser = { t, bearer: user.bearer };
    const list = await call(asUser, "GET", "/api/scheduler");
    equal(list.status, 200);
    const names = jobCatalogue(t.services).map((j) => j.name);
    ok(names.length >= 11);
    deepEqual(list.body.jobs.map((j: { name: string }) => j.name), names);
    const now = Date.now();
    for (const job of list.body.jobs) {
      equal(job.timezone, "UTC");
      ok(Date.parse(job.nextRun) > now - 60_000, `${job.name}: ${job.nextRun}`);
      equal(job.lastRun, null);
      equal(job.running, false);
    }
    const purge = list.body.jobs.find((j: { name: string }) => j.name === "notification purge");
    equal(purge.id, "notification-purge");
    equal(purge.schedule, "17 4 * * *");
    match(purge.nextRun, /T04:17:00\.000Z$/);

    equal((await call({ t, bearer: {} }, "GET", "/api/scheduler")).status, 401);
    equal((await call(asUser, "POST", "/api/scheduler/notification-purge/run")).status, 403);
    const unknown = await call(asAdmin, "POST", "/api/scheduler/no-such-job/run");
    equal(unknown.status, 404);
    equal(unknown.body.error.code, "not_found");
    equal((await call(asAdmin, "GET", "/api/scheduler/no-such-job")).status, 404);
    equal((await call(asAdmin, "GET", "/api/scheduler/alerts?limit=0")).status, 400);

    const ran = await call(asAdmin, "POST", "/api/scheduler/notification-purge/run");
    equal(ran.status, 202);
    equal(ran.body.run.trigger, "manual");
    equal(ran.body.job.name, "notification purge");
    const detail = await until(
      () => call(asAdmin, "GET", "/api/scheduler/notification-purge"),
      (r) => r.body.runs[0]?.finishedAt !== null,
    );
    const [run] = detail.body.runs;
    equal(run.id, ran.body.run.id);
    equal(run.ok, true);
    ok(run.durationMs >= 0);
    const rows = await t.services.db.query<{ name: string; ok: boolean; trigger: string }>(
      "select name, ok, trigger from job_runs where id = $1",
      [run.id],
    );
    deepEqual(rows, [{ name: "notification purge", ok: true, trigger: "manual" }]);

    // The list now shows it as the last run.
    const again = await call(asUser, "GET", "/api/scheduler");
    const shown = again.body.jobs.find((j: { name: string }) => j.name === "notification purge");
    equal(shown.lastRun.id, run.id);

    // A run in progress (here or on another instance): 409, and nothing new is started.
    await t.services.db.query(
      "insert into job_runs (name, instance) values ('ops retention', 'elsewhere:1')",
    );
    const busy = await call(asAdmin, "POST", "/api/scheduler/ops%20retention/run");
    equal(busy.status, 409);
    equal(busy.body.error.code, "conflict");
    const retention = await call(asAdmin, "GET", "/api/scheduler/ops-retention");
    equal(retention.body.job.running, true);
    equal(retention.body.runs.length, 1);
  });
});

Deno.test("scheduler: a failed run's error is shown to admins, not to other users", async () => {
  await withApp(async (t, admin, user) => {
    await t.services.db.query(
      `insert into job_runs (name, instance, finished_at, duration_ms, ok, error)
       values ('alerts', 'host:1', now(), 5, false, 'alerts failed: internal detail')`,
    );
    const forAdmin = await call({ t, bearer: admin.bearer }, "GET", "/api/scheduler/alerts");
    equal(forAdmin.body.runs[0].error, "alerts failed: internal detail");
    equal(forAdmin.body.runs[0].instance, "host:1");
    const forUser = await call({ t, bearer: user.bearer }, "GET", "/api/scheduler/alerts");
    equal(forUser.body.runs[0].ok, false);
    equal(forUser.body.runs[0].error, null);
    equal(forUser.body.runs[0].instance, "");
  });
});

const batch = {
  events: [
    { name: "stage_opened", page: "risk" },
    { name: "command_used", command: "symbol", page: "hub" },
    { name: "client_error", message: "Cannot read properties of undefined", page: "execute" },
  ],
};

Deno.test("telemetry: dropped while the setting is off, stored without a user when on", async () => {
  await withApp(async (t, _admin, user) => {
    const s = { t, bearer: user.bearer };
    const stored = () =>
      t.services.db.query("select name, page, command, message from telemetry_events order by id");
    // Off by default: the server drops what an old tab might still send.
    const off = await call(s, "POST", "/api/telemetry", batch);
    equal(off.status, 202);
    deepEqual(off.body, { stored: 0, dropped: 3 });
    deepEqual(await stored(), []);

    equal(
      (await call(s, "PATCH", "/api/settings", { telemetry: true })).body.settings.telemetry,
      true,
    );
    const on = await call(s, "POST", "/api/telemetry", batch);
    equal(on.status, 202);
    deepEqual(on.body, { stored: 3, dropped: 0 });
    deepEqual(await stored(), [
      { name: "stage_opened", page: "risk", command: null, message: null },
      { name: "command_used", page: "hub", command: "symbol", message: null },
      {
        name: "client_error",
        page: "execute",
        command: null,
        message: "Cannot read properties of undefined",
      },
    ]);
    // Nothing in the table can name anyone.
    const columns = await t.services.db.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = 'telemetry_events'
        order by ordinal_position`,
    );
    deepEqual(columns.map((c) => c.column_name), [
      "id",
      "received_at",
      "name",
      "page",
      "command",
      "message",
    ]);

    equal((await call(s, "PATCH", "/api/settings", { telemetry: false })).status, 200);
    deepEqual((await call(s, "POST", "/api/telemetry", batch)).body, { stored: 0, dropped: 3 });
    equal((await stored()).length, 3);
    equal((await call({ t, bearer: {} }, "POST", "/api/telemetry", batch)).status, 401);
  });
});

Deno.test("telemetry: personal-looking or unknown fields are refused with 400", async () => {
  await withApp(async (t, _admin, user) => {
    const s = { t, bearer: user.bearer };
    await call(s, "PATCH", "/api/settings", { telemetry: true });
    const refused = [
      { events: [{ name: "stage_opened", page: "risk", userId: 7 }] },
      { events: [{ name: "stage_opened", page: "risk", email: "a@b.c" }] },
      { events: [{ name: "command_used", command: "symbol", symbol: "AAPL" }] },
      { events: [{ name: "client_error", message: "failed for jo@example.com" }] },
      { events: [{ name: "client_error", message: "order 123456 failed" }] },
      // Digits of other scripts are digits too; NUL (Postgres cannot store it) was a 500.
      { events: [{ name: "client_error", message: "order \u0661\u0662\u0663 failed" }] },
      { events: [{ name: "client_error", message: "bad\u0000byte" }] },
      { events: [{ name: "client_error", message: "see https://x.test/?u=1" }] },
      { events: [{ name: "client_error", message: "x".repeat(201) }] },
      { events: [{ name: "stage_opened", page: "/symbol/AAPL" }] },
      { events: [{ name: "page_viewed", page: "risk" }] },
      { events: [] },
      { events: Array.from({ length: 51 }, () => ({ name: "stage_opened", page: "risk" })) },
      { events: [{ name: "stage_opened", page: "risk" }], session: "abc" },
    ];
    for (const body of refused) {
      const res = await call(s, "POST", "/api/telemetry", body);
      equal(res.status, 400, JSON.stringify(body).slice(0, 120));
      ok(res.body.error.code, "an error body");
    }
    equal((await call(s, "POST", "/api/telemetry", "{not json")).status, 400);
    deepEqual(await t.services.db.query("select id from telemetry_events"), []);
  });
});

Deno.test("telemetry retention: the recorded job deletes rows older than 30 days", async () => {
  await withApp(async (t, admin) => {
    await t.services.db.query(
      `insert into telemetry_events (name, page, received_at) values
         ('stage_opened', 'news', now() - interval '45 days'),
         ('stage_opened', 'news', now() - interval '31 days'),
         ('stage_opened', 'risk', now() - interval '2 days')`,
    );
    const s = { t, bearer: admin.bearer };
    const ran = await call(s, "POST", "/api/scheduler/ops-retention/run");
    equal(ran.status, 202);
    await until(
      () => call(s, "GET", "/api/scheduler/ops-retention"),
      (r) => r.body.runs[0]?.finishedAt !== null,
    );
    deepEqual(await t.services.db.query("select page from telemetry_events"), [{ page: "risk" }]);
  });
});

Deno.test("telemetry on pages: the server records views, stage pages load the sender", async () => {
  await withApp(async (t) => {
    const browser = await browserSignUp(t.app);
    const page = async (path: string) =>
      await (await t.app.request(path, { headers: browser.headers() })).text();
    const views = () =>
      t.services.db.query<{ page: string }>(
        "select page from telemetry_events where name = 'stage_opened' order by id",
      );
    // Off: nothing recorded, no sender.
    ok(!(await page("/risk")).includes('"Telemetry"'), "telemetry loaded while off");
    await page("/");
    deepEqual(await views(), []);

    const res = await t.app.request("/api/settings", {
      method: "PATCH",
      headers: {
        ...browser.headers(),
        "Content-Type": "application/json",
        "X-CSRF-Token": browser.csrf,
      },
      body: JSON.stringify({ telemetry: true }),
    });
    equal(res.status, 200);
    const hub = await page("/");
    const risk = await page("/risk");
    await page("/symbol/AAPL");
    // A 404 is no page view.
    await page("/no-such-page");
    deepEqual((await views()).map((v) => v.page), ["hub", "risk", "symbol"]);
    // The hub stays within its first-load budget: no telemetry code there at all.
    const hubModules = JSON.parse(hub.match(/id="__paiid_islands">(.*?)<\/script>/)![1]).modules;
    ok(!("Telemetry" in hubModules), "the hub loads telemetry");
    // A stage page loads only the loader first; the sender, which alone knows the API's
    // address, comes later with a dynamic import.
    const riskModules = JSON.parse(risk.match(/id="__paiid_islands">(.*?)<\/script>/)![1]).modules;
    ok("Telemetry" in riskModules, "the stage page has no telemetry loader");
    const { code } = await firstLoad(t, risk);
    ok(!code.includes("/api/telemetry"), "the sender is in the first-load JavaScript");
  });
});

/** The page's scripts and every module they import statically: their code. */
async function firstLoad(t: TestApp, html: string): Promise<{ code: string }> {
  const queue = [...html.matchAll(/(?:src|href)="(\/_paiid\/js\/[^"]+\.js)"/g)].map((m) => m[1]);
  const seen = new Set<string>();
  let code = "";
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const js = await (await t.app.request(url)).text();
    code += js;
    for (const m of js.matchAll(/(?:from|import)\s*"(\.\/[^"]+\.js)"/g)) {
      queue.push(new URL(m[1], `http://x${url}`).pathname);
    }
  }
  return { code };
}

Deno.test("the admin page: metrics, jobs with Run now, telemetry; 403 for others", async () => {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, {
    market: () => openReplayForTest(),
  });
  try {
    const admin = await browserSignUp(t.app);
    const other = await browserSignUp(t.app);
    const page = await t.app.request("/admin", { headers: admin.headers() });
    equal(page.status, 200);
    const html = await page.text();
    for (const job of jobCatalogue(t.services)) ok(html.includes(job.name), job.name);
    match(html, /data-testid="ops-routes"/);
    match(html, /data-testid="ops-cache"/);
    const settings = await (await t.app.request("/settings", { headers: admin.headers() })).text();
    match(settings, /href="\/admin"/);

    const denied = await t.app.request("/admin", { headers: other.headers() });
    equal(denied.status, 403);
    ok(!(await denied.text()).includes("notification purge"));
    const otherSettings = await (await t.app.request("/settings", { headers: other.headers() }))
      .text();
    ok(!otherSettings.includes('href="/admin"'));

    const form = (who: typeof admin, job: string) =>
      t.app.request("/admin", {
        method: "POST",
        headers: {
          ...who.headers(),
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: "http://localhost",
        },
        body: new URLSearchParams({ _csrf: who.csrf, job }),
      });
    equal((await form(other, "notification-purge")).status, 403);
    const ran = await form(admin, "notification-purge");
    equal(ran.status, 303);
    equal(ran.headers.get("Location"), "/admin?ran=notification-purge");
    await until(
      () => t.services.db.query<{ ok: boolean | null }>("select ok from job_runs"),
      (rows) => rows.length === 1 && rows[0].ok === true,
    );
    equal((await form(admin, "nope")).status, 404);
  } finally {
    await t.close();
  }
});
