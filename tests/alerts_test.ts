/**
 * Price alerts over the real app: the API, the engine on the stream hub, notifications stored
 * and delivered on the page's stream, once per crossing, once across two instances, and the
 * crossing state kept across a restart. Prices are set by hand (ScriptedMarketData, labelled
 * replay) so each crossing is the test's own.
 */
import assert from "node:assert/strict";
import { openPeerApp, openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { SseClient } from "./_sse.ts";
import { ScriptedMarketData } from "../lib/market/testing.ts";
import { AlertEngine } from "../lib/alerts/engine.ts";
import type { Database } from "../lib/db/database.ts";

interface Ctx {
  t: TestApp;
  market: ScriptedMarketData;
  bearer: Record<string, string>;
}

async function withApp(fn: (s: Ctx) => Promise<void>) {
  const market = new ScriptedMarketData();
  market.setQuote("AAPL", { last: 100, prevClose: 100 });
  market.setQuote("MSFT", { last: 200, prevClose: 200 });
  const t = await openTestApp({}, { market: () => market, alerts: true });
  try {
    const me = await signUp(t.app);
    await fn({ t, market, bearer: me.bearer });
  } finally {
    await t.close();
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!await check()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function alertNotifications(s: Ctx): Promise<{ title: string; body: string }[]> {
  const res = await call(s, "GET", "/api/notifications");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.notifications.filter((n: { kind: string }) => n.kind === "alert");
}

/** Alert notifications stored, read from the database (polling the API would hit its rate limit). */
async function storedAlerts(t: TestApp): Promise<number> {
  const [row] = await t.services.db.query<{ n: number }>(
    "select count(*) as n from notifications where kind = 'alert'",
  );
  return Number(row.n);
}

/** Waits until the engine follows the symbol, so set quotes reach it. */
async function following(t: TestApp, symbol: string) {
  await waitFor(() => t.services.alerts.symbols.includes(symbol));
}

Deno.test("alerts API: create, read, pause, delete, and clear refusals", async () => {
  await withApp(async (s) => {
    const created = await call(s, "POST", "/api/alerts", {
      symbol: "aapl",
      condition: "price_above",
      threshold: 105,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { alert, now } = created.body;
    assert.equal(alert.symbol, "AAPL");
    assert.equal(alert.armed, true);
    assert.equal(alert.rearm, "margin");
    assert.match(alert.description, /AAPL at or above 105 USD/);
    assert.deepEqual(now, { value: 100, alreadyMet: false, source: "replay" });

    const down = await call(s, "POST", "/api/alerts", {
      symbol: "MSFT",
      condition: "change_below",
      threshold: 3,
      rearm: "session",
    });
    assert.equal(down.status, 201);
    assert.equal(down.body.alert.threshold, -3, "a fall is a negative move");

    const rsi = await call(s, "POST", "/api/alerts", {
      symbol: "MSFT",
      condition: "rsi_below",
      threshold: 30,
    });
    assert.equal(rsi.body.alert.period, 14, "RSI defaults to 14 days");

    for (
      const [body, status, code] of [
        [{ symbol: "AAPL", condition: "price_sideways", threshold: 1 }, 400, "validation_failed"],
        [{ symbol: "AAPL", condition: "price_above", threshold: -1 }, 400, "validation_failed"],
        [{ symbol: "AAPL", condition: "rsi_above", threshold: 120 }, 400, "validation_failed"],
        [
          { symbol: "AAPL", condition: "price_above", threshold: 1, period: 5 },
          400,
          "validation_failed",
        ],
        [
          { symbol: "AAPL", condition: "price_above", threshold: 1, extra: 1 },
          400,
          "validation_failed",
        ],
        [
          {
            symbol: "AAPL",
            condition: "price_above",
            threshold: 1,
            expiresAt: "2001-01-01T00:00:00Z",
          },
          400,
          "validation_failed",
        ],
        [{ symbol: "ZZZZQ", condition: "price_above", threshold: 1 }, 422, "unknown_symbols"],
      ] as const
    ) {
      const res = await call(s, "POST", "/api/alerts", body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.error.code, code, JSON.stringify(res.body));
    }

    const paused = await call(s, "PATCH", `/api/alerts/${alert.id}`, { status: "paused" });
    assert.equal(paused.body.alert.status, "paused");
    const listed = await call(s, "GET", "/api/alerts");
    assert.equal(listed.body.alerts.length, 3);
    assert.equal((await call(s, "DELETE", `/api/alerts/${alert.id}`)).status, 204);
    assert.equal((await call(s, "GET", `/api/alerts/${alert.id}`)).status, 404);
    assert.equal((await call(s, "GET", "/api/alerts/abc")).status, 404);
  });
});

Deno.test("another user's alerts and notifications are not there for you", async () => {
  await withApp(async (s) => {
    const mine = await call(s, "POST", "/api/alerts", {
      symbol: "AAPL",
      condition: "price_above",
      threshold: 101,
    });
    await following(s.t, "AAPL");
    s.market.setQuote("AAPL", { last: 102 });
    await waitFor(async () => await storedAlerts(s.t) === 1);

    const other = { t: s.t, bearer: (await signUp(s.t.app)).bearer };
    const id = mine.body.alert.id;
    assert.equal((await call(other, "GET", `/api/alerts/${id}`)).status, 404);
    assert.equal((await call(other, "PATCH", `/api/alerts/${id}`, { threshold: 1 })).status, 404);
    assert.equal((await call(other, "DELETE", `/api/alerts/${id}`)).status, 404);
    assert.deepEqual((await call(other, "GET", "/api/alerts")).body.alerts, []);
    const theirs = await call(other, "GET", "/api/notifications");
    assert.deepEqual(theirs.body, { notifications: [], unread: 0 });
    const [n] = (await call(s, "GET", "/api/notifications")).body.notifications;
    assert.equal((await call(other, "POST", `/api/notifications/${n.id}/read`)).status, 404);
    assert.equal(
      (await call(other, "POST", "/api/notifications/read", { ids: [n.id] })).body.marked,
      0,
    );
    assert.equal((await call(s, "GET", "/api/notifications/unread-count")).body.unread, 1);
  });
});

Deno.test("an alert fires once per crossing under a burst of quotes, and re-arms past the margin", async () => {
  await withApp(async (s) => {
    const res = await call(s, "POST", "/api/alerts", {
      symbol: "AAPL",
      condition: "price_above",
      threshold: 110,
      rearmMargin: 1, // back below 108.90 re-arms
    });
    const id = res.body.alert.id;
    await following(s.t, "AAPL");
    const sse = SseClient.fromResponse(
      await s.t.app.request("/api/stream/quotes?notifications=1", { headers: s.bearer }),
    );
    try {
      await sse.until(() => sse.named("unread").length === 1);
      assert.deepEqual(sse.named("unread"), [{
        unread: 0,
        toastKinds: ["alert", "order", "proposal", "halt"],
      }]);

      // A burst hovering around the level, never back below the margin: one firing.
      for (let i = 0; i < 200; i++) s.market.setQuote("AAPL", { last: 109.5 + (i % 7) * 0.25 });
      await s.t.services.alerts.settled();
      await sse.until(() => sse.named("notification").length >= 1);
      let fired = await alertNotifications(s);
      assert.equal(fired.length, 1);
      assert.match(fired[0].title, /AAPL at or above 110 USD/);
      assert.match(fired[0].body, /replayed prices/, "replayed prices say so");
      const [delivered] = sse.named("notification");
      assert.equal(delivered.unread, 1);
      assert.equal(delivered.notification.link, "/symbol/AAPL");

      // Back past the margin, then up again: the second crossing fires once more.
      s.market.setQuote("AAPL", { last: 108 });
      s.market.setQuote("AAPL", { last: 111 });
      s.market.setQuote("AAPL", { last: 112 });
      await s.t.services.alerts.settled();
      await waitFor(async () => await storedAlerts(s.t) === 2);
      const alert = (await call(s, "GET", `/api/alerts/${id}`)).body.alert;
      assert.equal(alert.firedCount, 2);
      assert.equal(alert.armed, false);
      assert.equal(alert.lastFiredValue, 111);
      await sse.until(() => sse.named("notification").length === 2);

      const read = await call(s, "POST", "/api/notifications/read", {});
      assert.deepEqual(read.body, { marked: 2, unread: 0 });
      fired = await alertNotifications(s);
      assert.equal(fired.length, 2);
    } finally {
      sse.close();
    }
  });
});

Deno.test("with two instances an alert fires exactly once", async () => {
  await withApp(async (s) => {
    const peer = await openPeerApp(s.t, { alerts: true, market: () => s.market });
    try {
      // Created on one instance; the other learns of it through the KV epoch.
      await call(s, "POST", "/api/alerts", {
        symbol: "MSFT",
        condition: "price_below",
        threshold: 190,
      });
      await following(s.t, "MSFT");
      await following(peer, "MSFT");
      for (const last of [195, 189, 188, 189.5, 187]) s.market.setQuote("MSFT", { last });
      await Promise.all([s.t.services.alerts.settled(), peer.services.alerts.settled()]);
      await waitFor(async () => await storedAlerts(s.t) >= 1);
      assert.equal((await alertNotifications(s)).length, 1);
      assert.equal(s.t.services.alerts.fired + peer.services.alerts.fired, 1);
    } finally {
      await peer.close();
    }
  });
});

Deno.test("a restart keeps the crossing state: no second firing while the price stays past the level", async () => {
  await withApp(async (s) => {
    await call(s, "POST", "/api/alerts", {
      symbol: "AAPL",
      condition: "price_above",
      threshold: 105,
    });
    await following(s.t, "AAPL");
    s.market.setQuote("AAPL", { last: 106 });
    await waitFor(async () => await storedAlerts(s.t) === 1);
    await s.t.services.alerts.close();

    // The instance comes back: a new engine on the same database, KV and stream hub.
    const { db, kv, market, streams } = s.t.services;
    const engine = new AlertEngine({ db, kv, market, streams });
    try {
      await engine.start();
      assert.deepEqual(engine.symbols, ["AAPL"]);
      s.market.setQuote("AAPL", { last: 107 });
      // The minute job too: it reads the same state.
      assert.deepEqual(await engine.evaluateAll(), { fired: 0, rearmed: 0, lost: 0 });
      await engine.settled();
      assert.equal((await alertNotifications(s)).length, 1);
      s.market.setQuote("AAPL", { last: 100 });
      s.market.setQuote("AAPL", { last: 105.5 });
      await engine.settled();
      await waitFor(async () => await storedAlerts(s.t) === 2);
    } finally {
      await engine.close();
    }
  });
});

Deno.test("a reload that read the alerts before a firing committed does not undo the firing", async () => {
  await withApp(async (s) => {
    await call(s, "POST", "/api/alerts", {
      symbol: "AAPL",
      condition: "price_above",
      threshold: 110,
      rearmMargin: 1,
    });
    await s.t.services.alerts.close();

    // An engine whose next read of the active alerts answers only when the test says: the read
    // runs at once (before the firing below), its answer arrives after the firing committed.
    const { db, kv, market, streams } = s.t.services;
    const read = Promise.withResolvers<void>();
    const release = Promise.withResolvers<void>();
    let holding = false;
    const gated: Database = {
      kind: db.kind,
      query: async <T>(sql: string, params?: unknown[]) => {
        const rows = await db.query<T>(sql, params);
        if (holding && /from price_alerts\s+where status = 'active'/.test(sql)) {
          holding = false;
          read.resolve();
          await release.promise;
        }
        return rows;
      },
      exec: (sql) => db.exec(sql),
      transaction: (fn) => db.transaction(fn),
      ping: () => db.ping(),
      close: () => db.close(),
    };
    const engine = new AlertEngine({ db: gated, kv, market, streams });
    try {
      await engine.start();
      holding = true;
      const reloading = engine.reload();
      await read.promise;
      s.market.setQuote("AAPL", { last: 111 });
      await waitFor(() => engine.stats().fired === 1);
      release.resolve();
      await reloading;

      // Back past the margin and up again: a second crossing, which the stale read must not hide.
      const judged = engine.stats().judged;
      s.market.setQuote("AAPL", { last: 108 });
      s.market.setQuote("AAPL", { last: 111.5 });
      await waitFor(() => engine.stats().judged === judged + 2);
      await engine.settled();
      const [row] = await db.query<{ fired_count: number }>("select fired_count from price_alerts");
      assert.equal(row.fired_count, 2);
      assert.deepEqual(
        { fired: engine.stats().fired, lost: engine.stats().lost },
        { fired: 2, lost: 0 },
      );
    } finally {
      release.resolve();
      await engine.close();
    }
  });
});

Deno.test("the minute job decides bar conditions (RSI, SMA) from completed daily bars", async () => {
  await withApp(async (s) => {
    // A replayed day inside the shipped history, so there are bars before it.
    s.market.setState("open", "2020-03-02");
    s.market.setQuote("AAPL", { last: 75 });
    // Whatever the replayed RSI is, one of these two holds and the other does not.
    const above = await call(s, "POST", "/api/alerts", {
      symbol: "AAPL",
      condition: "rsi_above",
      threshold: 1,
    });
    const below = await call(s, "POST", "/api/alerts", {
      symbol: "AAPL",
      condition: "rsi_below",
      threshold: 1,
    });
    const sma = await call(s, "POST", "/api/alerts", {
      symbol: "AAPL",
      condition: "price_above_sma",
      threshold: 0,
      period: 50,
    });
    assert.equal(sma.body.alert.period, 50);
    // 100 USD against AAPL's shipped history: whichever side it is on is the test's answer.
    const report = await s.t.services.alerts.evaluateAll();
    const alerts = (await call(s, "GET", "/api/alerts")).body.alerts;
    const byId = new Map(alerts.map((a: { id: number }) => [a.id, a]));
    // deno-lint-ignore no-explicit-any
    const firedOf = (id: number) => (byId.get(id) as any).firedCount;
    assert.equal(firedOf(above.body.alert.id), 1, "RSI is above 1 on any real series");
    assert.equal(firedOf(below.body.alert.id), 0);
    assert.equal(report.fired, 1 + firedOf(sma.body.alert.id));
  });
});
