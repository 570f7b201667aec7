/**
 * `GET /api/ml/regime` over the real replay: the regime of the day before the replayed one,
 * from features that match the shipped history, with the model's states and their record.
 */
import assert from "node:assert/strict";
import { openTestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { History } from "../lib/market/replay/history.ts";
import { regimeFeatures } from "../lib/ml/regime.ts";
import { detectPatterns, levels } from "../lib/ml/patterns.ts";

Deno.test("the regime as of the replayed day, its history and the states' record", async () => {
  const t = await openTestApp({}, { market: () => openReplayForTest({ start: "2020-03-16" }) });
  try {
    const s = { t, bearer: (await signUp(t.app)).bearer };
    const res = await call(s, "GET", "/api/ml/regime?days=60");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.asOf, "2020-03-17");
    assert.equal(res.body.source, "replay");
    assert.equal(res.body.current.name, "crisis");
    assert.equal(res.body.history.length, 60);
    assert.equal(res.body.history.at(-1).date, "2020-03-17");
    assert.ok(res.body.history.every((h: { date: string }) => h.date <= "2020-03-17"));

    const history = new History();
    const rows = regimeFeatures(await history.series("SPX"), await history.series("VIX"));
    const row = rows.find((r) => r.date === "2020-03-17")!;
    const f = res.body.current.features;
    [f.return20, f.vol20, f.vix, f.vixChange5].forEach((v: number, j: number) =>
      assert.ok(Math.abs(v - row.x[j]) < 1e-6, `feature ${j}`)
    );
    assert.equal(res.body.model.states.length, 4);
    for (const st of res.body.model.states) {
      assert.ok(st.forward.n > 0 && st.forward.hitRate >= 0 && st.forward.hitRate <= 1);
    }
    assert.match(res.body.model.note, /includes days after/);
    assert.equal(res.body.model.centroids, undefined);

    for (const q of ["days=5", "days=abc", "days=2000", "other=1"]) {
      const bad = await call(s, "GET", `/api/ml/regime?${q}`);
      assert.equal(bad.status, 400, q);
      assert.ok(bad.body.error.code, q);
    }
  } finally {
    await t.close();
  }
});

Deno.test("patterns through the scan day, with their measured record", async () => {
  const t = await openTestApp({}, { market: () => openReplayForTest({ start: "2020-03-16" }) });
  try {
    const s = { t, bearer: (await signUp(t.app)).bearer };
    const res = await call(s, "GET", "/api/ml/patterns?symbol=JPM&days=250");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.asOf, "2020-03-17");
    assert.equal(res.body.prices, "replay");

    // The same rules over the shipped bars cut at the scan day.
    const jpm = await new History().series("JPM");
    const row = jpm.row.get("2020-03-17")!;
    const cut = (a: Float64Array) => Array.from(a.slice(0, row + 1));
    const bars = { high: cut(jpm.high), low: cut(jpm.low), close: cut(jpm.close) };
    const expected = detectPatterns(bars).filter((e) => e.row > row - 250).map((e) => ({
      type: e.type,
      date: jpm.dates[e.row],
    })).reverse();
    assert.deepEqual(
      res.body.hits.map((h: { type: string; date: string }) => ({ type: h.type, date: h.date })),
      expected,
    );
    assert.ok(expected.length > 0, "JPM completes patterns within a year");
    assert.deepEqual(res.body.levels, levels(bars, row));

    assert.equal(res.body.record.patterns.length, 8);
    for (const p of res.body.record.patterns) assert.ok(p.n > 0 && p.hitRate >= 0, p.type);
    assert.ok(res.body.record.baseline.n > 100_000);

    const all = await call(s, "GET", "/api/ml/patterns?days=5");
    assert.equal(all.status, 200);
    assert.equal(all.body.levels, null);
    for (const h of all.body.hits) assert.ok(h.date <= "2020-03-17" && h.date >= "2020-03-11");

    for (const q of ["days=0", "days=x", "symbol=not%20a%20symbol", "foo=1"]) {
      assert.equal((await call(s, "GET", `/api/ml/patterns?${q}`)).status, 400, q);
    }
    assert.equal((await call(s, "GET", "/api/ml/patterns?symbol=ZZZZ")).status, 404);
  } finally {
    await t.close();
  }
});
