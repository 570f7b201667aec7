/**
 * `/api/screening` over the real replay: presets and custom scans read the shipped stocks on the
 * last day completed before the replayed one, bad requests are 4xx with the error shape, and
 * saved scans belong to their owner only.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { runScan } from "../lib/scanner/engine.ts";
import { presetById } from "../lib/scanner/presets.ts";
import { replayUniverse } from "../lib/scanner/universe.ts";

async function withApp(fn: (t: TestApp) => Promise<void>) {
  // The replay opens on 2020-03-18, so the scan day is 2020-03-17, in the March 2020 sell-off.
  const t = await openTestApp({}, { market: () => openReplayForTest({ start: "2020-03-16" }) });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

Deno.test("a preset scans the shipped stocks on the day before the replayed one", async () => {
  await withApp(async (t) => {
    const s = { t, bearer: (await signUp(t.app)).bearer };
    const quote = (await call(s, "GET", "/api/market/quote/AAPL")).body;
    assert.equal(quote.replayDate, "2020-03-18");
    const res = await call(s, "POST", "/api/screening/run", { preset: "oversold" });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.asOf, "2020-03-17");
    assert.equal(res.body.source, "replay");
    assert.equal(res.body.prices, "replay");
    assert.equal(res.body.scanned, 107);
    const expected = runScan(await replayUniverse(), "2020-03-17", presetById("oversold")!.spec);
    assert.ok(expected.hits.length > 0);
    assert.deepEqual(res.body.hits, expected.hits);
    for (const hit of res.body.hits) {
      assert.ok(hit.values["RSI(14)"] < 30);
      assert.match(hit.reasons[0], /^RSI\(14\) [\d.]+ < 30$/);
    }
  });
});

Deno.test("a custom scan with a sector filter and a price floor", async () => {
  await withApp(async (t) => {
    const s = { t, bearer: (await signUp(t.app)).bearer };
    const body = {
      conditions: [{
        left: { indicator: "close" },
        op: "<",
        right: { indicator: "sma", period: 50 },
      }],
      sector: "Information Technology",
      minPrice: 100,
      sort: { by: { indicator: "return", period: 5 }, direction: "asc" },
      limit: 5,
    };
    const res = await call(s, "POST", "/api/screening/run", body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.hits.length > 0 && res.body.hits.length <= 5);
    for (const h of res.body.hits) {
      assert.equal(h.sector, "Information Technology");
      assert.ok(h.close >= 100);
      assert.ok(h.values.Close < h.values["SMA(50)"]);
    }
    const returns = res.body.hits.map((h: { values: Record<string, number> }) =>
      h.values["5-day return"]
    );
    assert.deepEqual(returns, [...returns].sort((a, b) => a - b));
  });
});

Deno.test("bad scans are 4xx with the error shape", async () => {
  await withApp(async (t) => {
    const s = { t, bearer: (await signUp(t.app)).bearer };
    const bad: [unknown, number, string][] = [
      [{ preset: "nope" }, 400, "unknown_preset"],
      [{ conditions: [] }, 400, ""],
      [{ conditions: [{ left: { indicator: "magic" }, op: ">", right: { value: 1 } }] }, 400, ""],
      [
        { conditions: [{ left: { indicator: "rsi", period: 0 }, op: ">", right: { value: 1 } }] },
        400,
        "",
      ],
      [{ conditions: [{ left: { indicator: "rsi" }, op: "==", right: { value: 1 } }] }, 400, ""],
      [{ preset: "oversold", limit: 100000 }, 400, ""],
      ["{not json", 400, ""],
    ];
    for (const [body, status, code] of bad) {
      const res = await call(s, "POST", "/api/screening/run", body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.ok(res.body.error?.code && res.body.error.message, JSON.stringify(res.body));
      if (code) assert.equal(res.body.error.code, code);
    }
    const anon = await t.app.request("/api/screening/presets");
    assert.equal(anon.status, 401);
  });
});

Deno.test("presets list every preset with its spec and the sectors", async () => {
  await withApp(async (t) => {
    const s = { t, bearer: (await signUp(t.app)).bearer };
    const res = await call(s, "GET", "/api/screening/presets");
    assert.equal(res.status, 200);
    const ids = res.body.presets.map((p: { id: string }) => p.id);
    for (const id of ["momentum", "breakout_20", "oversold", "reversal", "golden_cross"]) {
      assert.ok(ids.includes(id), id);
    }
    assert.ok(res.body.sectors.includes("Information Technology"));
  });
});

Deno.test("saved scans belong to their owner", async () => {
  await withApp(async (t) => {
    const a = { t, bearer: (await signUp(t.app)).bearer };
    const b = { t, bearer: (await signUp(t.app)).bearer };
    const spec = { conditions: [{ left: { indicator: "rsi" }, op: "<", right: { value: 35 } }] };
    const saved = await call(a, "POST", "/api/screening/saved", { name: "Cheap RSI", spec });
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.scan.spec, spec);
    const dup = await call(a, "POST", "/api/screening/saved", { name: "Cheap RSI", spec });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, "duplicate_name");
    // B may use the same name: names are per user.
    assert.equal(
      (await call(b, "POST", "/api/screening/saved", { name: "Cheap RSI", spec })).status,
      201,
    );

    const mine = (await call(a, "GET", "/api/screening/saved")).body.scans;
    const theirs = (await call(b, "GET", "/api/screening/saved")).body.scans;
    assert.equal(mine.length, 1);
    assert.equal(theirs.length, 1);
    assert.notEqual(mine[0].id, theirs[0].id);

    assert.equal(mine[0].scheduled, false);
    const id = mine[0].id;
    const on = await call(a, "PATCH", `/api/screening/saved/${id}`, { scheduled: true });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body.scan.scheduled, true);
    assert.equal(
      (await call(b, "PATCH", `/api/screening/saved/${id}`, { scheduled: false })).status,
      404,
    );
    assert.equal(
      (await call(a, "PATCH", `/api/screening/saved/${id}`, { scheduled: "yes" })).status,
      400,
    );
    assert.equal((await call(a, "GET", "/api/screening/saved")).body.scans[0].scheduled, true);
    assert.equal((await call(b, "GET", "/api/screening/saved")).body.scans[0].scheduled, false);

    assert.equal((await call(b, "DELETE", `/api/screening/saved/${mine[0].id}`)).status, 404);
    assert.equal((await call(a, "GET", "/api/screening/saved")).body.scans.length, 1);
    assert.equal((await call(a, "DELETE", `/api/screening/saved/${mine[0].id}`)).status, 204);
    assert.equal((await call(a, "GET", "/api/screening/saved")).body.scans.length, 0);
    assert.equal((await call(a, "DELETE", "/api/screening/saved/abc")).status, 404);
    const badSpec = await call(a, "POST", "/api/screening/saved", { name: "x", spec: {} });
    assert.equal(badSpec.status, 400);

    // "Backtest this scan": saved as A's strategy, which the Backtesting page preselects.
    const bt = await call(a, "POST", "/api/screening/backtest", {
      name: "Cheap RSI",
      spec: { ...spec, sector: "Energy" },
      holdDays: 10,
    });
    assert.equal(bt.status, 201, JSON.stringify(bt.body));
    const { id: sid, version } = bt.body.strategy;
    assert.equal(bt.body.url, `/backtesting?strategy=${sid}&version=${version}`);
    assert.ok(bt.body.assumptions.some((x: string) => x.includes("10 trading days")));
    const doc = (await call(a, "GET", `/api/strategies/${sid}`)).body;
    assert.equal(doc.name, "Scan: Cheap RSI");
    assert.deepEqual(doc.rules.universe, { type: "sector", sector: "Energy" });
    assert.deepEqual(doc.rules.entry, {
      left: { type: "indicator", name: "rsi", period: 14 },
      op: "<",
      right: { type: "const", value: 35 },
    });
    assert.equal(doc.rules.exits.maxBars, 10);
    assert.equal((await call(b, "GET", `/api/strategies/${sid}`)).status, 404);
    const page = await t.app.request(bt.body.url, { headers: a.bearer });
    assert.equal(page.status, 200);
    assert.ok((await page.text()).includes(`strategy:${sid}:${version}`));

    // A ratio preset translates too (volume ÷ its 20-day average, no longer refused).
    const ratio = await call(a, "POST", "/api/screening/backtest", {
      name: "Volume",
      spec: presetById("unusual_volume")!.spec,
    });
    assert.equal(ratio.status, 201, JSON.stringify(ratio.body));
    const ratioDoc = (await call(a, "GET", `/api/strategies/${ratio.body.strategy.id}`)).body;
    assert.deepEqual(ratioDoc.rules.entry, {
      left: { type: "indicator", name: "volume_ratio", period: 20 },
      op: ">=",
      right: { type: "const", value: 2 },
    });
    for (const body of [{ name: "x" }, { name: "x", spec, holdDays: 0 }, { name: "", spec }]) {
      const bad = await call(a, "POST", "/api/screening/backtest", body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(typeof bad.body.error.code, "string");
    }
  });
});
