/**
 * The morning routine over the real replay (opening on 2020-03-18, so the brief reads the closes
 * of 2020-03-17, in the March 2020 sell-off), one app and a peer instance on the same database
 * and KV file (in-process, as tests/_harness.ts `openPeerApp` runs a second instance; no second
 * process, to spare CI an app start):
 * - the job on both instances at once builds each active user's brief once; a re-run builds none;
 * - the brief's numbers against our own reading of the shipped CSVs, every figure with a source;
 * - "Run now" with progress, the checklist, history paging, isolation and bad input.
 */
import assert from "node:assert/strict";
import { openPeerApp, openTestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { runMorningBriefs } from "../jobs/morning.ts";
import { claim, finish } from "../lib/morning/store.ts";
import type { Figure, MorningBrief } from "../lib/shared/morning.ts";

const DATA = new URL("../data/market/", import.meta.url);
const DAY = "2020-03-18";
const AS_OF = "2020-03-17";

/** date → close, read straight from a shipped gzipped CSV (not through lib/market). */
async function closes(file: string): Promise<Map<string, number>> {
  const bytes = await Deno.readFile(new URL(file, DATA));
  const text = await new Response(
    new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const [head, ...rows] = text.trim().split("\n");
  const c = head.split(",").indexOf("close");
  return new Map(rows.map((r) => r.split(",")).map((f) => [f[0], Number(f[c])]));
}

/** The day before `date` in a series. */
function prevClose(series: Map<string, number>, date: string): number {
  const days = [...series.keys()].filter((d) => d < date).sort();
  return series.get(days.at(-1)!)!;
}

/** Every number in `value` sits in a figure with a source and an as-of time. */
function assertSourced(value: unknown, path = "brief"): void {
  if (Array.isArray(value)) return value.forEach((v, i) => assertSourced(v, `${path}[${i}]`));
  if (!value || typeof value !== "object") {
    assert.notEqual(typeof value, "number", `${path} is a bare number`);
    return;
  }
  const o = value as Record<string, unknown>;
  if (typeof o.value === "number") {
    const f = o as unknown as Figure;
    assert.ok(f.source && f.asOf && f.unit, `${path} lacks source, asOf or unit`);
    return;
  }
  for (const [k, v] of Object.entries(o)) {
    if (path === "brief.narrative" && k === "checked") continue; // the checker's own count
    assertSourced(v, `${path}.${k}`);
  }
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached (${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

Deno.test("the morning routine", async (t) => {
  const market = () => openReplayForTest({ start: "2020-03-16" });
  const app = await openTestApp({}, { market });
  const peer = await openPeerApp(app, { market });
  try {
    const alice = await signUp(app.app);
    const a = { t: app, bearer: alice.bearer };
    const b = { t: app, bearer: (await signUp(app.app)).bearer };
    const { db } = app.services;

    await t.step("the job on two instances builds each brief once; a re-run none", async () => {
      const reports = await Promise.all([
        runMorningBriefs(app.services),
        runMorningBriefs(peer.services),
      ]);
      for (const r of reports) assert.equal(r.date, DAY);
      assert.equal(reports[0].built + reports[1].built, 2, JSON.stringify(reports));
      assert.equal(reports[0].failed + reports[1].failed, 0);
      const rows = await db.query<{ status: string; attempts: number; trigger: string }>(
        "select status, attempts, trigger from morning_briefs order by user_id",
      );
      assert.deepEqual(rows, [
        { status: "done", attempts: 1, trigger: "job" },
        { status: "done", attempts: 1, trigger: "job" },
      ]);
      const before = await db.query("select id, finished_at, brief from morning_briefs");
      const again = await Promise.all([
        runMorningBriefs(app.services),
        runMorningBriefs(peer.services),
      ]);
      for (const r of again) assert.deepEqual([r.pending, r.built, r.failed], [0, 0, 0]);
      assert.deepEqual(await db.query("select id, finished_at, brief from morning_briefs"), before);
    });

    await t.step("the brief's numbers match the shipped CSVs and each has a source", async () => {
      const res = await call(a, "GET", "/api/morning/brief");
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const brief: MorningBrief = res.body.brief.brief;
      assert.equal(brief.date, DAY);
      assert.equal(brief.source, "replay");
      const m = brief.market!;
      assert.equal(m.asOf, AS_OF);

      const spx = await closes("index/GSPC.csv.gz");
      const spxLine = m.indexes.find((i) => i.symbol === "SPX")!;
      const spxMove = (spx.get(AS_OF)! / prevClose(spx, AS_OF) - 1) * 100;
      assert.equal(spxLine.close.value, spx.get(AS_OF));
      assert.ok(Math.abs(spxLine.changePercent.value - spxMove) < 0.005);
      assert.deepEqual(
        { source: spxLine.close.source, asOf: spxLine.close.asOf },
        { source: "replay", asOf: AS_OF },
      );
      const vix = await closes("index/VIX.csv.gz");
      assert.equal(m.indexes.find((i) => i.symbol === "VIX")!.close.value, vix.get(AS_OF));

      const universe = (await Deno.readTextFile(new URL("universe.csv", DATA))).trim()
        .split("\n").slice(1).filter((l) => l.includes(",stock,"))
        .map((l) => l.split(",")[0]);
      let up = 0;
      let down = 0;
      for (const ticker of universe) {
        const s = await closes(`stocks/${ticker.replace(".", "-")}.csv.gz`).catch(() =>
          closes(`stocks/${ticker}.csv.gz`)
        );
        const move = s.get(AS_OF)! - prevClose(s, AS_OF);
        if (move > 0) up++;
        else if (move < 0) down++;
      }
      assert.equal(m.breadth.universe.value, universe.length);
      assert.equal(m.breadth.advancers.value, up);
      assert.equal(m.breadth.decliners.value, down);
      assert.ok(up > 0 && down > 0);
      // Movers are ordered, and the sectors cover the universe.
      const g = m.gainers.map((x) => x.changePercent.value);
      assert.deepEqual(g, [...g].sort((x, y) => y - x));
      assert.equal(m.sectors.reduce((n, s) => n + s.members.value, 0), universe.length);

      assert.equal(brief.portfolio!.equity.value, 100_000);
      assert.equal(brief.portfolio!.source, "paper");
      assert.deepEqual(brief.riskAlerts, []);
      // The job made today's ideas (lib/morning/extras.ts); nothing waits for approval yet.
      assert.equal(brief.recommendations.available, true);
      const live = (await call(a, "GET", "/api/ai/recommendations")).body.recommendations;
      assert.deepEqual(
        brief.recommendations.items.map((i: { id: string }) => i.id),
        live.map((r: { id: number }) => String(r.id)),
      );
      assert.equal(brief.proposals.available, true);
      assert.deepEqual(brief.proposals.items, []);
      assert.equal(brief.scans!.available, true);
      assert.deepEqual(brief.scans!.items, []);
      assert.match(brief.scans!.note!, /No scheduled scans/);

      // The regime the ideas read (lib/signals → /api/ml/regime), with the VIX close above.
      const regime = (await call(a, "GET", "/api/ml/regime?days=20")).body;
      assert.deepEqual(
        { name: m.regime!.name, asOf: m.regime!.asOf },
        { name: regime.current.name, asOf: AS_OF },
      );
      assert.equal(m.regime!.name, "crisis");
      assert.match(m.regime!.source, /regime model .*prices replay/);
      assert.equal(m.regime!.vix.value, vix.get(AS_OF));
      assert.ok(Math.abs(m.regime!.spxReturn20.value - regime.current.features.return20) < 0.005);

      assert.equal(brief.narrative.analyst, "offline");
      assert.match(brief.narrative.text, /S&P 500 closed at/);
      assert.match(brief.narrative.text, /regime model .* puts 2020-03-17 in “crisis”/);
      assert.deepEqual(brief.narrative.unverified, []);
      assert.ok(brief.narrative.checked >= 5);
      assertSourced(brief);
    });

    await t.step("the checklist is stored per brief and user", async () => {
      const { brief } = (await call(a, "GET", "/api/morning/brief")).body;
      assert.ok(brief.checklist.every((i: { done: boolean }) => !i.done));
      const put = await call(a, "PUT", `/api/morning/briefs/${brief.id}/checklist/risk`, {
        done: true,
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const again = (await call(a, "GET", `/api/morning/briefs/${brief.id}`)).body.brief;
      assert.deepEqual(
        again.checklist.filter((i: { done: boolean }) => i.done).map((i: { id: string }) => i.id),
        ["risk"],
      );
      // B's own brief is untouched.
      const bBrief = (await call(b, "GET", "/api/morning/brief")).body.brief;
      assert.ok(bBrief.checklist.every((i: { done: boolean }) => !i.done));
    });

    await t.step(
      "Run now rebuilds today's brief with progress, keeping the checklist",
      async () => {
        // A scheduled scan (and one that is not) go into the rebuilt brief with their hits.
        const spec = {
          conditions: [{ left: { indicator: "rsi" }, op: "<", right: { value: 30 } }],
        };
        for (const [name, scheduled] of [["Oversold mornings", true], ["Ad hoc", false]] as const) {
          const saved = await call(a, "POST", "/api/screening/saved", { name, spec, scheduled });
          assert.equal(saved.status, 201, JSON.stringify(saved.body));
        }
        const scanNow = (await call(a, "POST", "/api/screening/run", spec)).body;
        assert.ok(scanNow.hits.length > 0, "stocks were oversold on 2020-03-17");
        const res = await call(a, "POST", "/api/morning/brief", {});
        assert.equal(res.status, 202, JSON.stringify(res.body));
        assert.equal(res.body.brief.date, DAY);
        assert.equal(res.body.brief.trigger, "manual");
        const seen = new Set<string>();
        const done = await until(
          async () => (await call(a, "GET", "/api/morning/brief")).body.brief,
          (r) => (seen.add(r.status), r.status !== "running"),
          "the rebuild",
        );
        assert.equal(done.status, "done");
        assert.equal(done.progress, 100);
        const scans = done.brief.scans;
        assert.equal(scans.items.length, 1);
        const [item] = scans.items;
        const n = scanNow.hits.length;
        assert.equal(
          item.title,
          `Scan “Oversold mornings”: ${n} ${n === 1 ? "hit" : "hits"} on ${AS_OF}`,
        );
        for (const h of scanNow.hits.slice(0, 5)) {
          assert.ok(item.detail.includes(`${h.symbol} (${h.reasons[0]}`), h.symbol);
        }
        if (n > 5) assert.ok(item.detail.includes(`and ${n - 5} more`));
        assert.match(item.detail, /source replay, closes of 2020-03-17$/);
        // Bob has no scheduled scan; Alice's is not his.
        const bob = (await call(b, "GET", "/api/morning/brief")).body.brief.brief;
        assert.deepEqual(bob.scans.items, []);
        assert.ok(done.checklist.find((i: { id: string }) => i.id === "risk").done);
        const [row] = await db.query<{ attempts: number }>(
          "select attempts from morning_briefs where id = $1",
          [done.id],
        );
        assert.equal(row.attempts, 2);
      },
    );

    await t.step("history pages by date", async () => {
      const userId = alice.user.id;
      for (const day of ["2020-03-16", "2020-03-17"]) {
        const id = await claim(db, userId, day, "job");
        const { brief } = (await call(a, "GET", "/api/morning/brief")).body;
        await finish(db, id!, { ...brief.brief, date: day });
      }
      const first = await call(a, "GET", "/api/morning/briefs?limit=2");
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(first.body.briefs.map((x: { date: string }) => x.date), [DAY, AS_OF]);
      assert.equal(first.body.next, AS_OF);
      const second = await call(a, "GET", `/api/morning/briefs?limit=2&before=${AS_OF}`);
      assert.deepEqual(second.body.briefs.map((x: { date: string }) => x.date), ["2020-03-16"]);
      assert.equal(second.body.next, null);
      const byDate = await call(a, "GET", "/api/morning/brief?date=2020-03-16");
      assert.equal(byDate.body.brief.brief.date, "2020-03-16");
    });

    await t.step("the stage server-renders today's brief, checklist and history", async () => {
      const res = await app.app.request("/morning-routine", { headers: a.bearer });
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /data-testid="morning-brief"/);
      assert.match(html, /data-testid="morning-narrative">On 2020-03-17 the S&amp;P 500 closed/);
      assert.match(html, /data-testid="morning-checklist"/);
      assert.match(html, /data-testid="morning-scans"[^]*Scan “Oversold mornings”/);
      assert.match(html, /data-testid="morning-regime"[^]*crisis/);
      assert.match(html, /REPLAY/);
      assert.match(html, /title="source: replay, as of 2020-03-17"/);
      for (const day of [DAY, AS_OF, "2020-03-16"]) assert.ok(html.includes(`>${day}</button>`));
    });

    await t.step("another user's brief is a 404", async () => {
      const { brief } = (await call(a, "GET", "/api/morning/brief")).body;
      assert.equal((await call(b, "GET", `/api/morning/briefs/${brief.id}`)).status, 404);
      const put = await call(b, "PUT", `/api/morning/briefs/${brief.id}/checklist/risk`, {
        done: false,
      });
      assert.equal(put.status, 404);
      assert.equal((await call(b, "GET", "/api/morning/brief?date=2020-03-16")).status, 404);
      const mine = (await call(a, "GET", `/api/morning/briefs/${brief.id}`)).body.brief;
      assert.ok(mine.checklist.find((i: { id: string }) => i.id === "risk").done);
    });

    await t.step("bad input is a 4xx with the error shape", async () => {
      const { brief } = (await call(a, "GET", "/api/morning/brief")).body;
      const cases: [string, string, unknown, number][] = [
        ["GET", "/api/morning/brief?date=2020-13-45", undefined, 400],
        ["GET", "/api/morning/brief?date=yesterday", undefined, 400],
        ["GET", "/api/morning/brief?when=today", undefined, 400],
        ["GET", "/api/morning/brief?date=2019-01-02", undefined, 404],
        // Shaped like dates, but no calendar has them: a 400, not Postgres's 500.
        ["GET", "/api/morning/brief?date=2020-02-30", undefined, 400],
        ["GET", "/api/morning/brief?date=0000-01-01", undefined, 400],
        ["GET", "/api/morning/briefs?before=2020-04-31", undefined, 400],
        ["GET", "/api/morning/briefs?limit=0", undefined, 400],
        ["GET", "/api/morning/briefs?limit=abc", undefined, 400],
        ["GET", "/api/morning/briefs?before=03/17/2020", undefined, 400],
        ["GET", "/api/morning/briefs/abc", undefined, 404],
        ["POST", "/api/morning/brief", { now: true }, 400],
        ["POST", "/api/morning/brief", "{not json", 400],
        ["PUT", `/api/morning/briefs/${brief.id}/checklist/nope`, { done: true }, 404],
        ["PUT", `/api/morning/briefs/${brief.id}/checklist/risk`, { done: "yes" }, 400],
        ["PUT", `/api/morning/briefs/${brief.id}/checklist/risk`, {}, 400],
      ];
      for (const [method, path, body, status] of cases) {
        const res = await call(a, method, path, body);
        assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
        assert.equal(typeof res.body.error.code, "string");
        assert.equal(typeof res.body.error.message, "string");
      }
      const anonymous = await app.app.request("/api/morning/brief");
      assert.equal(anonymous.status, 401);
      await anonymous.body?.cancel();
    });
  } finally {
    await peer.close();
    await app.close();
  }
});
