/**
 * The kill switch end to end: a halted account's orders are refused with 423 and say why,
 * closing stays possible, open orders can be canceled with the halt, an admin can halt every
 * account, each change is audited, and every instance follows a halt within a second.
 */
import assert from "node:assert/strict";
import { openPeerApp, openTestApp, type TestApp } from "./_harness.ts";
import { browserSignUp, csrfFromHtml, type SignedIn, signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { listAudit } from "../lib/audit.ts";

const order = (extra: Record<string, unknown> = {}) => ({
  symbol: "AAPL",
  side: "buy",
  type: "market",
  timeInForce: "day",
  qty: 1,
  clientOrderId: crypto.randomUUID(),
  ...extra,
});

async function withApp(fn: (t: TestApp, admin: SignedIn, trader: SignedIn) => Promise<void>) {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, {
    market: () => openReplayForTest(),
  });
  try {
    // The first account of a fresh database is the admin.
    const admin = await signUp(t.app);
    assert.equal(admin.user.role, "admin");
    const trader = await signUp(t.app);
    for (const who of [admin, trader]) {
      const res = await call({ t, bearer: who.bearer }, "PATCH", "/api/settings", {
        maxPositionPercent: 100,
        maxOrderValue: 1_000_000,
      });
      assert.equal(res.status, 200);
    }
    await fn(t, admin, trader);
  } finally {
    await t.close();
  }
}

Deno.test("a halted account's orders are refused with 423; closing stays possible; resume", async () => {
  await withApp(async (t, _admin, trader) => {
    const s = { t, bearer: trader.bearer };
    assert.equal((await call(s, "POST", "/api/orders", order({ qty: 5 }))).status, 201);

    const halted = await call(s, "POST", "/api/trading/halt", { reason: "stepping away" });
    assert.equal(halted.status, 200);
    assert.equal(halted.body.changed, true);
    assert.equal(halted.body.halt.scope, "account");
    assert.equal(halted.body.halt.reason, "stepping away");
    assert.deepEqual((await call(s, "GET", "/api/trading/halt")).body.halted, true);

    const refused = await call(s, "POST", "/api/orders", order());
    assert.equal(refused.status, 423);
    assert.equal(refused.body.error.code, "trading_halted");
    assert.match(refused.body.error.message, /stepping away/);

    const close = await call(s, "DELETE", "/api/positions/AAPL?qty=2", undefined, {
      "Idempotency-Key": crypto.randomUUID(),
    });
    assert.equal(close.status, 201, JSON.stringify(close.body));

    const again = await call(s, "POST", "/api/trading/halt", { reason: "second" });
    assert.equal(again.body.changed, false, "halting twice keeps the first halt");
    assert.equal(again.body.halt.reason, "stepping away");

    const resumed = await call(s, "POST", "/api/trading/resume", {});
    assert.deepEqual([resumed.status, resumed.body.resumed, resumed.body.halted], [
      200,
      true,
      false,
    ]);
    assert.equal((await call(s, "POST", "/api/orders", order())).status, 201);

    const audit = await listAudit(t.services.db, trader.user.id);
    assert.deepEqual(audit.map((e) => e.action), ["trading.resume", "trading.halt"]);
    assert.equal(audit[1].actorId, trader.user.id);
  });
});

Deno.test("halting can cancel the open orders; replacing one is refused while halted", async () => {
  await withApp(async (t, _admin, trader) => {
    const s = { t, bearer: trader.bearer };
    const resting = await call(s, "POST", "/api/orders", order({ type: "limit", limitPrice: 1 }));
    assert.equal(resting.status, 201, JSON.stringify(resting.body));
    const second = await call(s, "POST", "/api/orders", order({ type: "limit", limitPrice: 2 }));
    assert.equal(second.status, 201);
    await call(s, "POST", "/api/trading/halt", {});
    const replace = await call(s, "PATCH", `/api/orders/${second.body.order.id}`, { qty: 2 });
    assert.equal(replace.status, 423);
    await call(s, "POST", "/api/trading/resume", {});
    const halted = await call(s, "POST", "/api/trading/halt", { cancelOpenOrders: true });
    assert.equal(halted.body.canceled, 2);
    const open = await call(s, "GET", "/api/orders?status=open");
    assert.equal(open.status, 200);
    assert.equal(open.body.orders.length, 0);
  });
});

