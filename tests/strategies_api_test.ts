// deno-lint-ignore-file no-explicit-any
/**
 * `/api/strategies` over one real app (offline analyst): versioning, duplicate, delete,
 * isolation (another user's strategy is a 404), bad input as 4xx JSON, parse and explain, and
 * a backtest of a saved strategy version. The Claude path of the words-to-rules task runs the
 * real SDK against the fake Anthropic server, including an invalid answer that is repaired.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { type ApiCaller, call } from "./_api.ts";
import { FAKE_API_KEY, startFakeAnthropic } from "./fakes/anthropic.ts";
import { ClaudeAnalyst } from "../lib/ai/claude/analyst.ts";
import { analystTools } from "../lib/ai/tools/mod.ts";
import { describeStrategy } from "../lib/strategy/words.ts";
import { TEMPLATES } from "../lib/strategy/templates.ts";
import { resolveParams } from "../lib/strategy/schema.ts";

let app: TestApp;
let a: ApiCaller;
let b: ApiCaller;

const RSI_TEXT = "buy AAPL and MSFT when RSI(14) falls below 30, sell when it rises above 70, " +
  "8 % stop, 10 % of equity each";

Deno.test("strategies API", async (t) => {
  app = await openTestApp();
  try {
    a = { t: app, bearer: (await signUp(app.app)).bearer };
    b = { t: app, bearer: (await signUp(app.app)).bearer };

    let id = 0;
    await t.step(
      "parse reads words into rules, saves nothing, and says its assumptions",
      async () => {
        const r = await call(a, "POST", "/api/strategies/parse", { text: RSI_TEXT });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.analyst, "offline");
        assert.deepEqual(r.body.rules.universe, { type: "symbols", symbols: ["AAPL", "MSFT"] });
        assert.equal(r.body.rules.exits.stopLossPercent, 8);
        assert.deepEqual(r.body.rules.sizing, { method: "percent_equity", percent: 10 });
        assert.ok(r.body.sentences.includes("Buy when RSI(14) is below 30."), r.body.sentences);
        assert.ok(r.body.assumptions.some((s: string) => s.includes("next open")));
        assert.deepEqual(r.body.unknownWords, []);
        const none = await call(a, "GET", "/api/strategies");
        assert.deepEqual(none.body.strategies, []);

        const bad = await call(a, "POST", "/api/strategies/parse", {
          text: "buy AAPL when the stochastic is below 20",
        });
        assert.equal(bad.status, 200);
        assert.equal(bad.body.rules, null);
        assert.ok(bad.body.unknownWords.includes("stochastic"));
        assert.ok(bad.body.errors.length > 0);
      },
    );

    await t.step("create, update as new versions, read old versions", async () => {
      const parsed = await call(a, "POST", "/api/strategies/parse", { text: RSI_TEXT });
      const created = await call(a, "POST", "/api/strategies", {
        name: "RSI dip",
        description: "Buys oversold dips.",
        rules: parsed.body.rules,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      id = created.body.id;
      assert.equal(created.body.version, 1);
      assert.equal(created.body.rules.name, "RSI dip");

      const rules2 = structuredClone(parsed.body.rules);
      rules2.exits.stopLossPercent = 5;
      const v2 = await call(a, "PUT", `/api/strategies/${id}`, { rules: rules2, name: "RSI dip" });
      assert.equal(v2.status, 200, JSON.stringify(v2.body));
      assert.equal(v2.body.version, 2);
      assert.equal(v2.body.description, "Buys oversold dips.");
      const v3 = await call(a, "PUT", `/api/strategies/${id}`, { description: "Tighter." });
      assert.equal(v3.body.version, 3);
      assert.equal(v3.body.rules.exits.stopLossPercent, 5);

      const latest = await call(a, "GET", `/api/strategies/${id}`);
      assert.deepEqual([latest.body.version, latest.body.latestVersion], [3, 3]);
      const first = await call(a, "GET", `/api/strategies/${id}?version=1`);
      assert.deepEqual([first.body.version, first.body.latestVersion], [1, 3]);
      assert.equal(first.body.rules.exits.stopLossPercent, 8);
      assert.equal(first.body.description, "Buys oversold dips.");
      const versions = await call(a, "GET", `/api/strategies/${id}/versions`);
      assert.deepEqual(versions.body.versions.map((v: any) => v.version), [3, 2, 1]);
      assert.equal((await call(a, "GET", `/api/strategies/${id}?version=9`)).status, 404);

      const list = await call(a, "GET", "/api/strategies");
      assert.deepEqual(list.body.strategies.map((s: any) => [s.id, s.version]), [[id, 3]]);
    });

    await t.step("another user's strategy is a 404 everywhere", async () => {
      for (
        const [method, path, body] of [
          ["GET", `/api/strategies/${id}`],
          ["GET", `/api/strategies/${id}?version=1`],
          ["GET", `/api/strategies/${id}/versions`],
          ["PUT", `/api/strategies/${id}`, { name: "stolen" }],
          ["POST", `/api/strategies/${id}/duplicate`, {}],
          ["POST", `/api/strategies/${id}/explain`],
          ["DELETE", `/api/strategies/${id}`],
        ] as [string, string, unknown?][]
      ) {
        const r = await call(b, method, path, body);
        assert.equal(r.status, 404, `${method} ${path}`);
        assert.equal(r.body.error.code, "not_found");
      }
      assert.deepEqual((await call(b, "GET", "/api/strategies")).body.strategies, []);
      const run = await call(b, "POST", "/api/backtesting", {
        strategyId: id,
        start: "2018-01-02",
        end: "2019-12-31",
      });
      assert.equal(run.status, 404);
      assert.equal((await call(a, "GET", `/api/strategies/${id}`)).body.name, "RSI dip");
    });

    await t.step("bad input is a 4xx JSON error naming what is wrong", async () => {
      const cases: [string, string, unknown, number, RegExp][] = [
        ["POST", "/api/strategies", { rules: { name: "x" } }, 422, /universe/],
        [
          "POST",
          "/api/strategies",
          { rules: { name: "x", universe: { type: "all" } } },
          422,
          /entry/,
        ],
        [
          "POST",
          "/api/strategies",
          { rules: TEMPLATES["sma-cross"].rules, extra: 1 },
          400,
          /extra/,
        ],
        ["POST", "/api/strategies", "{not json", 400, /JSON/],
        ["POST", "/api/strategies/parse", { text: "" }, 400, /text/],
        ["POST", "/api/strategies/parse", { text: "x".repeat(2001) }, 400, /text/],
        ["PUT", `/api/strategies/${id}`, {}, 400, /at least one/],
        ["GET", `/api/strategies/${id}?version=abc`, undefined, 400, /version/],
        ["GET", "/api/strategies/abc", undefined, 404, /strategy/],
        [
          "POST",
          "/api/strategies",
          { rules: TEMPLATES["sma-cross"].rules, templates: ["x"] },
          400,
          /templates/,
        ],
      ];
      for (const [method, path, body, status, re] of cases) {
        const r = await call(a, method, path, body);
        assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(r.body)}`);
        assert.match(JSON.stringify(r.body.error), re, `${method} ${path}`);
      }
    });

    await t.step(
      "a backtest of a saved version names it; explain grounds its figures",
      async () => {
        const before = await call(a, "POST", `/api/strategies/${id}/explain`);
        assert.equal(before.status, 200);
        assert.equal(before.body.run, null);
        assert.match(before.body.text, /not been backtested/);

        const run = await call(a, "POST", "/api/backtesting", {
          strategyId: id,
          strategyVersion: 1,
          start: "2016-01-04",
          end: "2019-12-31",
        });
        assert.equal(run.status, 202, JSON.stringify(run.body));
        // The run's event stream ends when the run does.
        const events = await app.app.request(`/api/backtesting/${run.body.id}/events`, {
          headers: a.bearer,
        });
        await events.text();
        const got = await call(a, "GET", `/api/backtesting/${run.body.id}`);
        assert.equal(got.body.status, "done", JSON.stringify(got.body.error));
        assert.deepEqual(got.body.strategy, { id, version: 1 });
        assert.equal(got.body.rules.exits.stopLossPercent, 8, "version 1's rules ran");

        const ex = await call(a, "POST", `/api/strategies/${id}/explain`);
        assert.equal(ex.status, 200);
        assert.equal(ex.body.analyst, "offline");
        assert.equal(ex.body.run.id, run.body.id);
        assert.match(ex.body.text, new RegExp(got.body.metrics.totalReturnPct.toFixed(2)));
        assert.deepEqual(ex.body.unverified, []);
      },
    );

    await t.step("duplicate and delete", async () => {
      const dup = await call(a, "POST", `/api/strategies/${id}/duplicate`, { version: 1 });
      assert.equal(dup.status, 201);
      assert.notEqual(dup.body.id, id);
      assert.equal(dup.body.version, 1);
      assert.equal(dup.body.name, "RSI dip (copy)");
      assert.equal(dup.body.rules.exits.stopLossPercent, 8);
      assert.equal((await call(a, "DELETE", `/api/strategies/${id}`)).status, 204);
      assert.equal((await call(a, "GET", `/api/strategies/${id}`)).status, 404);
      assert.equal((await call(a, "DELETE", `/api/strategies/${id}`)).status, 404);
      const runs = await call(a, "GET", "/api/backtesting");
      assert.equal(runs.body.runs.length, 1, "the run stays");
      assert.equal(runs.body.runs[0].strategy, null, "unlinked");
    });

    await t.step("Claude: an invalid rule document is fed back once and repaired", async () => {
      const fake = await startFakeAnthropic();
      try {
        const claude = new ClaudeAnalyst(app.services, analystTools(), {
          apiKey: FAKE_API_KEY,
          model: "claude-sonnet-4-5",
          baseURL: fake.url,
          maxRetries: 0,
        });
        const good = resolveParams(TEMPLATES["sma-cross"].rules);
        const broken = { ...good, entry: { left: good.entry, op: "soon" } };
        fake.script(
          {
            kind: "tools",
            calls: [{
              name: "answer",
              input: { rules: broken, assumptions: [], unknownWords: [] },
            }],
          },
          {
            kind: "tools",
            calls: [{
              name: "answer",
              input: { rules: good, assumptions: ["Fills at the next open."], unknownWords: [] },
            }],
          },
        );
        const text = "buy AAPL when SMA(20) crosses above SMA(50)";
        const r = await describeStrategy(claude, 1, text, new Set(["AAPL"]));
        assert.equal(r.analyst, "claude");
        assert.equal(r.attempts, 2);
        assert.deepEqual(r.rules, good);
        assert.ok(r.sentences.includes("Buy when SMA(20) crosses above SMA(50)."));
        const first = fake.requests[0] as any;
        assert.ok(JSON.stringify(first.tools[0].input_schema).includes("crosses_above"));
        const fed = (fake.requests[1] as any).messages.at(-1).content[0];
        assert.equal(fed.is_error, true);
        assert.match(fed.content, /entry/);

        fake.script(
          { kind: "tools", calls: [{ name: "answer", input: { rules: broken } }] },
          { kind: "tools", calls: [{ name: "answer", input: { rules: broken } }] },
        );
        const failed = await describeStrategy(claude, 1, text, new Set(["AAPL"]));
        assert.equal(failed.rules, null);
        assert.ok(failed.errors.some((e) => e.startsWith("rules.entry")), failed.errors.join("\n"));
      } finally {
        await fake.close();
      }
    });
  } finally {
    await app.close();
  }
});
