/**
 * Onboarding over the real app (replay market data, real database and KV): the form's answers,
 * the suggested limits confirmed into settings, the default watchlist, skipping, the interview
 * question by question, validation and per-user isolation.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { CountingMarketData, openReplayForTest } from "../lib/market/testing.ts";
import { suggestLimits } from "../lib/ai/risk_limits.ts";

interface Session {
  t: TestApp;
  bearer: Record<string, string>;
}

async function withApp(fn: (t: TestApp, s: Session) => Promise<void>) {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, {
    market: () => openReplayForTest(),
  });
  try {
    const me = await signUp(t.app);
    await fn(t, { t, bearer: me.bearer });
  } finally {
    await t.close();
  }
}

const form = {
  goals: "Learn how options work",
  experience: "beginner",
  horizon: "months",
  riskTolerance: "medium",
  startingCash: 40_000,
  symbols: ["aapl", "MSFT", "SPX"],
};

Deno.test("form → suggested limits → confirm with an edit → settings and watchlist", async () => {
  await withApp(async (_t, s) => {
    const first = await call(s, "GET", "/api/ai/profile");
    equal(first.status, 200);
    deepEqual(first.body, { profile: null, needsOnboarding: true, suggested: null });
    const before = (await call(s, "GET", "/api/settings")).body.settings;

    const put = await call(s, "PUT", "/api/ai/profile", form);
    equal(put.status, 200, JSON.stringify(put.body));
    deepEqual(put.body.profile.symbols, ["AAPL", "MSFT", "SPX"]);
    const expected = suggestLimits({
      riskTolerance: "medium",
      experience: "beginner",
      startingCash: 40_000,
    });
    deepEqual(put.body.suggested, expected);
    // 40 000 × 10 % × 0.75 for a beginner.
    equal(put.body.suggested.maxOrderValue, 3_000);
    // Answering applies nothing yet.
    deepEqual((await call(s, "GET", "/api/settings")).body.settings, before);
    equal((await call(s, "GET", "/api/ai/profile")).body.needsOnboarding, true);

    const confirm = await call(s, "POST", "/api/ai/profile/confirm", {
      limits: { maxOrderValue: 2_500 },
    });
    equal(confirm.status, 200, JSON.stringify(confirm.body));
    deepEqual(confirm.body.watchlist.symbols, ["AAPL", "MSFT", "SPX"]);
    equal(confirm.body.startingCash.appliedToPaperAccount, true);
    const settings = (await call(s, "GET", "/api/settings")).body.settings;
    equal(settings.maxOrderValue, 2_500);
    equal(settings.maxPositionPercent, expected.maxPositionPercent);
    equal(settings.dailyLossLimit, expected.dailyLossLimit);
    equal(settings.riskTolerance, 50);
    equal(settings.startingCash, 40_000);
    deepEqual(settings.watchlist, ["AAPL", "MSFT", "SPX"]);
    const after = await call(s, "GET", "/api/ai/profile");
    equal(after.body.needsOnboarding, false);
    ok(after.body.profile.completedAt);
    equal(after.body.profile.via, "form");
  });
});

Deno.test("bad answers are 4xx with reasons, never saved", async () => {
  await withApp(async (_t, s) => {
    const bad = await call(s, "PUT", "/api/ai/profile", { ...form, riskTolerance: "yolo" });
    equal(bad.status, 400);
    equal(bad.body.error.code, "validation_failed");
    ok(bad.body.error.details.some((d: { path: string }) => d.path === "riskTolerance"));
    equal((await call(s, "PUT", "/api/ai/profile", "{not json")).status, 400);
    equal((await call(s, "PUT", "/api/ai/profile", { ...form, startingCash: -5 })).status, 400);
    equal((await call(s, "PUT", "/api/ai/profile", { ...form, admin: true })).status, 400);

    const unknown = await call(s, "PUT", "/api/ai/profile", {
      ...form,
      symbols: ["AAPL", "ZZZZ", "QQQQ"],
    });
    equal(unknown.status, 422);
    equal(unknown.body.error.code, "unknown_symbols");
    deepEqual(unknown.body.error.details.unknown.map((u: { symbol: string }) => u.symbol), [
      "QQQQ",
      "ZZZZ",
    ]);
    ok(unknown.body.error.details.unknown.every((u: { reason: string }) => u.reason.length > 0));

    equal((await call(s, "GET", "/api/ai/profile")).body.profile, null);
    const early = await call(s, "POST", "/api/ai/profile/confirm", {});
    equal(early.status, 409);
    equal(early.body.error.code, "no_profile");
    await call(s, "PUT", "/api/ai/profile", form);
    const limits = await call(s, "POST", "/api/ai/profile/confirm", {
      limits: { maxPositionPercent: 150 },
    });
    equal(limits.status, 400);
  });
});

Deno.test("skip closes the setup; a re-run from settings opens it again", async () => {
  await withApp(async (_t, s) => {
    const skip = await call(s, "POST", "/api/ai/profile/skip");
    equal(skip.status, 200);
    ok(skip.body.profile.skippedAt);
    equal((await call(s, "GET", "/api/ai/profile")).body.needsOnboarding, false);
    // Skipping a setup confirms nothing.
    equal((await call(s, "POST", "/api/ai/profile/confirm", {})).status, 409);
    await call(s, "PUT", "/api/ai/profile", form);
    const rerun = (await call(s, "GET", "/api/ai/profile")).body;
    equal(rerun.profile.skippedAt, null);
    equal(rerun.needsOnboarding, true);
  });
});

Deno.test("an open paper account keeps its cash; the amount is stored in settings", async () => {
  await withApp(async (_t, s) => {
    // Reading the portfolio opens the paper account with the default starting cash.
    equal((await call(s, "GET", "/api/portfolio")).status, 200);
    await call(s, "PUT", "/api/ai/profile", { ...form, startingCash: 7_000 });
    const confirm = await call(s, "POST", "/api/ai/profile/confirm", {});
    equal(confirm.status, 200);
    equal(confirm.body.startingCash.appliedToPaperAccount, false);
    equal(confirm.body.settings.startingCash, 7_000);
  });
});

Deno.test("one user's profile is invisible to another", async () => {
  await withApp(async (t, a) => {
    const other = await signUp(t.app);
    const b = { t, bearer: other.bearer };
    await call(a, "PUT", "/api/ai/profile", form);
    deepEqual((await call(b, "GET", "/api/ai/profile")).body.profile, null);
    equal((await call(b, "POST", "/api/ai/profile/confirm", {})).status, 409);
    await call(a, "POST", "/api/ai/profile/confirm", {});
    const bSettings = (await call(b, "GET", "/api/settings")).body.settings;
    equal(bSettings.maxOrderValue, 25_000);
    const anon = await t.app.request("/api/ai/profile");
    equal(anon.status, 401);
  });
});

Deno.test("the interview asks one question at a time and validates the answers", async () => {
  await withApp(async (_t, s) => {
    const start = await call(s, "POST", "/api/ai/profile/interview", { answers: [] });
    equal(start.status, 200);
    equal(start.body.done, false);
    equal(start.body.index, 0);
    equal(start.body.total, 6);
    equal(start.body.question.key, "goals");
    const third = await call(s, "POST", "/api/ai/profile/interview", { answers: ["x", "y", "z"] });
    equal(third.body.question.key, "riskTolerance");
    const tooMany = await call(s, "POST", "/api/ai/profile/interview", {
      answers: Array(7).fill("a"),
    });
    equal(tooMany.status, 400);
    equal((await call(s, "POST", "/api/ai/profile/interview", { answers: [1] })).status, 400);
    const long = await call(s, "POST", "/api/ai/profile/interview", {
      answers: ["x".repeat(501)],
    });
    equal(long.status, 400);
  });
});

Deno.test("symbols that cannot be checked (market data down) are a 503, not a 500", async () => {
  const market = new CountingMarketData(openReplayForTest());
  const t = await openTestApp({}, { market: () => market });
  try {
    const s = { t, bearer: (await signUp(t.app)).bearer };
    market.failWith = "upstream down";
    const res = await call(s, "PUT", "/api/ai/profile", form);
    equal(res.status, 503, JSON.stringify(res.body));
    equal(res.body.error.code, "service_unavailable");
    equal((await call(s, "GET", "/api/ai/profile")).body.profile, null);
  } finally {
    await t.close();
  }
});

Deno.test("the interview ends in a saved profile from the offline analyst", async () => {
  await withApp(async (_t, s) => {
    const answers = [
      "Save for a house",
      "never traded before",
      "a few months",
      "rather safe",
      "$20,000",
      "AAPL, KO and JNJ",
    ];
    const done = await call(s, "POST", "/api/ai/profile/interview", { answers });
    equal(done.status, 200, JSON.stringify(done.body));
    equal(done.body.done, true);
    equal(done.body.analyst, "offline");
    deepEqual(done.body.profile.symbols, ["AAPL", "KO", "JNJ"]);
    equal(done.body.profile.experience, "none");
    equal(done.body.profile.riskTolerance, "low");
    equal(done.body.profile.startingCash, 20_000);
    equal(done.body.profile.via, "interview");
    deepEqual(
      done.body.suggested,
      suggestLimits({ riskTolerance: "low", experience: "none", startingCash: 20_000 }),
    );
    equal((await call(s, "POST", "/api/ai/profile/confirm", {})).status, 200);
  });
});