Deno.test("an admin halts every account; only an admin may, and only an admin resumes it", async () => {
  await withApp(async (t, admin, trader) => {
    const a = { t, bearer: admin.bearer };
    const s = { t, bearer: trader.bearer };
    const denied = await call(s, "POST", "/api/trading/halt", { everyone: true });
    assert.equal(denied.status, 403);
    assert.equal(
      (await call(a, "POST", "/api/trading/halt", { everyone: true, reason: "drill" }))
        .body.halt.scope,
      "everyone",
    );
    const refused = await call(s, "POST", "/api/orders", order());
    assert.equal(refused.status, 423);
    assert.match(refused.body.error.message, /every account.*drill/);
    assert.equal((await call(s, "POST", "/api/trading/resume", { everyone: true })).status, 403);
    const own = await call(s, "POST", "/api/trading/resume", {});
    assert.deepEqual([own.body.resumed, own.body.halted], [false, true]);
    assert.equal(
      (await call(a, "POST", "/api/trading/resume", { everyone: true })).body.resumed,
      true,
    );
    assert.equal((await call(s, "POST", "/api/orders", order())).status, 201);
  });
});

Deno.test("bad halt requests get a 400 with the field named", async () => {
  await withApp(async (t, _admin, trader) => {
    const s = { t, bearer: trader.bearer };
    const long = await call(s, "POST", "/api/trading/halt", { reason: "x".repeat(301) });
    assert.equal(long.status, 400);
    assert.match(JSON.stringify(long.body.error), /reason/);
    assert.equal((await call(s, "POST", "/api/trading/halt", { nope: 1 })).status, 400);
    assert.equal((await call(s, "POST", "/api/trading/resume", "{")).status, 400);
  });
});

Deno.test("a halt set on instance A refuses orders on instance B within a second", async () => {
  await withApp(async (a, _admin, trader) => {
    const b = await openPeerApp(a);
    try {
      const onB = { t: b, bearer: trader.bearer };
      // B has read the (empty) halt list and trusts its memory.
      assert.equal((await call(onB, "GET", "/api/trading/halt")).body.halted, false);
      await call({ t: a, bearer: trader.bearer }, "POST", "/api/trading/halt", {});
      const started = performance.now();
      let status = 0;
      while (performance.now() - started < 1_000) {
        status = (await call(onB, "GET", "/api/trading/halt")).body.halted ? 423 : 0;
        if (status === 423) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const ms = performance.now() - started;
      assert.equal(status, 423, `instance B still let the account trade ${ms.toFixed(0)} ms later`);
      assert.equal((await call(onB, "POST", "/api/orders", order())).status, 423);
    } finally {
      await b.close();
    }
  });
});

Deno.test("the dashboard's halt button works without scripts, and every page shows the banner", async () => {
  await withApp(async (t) => {
    const browser = await browserSignUp(t.app);
    const home = await t.app.request("/", { headers: browser.headers() });
    const html = await home.text();
    assert.match(html, /data-testid="halt-form"/);
    assert.doesNotMatch(html, /halt-banner/);
    const post = (body: Record<string, string>) =>
      t.app.request("/trading/halt", {
        method: "POST",
        headers: {
          ...browser.headers(),
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: "http://localhost",
        },
        body: new URLSearchParams(body),
      });
    const forged = await post({ action: "halt" });
    assert.equal(forged.status, 403, "no CSRF token, no halt");
    await forged.body?.cancel();
    const halted = await post({ _csrf: csrfFromHtml(html), action: "halt", next: "/execute" });
    assert.equal(halted.status, 303);
    assert.equal(halted.headers.get("Location"), "/execute");
    for (const path of ["/", "/execute", "/symbol/AAPL"]) {
      const page = await (await t.app.request(path, { headers: browser.headers() })).text();
      assert.match(page, /data-testid="halt-banner"/, path);
      assert.match(page, /Trading halted/, path);
      assert.match(page, /data-testid="resume-form"/, path);
    }
    const resumed = await post({ _csrf: browser.csrf, action: "resume" });
    assert.equal(resumed.status, 303);
    const after = await (await t.app.request("/", { headers: browser.headers() })).text();
    assert.doesNotMatch(after, /halt-banner/);
  });
});
