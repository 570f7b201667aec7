import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { createTestUser, withTestDatabases } from "../db/testing.ts";
import {
  getProfile,
  markCompleted,
  needsOnboarding,
  type ProfileAnswers,
  profileAnswersSchema,
  saveProfile,
  skipProfile,
} from "./profile.ts";

const answers: ProfileAnswers = {
  goals: "Learn to trade",
  experience: "beginner",
  horizon: "months",
  riskTolerance: "low",
  startingCash: 25_000.5,
  symbols: ["AAPL", "SPY"],
};

withTestDatabases("a profile is saved, confirmed, re-run and skipped per user", async (db) => {
  const a = await createTestUser(db);
  const b = await createTestUser(db);
  equal(await getProfile(db, a), null);
  ok(needsOnboarding(null));
  const saved = await saveProfile(db, a, answers, "form");
  deepEqual({ ...saved, updatedAt: "" }, {
    ...answers,
    via: "form",
    completedAt: null,
    skippedAt: null,
    updatedAt: "",
  });
  ok(needsOnboarding(saved));
  await markCompleted(db, a);
  const done = (await getProfile(db, a))!;
  ok(done.completedAt && !needsOnboarding(done));
  // A re-run keeps the earlier confirmation until the new answers are confirmed.
  const rerun = await saveProfile(db, a, { ...answers, riskTolerance: "high" }, "interview");
  equal(rerun.riskTolerance, "high");
  equal(rerun.via, "interview");
  equal(rerun.completedAt, done.completedAt);
  equal(await getProfile(db, b), null);
  const skipped = await skipProfile(db, b);
  ok(skipped.skippedAt && !needsOnboarding(skipped));
  deepEqual(skipped.symbols, []);
});

Deno.test("the answers schema canonicalises symbols and refuses bad input", () => {
  const parsed = profileAnswersSchema.parse({ ...answers, symbols: ["aapl", " msft "] });
  deepEqual(parsed.symbols, ["AAPL", "MSFT"]);
  for (
    const bad of [
      { ...answers, symbols: ["AAPL", "aapl"] },
      { ...answers, symbols: ["NOT A TICKER"] },
      { ...answers, startingCash: 10 },
      { ...answers, riskTolerance: "yolo" },
      { ...answers, extra: 1 },
    ]
  ) {
    ok(!profileAnswersSchema.safeParse(bad).success, JSON.stringify(bad));
  }
  throws(() => profileAnswersSchema.parse({}));
});
