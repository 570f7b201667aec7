// deno-lint-ignore-file no-explicit-any
/**
 * Recommendations end to end on one app (replay at a fixed moment, the offline analyst, the
 * real database and KV): a refresh over SSE, dismiss and snooze, bad input and another user's
 * ids; the Claude analyst's structured answer with one repaired retry against the fake Anthropic
 * server; and scoring of matured recommendations against outcomes worked out here from the
 * shipped CSV rows, with the track record over all of them.
 */
import assert from "node:assert/strict";
import { openTestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { FAKE_API_KEY, startFakeAnthropic } from "./fakes/anthropic.ts";
import { OPEN_SESSION_MS, openReplayForTest } from "../lib/market/testing.ts";
import { takeEvents } from "../lib/client/chat/sse.ts";
import { ClaudeAnalyst } from "../lib/ai/claude/analyst.ts";
import { analystTools } from "../lib/ai/tools/mod.ts";
import { buildAnalystInput } from "../lib/recommendations/input.ts";
import { generateRecommendations } from "../lib/recommendations/mod.ts";
import { scoreRecommendations } from "../jobs/recommendations.ts";
import { scoreMatured } from "../lib/recommendations/score.ts";

const DIR = new URL("../data/market/", import.meta.url);

interface Row {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
}

async function csvRows(file: string): Promise<Row[]> {
  const bytes = await Deno.readFile(new URL(file, DIR));
  const text = await new Response(
    new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const [header, ...lines] = text.trim().split("\n");
  const h = header.split(",");
  return lines.map((l) => {
    const f = l.split(",");
    const n = (k: string) => Number(f[h.indexOf(k)]);
    return { date: f[0], open: n("open"), high: n("high"), low: n("low"), close: n("close") };
  });
}

Deno.test("recommendations: refresh, statuses, isolation, Claude's retry, scoring and the record", async (t) => {
  const app = await openTestApp({}, {
    market: () => openReplayForTest({ now: () => OPEN_SESSION_MS }),
  });
  const fake = await startFakeAnthropic();
  try {
    const me = await signUp(app.app);
    const other = await signUp(app.app);
    const s = { t: app, bearer: me.bearer };
    const o = { t: app, bearer: other.bearer };
    const userId = me.user.id;
    let live: any[] = [];

    await t.step("refresh streams progress and stores the offline analyst's ideas", async () => {
      const res = await app.app.request("/api/ai/recommendations/refresh", {
        method: "POST",
        headers: { ...me.bearer, "Content-Type": "application/json" },
        body: "{}",
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type")!, /text\/event-stream/);
      const { events } = takeEvents(await res.text());
      const progress = events.filter((e) => e.event === "progress").map((e: any) => e.data);
      assert.deepEqual(progress.map((p) => p.step), ["signals", "analyst", "checks", "saved"]);
      const done: any = events.find((e) => e.event === "done")!.data;
      assert.equal(done.analyst, "offline");
      assert.equal(done.source, "replay");
      assert.equal(done.asOf, "2020-01-03", "the last day completed before the replayed one");
      assert.ok(done.recommendations.length > 0);
      for (const r of done.recommendations) {
        assert.equal(r.asOf, "2020-01-03");
        assert.ok(r.evidence.every((e: any) => e.source && e.asOf));
        assert.ok(r.evidence.some((e: any) => e.source === "replay"));
        if (r.action === "buy") {
          assert.ok(r.stop < r.entry && r.entry < r.target);
          // 1.25 % of $100,000 at the default risk tolerance, within the $25,000 order limit.
          const byRisk = Math.floor(1250 / (r.entry - r.stop));
          assert.equal(r.suggestedShares, Math.min(byRisk, Math.floor(10_000 / r.entry)));
        }
      }
      // The stage renders the same cards on the server, usable before its script loads.
      const page = await app.app.request("/recommendations", { headers: me.bearer });
      const html = await page.text();
      assert.equal(page.status, 200);
      assert.equal(html.match(/data-testid="rec-card"/g)?.length, done.recommendations.length);
      assert.match(html, /data-testid="rec-track-record"/);
      const got = await call(s, "GET", "/api/ai/recommendations");
      assert.equal(got.status, 200);
      live = got.body.recommendations;
      assert.equal(live.length, done.recommendations.length);
      assert.deepEqual((await call(o, "GET", "/api/ai/recommendations")).body.recommendations, []);
    });

    await t.step(
      "a recommendation becomes a pending proposal built from its stored levels",
      async () => {
        const r = live.find((x) => x.action === "buy" && x.suggestedShares >= 1);
        assert.ok(r, "the offline analyst proposes at least one buy on 2020-01-03");
        assert.equal(
          (await call(o, "POST", `/api/ai/recommendations/${r.id}/propose`, {})).status,
          404,
        );
        // A double click or two tabs make one proposal (with auto-approval on, a second one
        // would be a second order); the others are told which proposal exists.
        const tries = await Promise.all(
          [1, 2, 3].map(() => call(s, "POST", `/api/ai/recommendations/${r.id}/propose`, {})),
        );
        assert.deepEqual(tries.map((x) => x.status).sort(), [201, 409, 409]);
        const made = tries.find((x) => x.status === 201)!;
        for (const x of tries.filter((x) => x.status === 409)) {
          assert.equal(x.body.error.code, "proposal_exists");
          assert.equal(x.body.error.details.proposalId, made.body.proposal.id);
        }
        const mine = (await call(s, "GET", "/api/proposals")).body.proposals;
        assert.equal(mine.filter((x: any) => x.source.ref === String(r.id)).length, 1);
        const p = made.body.proposal;
        assert.equal(p.status, "pending");
        assert.deepEqual(p.source, { kind: "recommendation", ref: String(r.id) });
        assert.deepEqual(
          [p.order.symbol, p.order.side, p.order.qty, p.order.type, p.order.limitPrice],
          [r.symbol, "buy", r.suggestedShares, "limit", r.entry],
        );
        const page = await (await app.app.request("/recommendations", { headers: me.bearer }))
          .text();
        assert.equal(page.match(/data-testid="proposal-item"/g)?.length, 1);
        const none = live.find((x) => x.action === "hold" || x.action === "avoid");
        if (none) {
          const refused = await call(s, "POST", `/api/ai/recommendations/${none.id}/propose`, {});
          assert.equal(refused.status, 409);
        }
        // Nothing was placed: the proposal waits for its person.
        assert.deepEqual((await call(s, "GET", "/api/orders")).body.orders, []);
      },
    );

    await t.step("dismiss, snooze, bad input and another user's ids", async () => {
      const [a, b] = live;
      assert.equal((await call(o, "POST", `/api/ai/recommendations/${a.id}/dismiss`)).status, 404);
      assert.equal(
        (await call(o, "POST", `/api/ai/recommendations/${a.id}/snooze`, { days: 1 })).status,
        404,
      );
      assert.equal((await call(s, "POST", "/api/ai/recommendations/abc/dismiss")).status, 404);
      for (const bad of [{}, { days: 0 }, { days: 31 }, { until: "tomorrow" }, { days: 1, x: 1 }]) {
        const r = await call(s, "POST", `/api/ai/recommendations/${a.id}/snooze`, bad);
        assert.equal(r.status, 400, JSON.stringify(bad));
        assert.ok(r.body.error.code && r.body.error.message);
      }
      const past = new Date(Date.now() - 60_000).toISOString();
      assert.equal(
        (await call(s, "POST", `/api/ai/recommendations/${a.id}/snooze`, { until: past })).status,
        400,
      );
      assert.equal(
        (await call(s, "POST", "/api/ai/recommendations/refresh", { maxCandidates: 99 })).status,
        400,
      );
      assert.equal((await call(s, "POST", "/api/ai/recommendations/refresh", "{")).status, 400);
      const dismissed = await call(s, "POST", `/api/ai/recommendations/${a.id}/dismiss`);
      assert.equal(dismissed.body.recommendation.status, "dismissed");
      const snoozed = await call(s, "POST", `/api/ai/recommendations/${b.id}/snooze`, { days: 2 });
      assert.equal(snoozed.body.recommendation.status, "snoozed");
      const ids = (await call(s, "GET", "/api/ai/recommendations")).body.recommendations
        .map((r: any) => r.id);
      assert.ok(!ids.includes(a.id) && !ids.includes(b.id));
      // A snooze that has run out is live again.
      await app.services.db.query(
        "update ai_recommendations set snoozed_until = now() - interval '1 minute' where id = $1",
        [b.id],
      );
      const again = (await call(s, "GET", "/api/ai/recommendations")).body.recommendations;
      assert.ok(again.some((r: any) => r.id === b.id));
    });

    await t.step(
      "Claude: an answer that fails the schema is fed back once and repaired",
      async () => {
        const { input } = await buildAnalystInput(app.services, userId);
        const c = input.candidates[0];
        const entry = c.close;
        const base = {
          symbol: c.symbol,
          action: "buy",
          confidence: 64,
          confidenceBasis: "Trend and momentum agree.",
          entry,
          suggestedShares: 999_999,
          horizonDays: 10,
          reasoning: `${c.symbol} trades above its averages with strong momentum.`,
          evidence: [{
            signal: c.signals[0].name,
            value: c.signals[0].value,
            source: "replay",
            asOf: input.asOf,
          }],
        };
        fake.script(
          // A buy whose stop is above the entry: the schema's level check refuses it.
          {
            kind: "tools",
            calls: [{
              name: "answer",
              input: { recommendations: [{ ...base, stop: entry * 1.05, target: entry * 1.1 }] },
            }],
          },
          {
            kind: "tools",
            calls: [{
              name: "answer",
              input: {
                recommendations: [
                  {
                    ...base,
                    stop: Math.round(entry * 95) / 100,
                    target: Math.round(entry * 110) / 100,
                  },
                  { ...base, symbol: "ZZZZ", stop: entry * 0.9, target: entry * 1.2 },
                ],
              },
            }],
          },
        );
        const claude = new ClaudeAnalyst(app.services, analystTools(), {
          apiKey: FAKE_API_KEY,
          model: "claude-sonnet-4-5",
          baseURL: fake.url,
          maxRetries: 0,
        });
        const r = await generateRecommendations({ ...app.services, analyst: claude }, userId);
        assert.equal(r.analyst, "claude");
        assert.equal(r.attempts, 2);
        const fed = (fake.requests[1] as any).messages.at(-1).content[0];
        assert.equal(fed.is_error, true);
        assert.match(fed.content, /stop < entry < target/);
        assert.deepEqual(r.dropped, [{ symbol: "ZZZZ", reason: "not one of the candidates" }]);
        assert.equal(r.recommendations.length, 1);
        const [rec] = r.recommendations;
        const stop = Math.round(entry * 95) / 100;
        assert.equal(
          rec.suggestedShares,
          Math.min(Math.floor(1250 / (entry - stop)), Math.floor(10_000 / entry)),
        );
        assert.equal(rec.evidence.at(-1)!.source, "settings");
        // The new set replaced the offline one: only Claude's idea is live.
        const now = (await call(s, "GET", "/api/ai/recommendations")).body.recommendations;
        assert.deepEqual(now.map((x: any) => x.id), [rec.id]);
      },
    );

    await t.step("matured recommendations are scored from the following real days", async () => {
      const aapl = await csvRows("stocks/AAPL.csv.gz");
      const xom = await csvRows("stocks/XOM.csv.gz");
      const spx = await csvRows("index/GSPC.csv.gz");
      const asOf = "2019-11-01";
      const at = (rows: Row[]) => rows.findIndex((r) => r.date === asOf);
      const calls = [
        {
          symbol: "AAPL",
          rows: aapl,
          action: "buy",
          confidence: 72,
          stopPct: -0.03,
          targetPct: 0.03,
        },
        {
          symbol: "XOM",
          rows: xom,
          action: "avoid",
          confidence: 55,
          stopPct: 0.04,
          targetPct: -0.04,
        },
        {
          symbol: "AAPL",
          rows: aapl,
          action: "buy",
          confidence: 85,
          stopPct: -0.5,
          targetPct: 0.5,
        },
      ];
      const expected: {
        outcome: string;
        exitPrice: number;
        ret: number;
        bench: number;
        excess: number;
      }[] = [];
      for (const c of calls) {
        const i = at(c.rows);
        const entry = c.rows[i].close;
        const stop = Math.round(entry * (1 + c.stopPct) * 100) / 100;
        const target = Math.round(entry * (1 + c.targetPct) * 100) / 100;
        const bull = c.action === "buy";
        const [rec] = await app.services.db.query<{ id: number }>(
          `insert into ai_recommendations (user_id, symbol, action, confidence, reasoning, entry,
             stop, target, horizon_days, as_of, source, analyst, model, status)
           values ($1, $2, $3, $4, 'test', $5, $6, $7, 10, $8, 'replay', 'offline', 'offline',
             'dismissed') returning id`,
          [userId, c.symbol, c.action, c.confidence, entry, stop, target, asOf],
        );
        assert.ok(rec.id);
        // Worked out here from the rows: gaps exit at the open, a day reaching both is a stop.
        let outcome = "neither";
        let exitRow = i + 10;
        let exitPrice = c.rows[exitRow].close;
        for (let k = i + 1; k <= i + 10; k++) {
          const d = c.rows[k];
          const lowHit = bull ? d.low <= stop : d.high >= stop;
          const highHit = bull ? d.high >= target : d.low <= target;
          const openStop = bull ? d.open <= stop : d.open >= stop;
          const openTarget = bull ? d.open >= target : d.open <= target;
          if (openStop || openTarget) (outcome = openStop ? "stop" : "target", exitPrice = d.open);
          else if (lowHit) (outcome = "stop", exitPrice = stop);
          else if (highHit) (outcome = "target", exitPrice = target);
          else continue;
          exitRow = k;
          break;
        }
        const exitDate = c.rows[exitRow].date;
        const s0 = spx.find((r) => r.date === asOf)!.close;
        const s1 = spx.find((r) => r.date === exitDate)!.close;
        const move = (exitPrice / entry - 1) * 100;
        const ret = bull ? move : -move;
        const bench = (s1 / s0 - 1) * 100;
        expected.push({ outcome, exitPrice, ret, bench, excess: ret - (bull ? bench : -bench) });
      }
      // What the rows say: AAPL reached +3 % first, XOM rose through the avoid call's stop, and
      // ±50 % is not reached in ten days.
      assert.deepEqual(expected.map((e) => e.outcome), ["target", "stop", "neither"]);
      // One that has not matured: the replayed day is 2020-01-06.
      await app.services.db.query(
        `insert into ai_recommendations (user_id, symbol, action, confidence, entry, stop, target,
           horizon_days, as_of, source, analyst, model)
         values ($1, 'MSFT', 'buy', 60, 158, 150, 170, 10, '2020-01-02', 'replay', 'offline', 'offline')`,
        [userId],
      );
      // One that can never be scored (no bars for its symbol), older than the rest: read a page
      // of one at a time, it must not keep the others from their turn.
      await app.services.db.query(
        `insert into ai_recommendations (user_id, symbol, action, confidence, entry, stop, target,
           horizon_days, as_of, source, analyst, model)
         values ($1, 'NOPE', 'buy', 60, 10, 9, 11, 5, '2019-10-01', 'replay', 'offline', 'offline')`,
        [userId],
      );
      const [{ n }] = await app.services.db.query<{ n: number }>(
        "select count(*)::int as n from ai_recommendations where scored_at is null",
      );
      const report = await scoreMatured(app.services, 1);
      assert.equal(report.checked, n, "every unscored one was read, a page of one at a time");
      assert.equal(report.scored, 3);
      assert.equal(report.pending + report.failed, n - 3);
      const again = await scoreRecommendations(app.services);
      assert.equal(again.scored, 0, "each is scored once");
      const tr = await call(s, "GET", "/api/ai/recommendations/track-record");
      assert.equal(tr.status, 200);
      const scored = [...tr.body.scored].sort((a: any, b: any) => a.id - b.id);
      assert.equal(scored.length, 3);
      scored.forEach((r: any, k: number) => {
        const e = expected[k];
        assert.equal(r.status, "scored");
        assert.equal(r.outcome.outcome, e.outcome);
        assert.equal(r.outcome.exitPrice, e.exitPrice);
        assert.equal(r.outcome.returnPct, Math.round(e.ret * 1e4) / 1e4);
        assert.equal(r.outcome.benchmarkReturnPct, Math.round(e.bench * 1e4) / 1e4);
        assert.equal(r.outcome.excessReturnPct, Math.round(e.excess * 1e4) / 1e4);
      });
      // Over all of them (all three were dismissed; scored anyway), never a selection.
      const rec = tr.body.trackRecord;
      const hits = expected.filter((e) => e.outcome === "target").length;
      assert.equal(rec.scored, 3);
      assert.equal(rec.hits, hits);
      assert.equal(rec.hitRate, Math.round((hits / 3) * 1000) / 10);
      const ex = expected.map((e) => Math.round(e.excess * 1e4) / 1e4);
      assert.equal(
        rec.avgExcessReturnPct,
        Math.round((ex.reduce((a, b) => a + b) / 3) * 100) / 100,
      );
      assert.ok(rec.pending >= 1);
      assert.equal(rec.total, rec.pending + 3);
      const bucket = (from: number) => rec.calibration.find((b: any) => b.from === from);
      assert.equal(bucket(40).count, 1);
      assert.equal(bucket(60).count, 1);
      assert.equal(bucket(80).count, 1);
      assert.equal(bucket(80).hits, 0);
      assert.equal(bucket(0).hitRate, null);
      const theirs = await call(o, "GET", "/api/ai/recommendations/track-record");
      assert.equal(theirs.body.trackRecord.total, 0);
      assert.deepEqual(theirs.body.scored, []);
    });
  } finally {
    await app.close();
    await fake.close();
  }
});
